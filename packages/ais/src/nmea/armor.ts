// AIS 6-bit payload armoring (gpsd AIVDM, "AIS Payload Encoding") and the bit-level reader and
// writer the message codecs use. A payload character c maps to v = c - 48, minus 8 more when
// v > 40; valid characters are '0'..'W' and '`'..'w'. Six-bit text uses the ITU-R M.1371 table
// where 0 is '@' (padding) and 32 is space.
import { AisError } from '../errors.ts';

const SIXBIT_TEXT = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';
const TEXT_CODE = new Map<string, number>([...SIXBIT_TEXT].map((ch, i) => [ch, i]));
const ARMOR_CHARS = Array.from({ length: 64 }, (_, v) => String.fromCharCode(v < 40 ? v + 48 : v + 56));

/** Decode armored payload characters into a bit array (one byte per bit), minus fill bits. */
export function unarmor(payload: string, fillBits = 0): Uint8Array {
  const bits = new Uint8Array(payload.length * 6);
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    let v = c - 48;
    if (v > 40) v -= 8;
    if (c < 48 || c > 119 || (c > 87 && c < 96) || v < 0 || v > 63) {
      throw new AisError('SEAWAY_AIS_NMEA_ARMOR', `payload character ${JSON.stringify(payload[i])} at ${i}`);
    }
    for (let b = 0; b < 6; b++) bits[i * 6 + b] = (v >> (5 - b)) & 1;
  }
  const keep = Math.max(0, bits.length - Math.max(0, Math.min(5, fillBits)));
  return bits.subarray(0, keep);
}

/** Armor a bit array; returns the payload text and the number of fill bits added. */
export function armor(bits: Uint8Array): { payload: string; fillBits: number } {
  const chars = Math.ceil(bits.length / 6);
  let out = '';
  for (let i = 0; i < chars; i++) {
    let v = 0;
    for (let b = 0; b < 6; b++) v = (v << 1) | (bits[i * 6 + b] ?? 0);
    out += ARMOR_CHARS[v];
  }
  return { payload: out, fillBits: chars * 6 - bits.length };
}

export class BitReader {
  constructor(readonly bits: Uint8Array) {}
  get length(): number {
    return this.bits.length;
  }
  uint(start: number, width: number): number {
    // As gpsd does for short payloads: a field cut off by the end reads only the bits present.
    const end = Math.min(start + width, this.bits.length);
    let v = 0;
    for (let i = start; i < end; i++) v = v * 2 + (this.bits[i] ?? 0);
    return v;
  }
  int(start: number, width: number): number {
    const u = this.uint(start, width);
    return u >= 2 ** (width - 1) ? u - 2 ** width : u;
  }
  bool(start: number): boolean {
    return this.bits[start] === 1;
  }
  /** Six-bit text of `width / 6` characters, trailing '@' padding and spaces removed. */
  text(start: number, width: number): string {
    let s = '';
    for (let i = 0; i + 6 <= width; i += 6) {
      if (start + i + 6 > this.bits.length) break;
      s += SIXBIT_TEXT[this.uint(start + i, 6)];
    }
    const at = s.indexOf('@');
    return (at >= 0 ? s.slice(0, at) : s).trimEnd();
  }
}

export class BitWriter {
  readonly bits: Uint8Array;
  constructor(length: number) {
    this.bits = new Uint8Array(length);
  }
  uint(start: number, width: number, value: number): void {
    let v = Math.max(0, Math.floor(value));
    for (let i = width - 1; i >= 0; i--) {
      this.bits[start + i] = v % 2;
      v = Math.floor(v / 2);
    }
  }
  int(start: number, width: number, value: number): void {
    const v = Math.round(value);
    this.uint(start, width, v < 0 ? v + 2 ** width : v);
  }
  bool(start: number, value: boolean): void {
    this.bits[start] = value ? 1 : 0;
  }
  text(start: number, width: number, value: string): void {
    const chars = width / 6;
    const s = value.toUpperCase();
    for (let i = 0; i < chars; i++) this.uint(start + i * 6, 6, TEXT_CODE.get(s[i] ?? '@') ?? 0);
  }
}
