// Zigzag varints as record batch v2 uses them for record fields (protobuf encoding), and int64 helpers.
//
// 64-bit values are JavaScript numbers: offsets, timestamps and producer ids stay far below 2^53, and
// numbers are several times faster than bigint on the hot path. Values beyond 2^53 lose precision; the
// batch header keeps the raw bytes, so nothing stored is ever rewritten from a rounded number.

export interface Cursor {
  buf: Buffer;
  pos: number;
}

/** Reads a zigzag varint (at most 10 bytes, value within +/-2^53). */
export function readVarint(c: Cursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let b = buf[pos++];
  if (b === undefined) throw new RangeError('varint runs past the end of the buffer');
  let raw = b & 0x7f;
  if (b & 0x80) {
    let mul = 128;
    for (let i = 1; ; i++) {
      b = buf[pos++];
      if (b === undefined) throw new RangeError('varint runs past the end of the buffer');
      if (i > 9) throw new RangeError('varint longer than 10 bytes');
      raw += (b & 0x7f) * mul;
      mul *= 128;
      if (!(b & 0x80)) break;
    }
  }
  c.pos = pos;
  // zigzag decode on a non-negative number that may exceed 32 bits
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Number of bytes writeVarint needs for `v`. */
export function varintSize(v: number): number {
  let raw = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (raw >= 128) {
    raw = Math.floor(raw / 128);
    n++;
  }
  return n;
}

/** Writes a zigzag varint at `pos`, returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, v: number): number {
  let raw = v >= 0 ? v * 2 : -v * 2 - 1;
  while (raw >= 128) {
    buf[pos++] = (raw % 128) | 0x80;
    raw = Math.floor(raw / 128);
  }
  buf[pos++] = raw;
  return pos;
}

/** Reads a signed big-endian int64 as a number. */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

/** Writes a signed big-endian int64 from a number. */
export function writeInt64(buf: Buffer, pos: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(v - hi * 4294967296, pos + 4);
}
