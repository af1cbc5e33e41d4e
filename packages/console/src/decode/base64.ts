// base64 <-> bytes without Buffer (browser code).
export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function toHex(bytes: Uint8Array, max = 4096): string {
  const parts: string[] = [];
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ` … (${bytes.length - max} more bytes)` : '');
}
