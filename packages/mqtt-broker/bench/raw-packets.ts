// MQTT 3.1.1 packet bytes for the benchmark publishers, built by hand so the load side costs
// nothing but socket writes: the fixed header with its remaining-length varint, and UTF-8 strings
// with their two-byte length.

/** A packet: first byte (type and flags), remaining length, body. */
export function frame(first: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    len.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}

/** A length-prefixed UTF-8 string. */
export function str(s: string): Buffer {
  const b = Buffer.from(s);
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
}
