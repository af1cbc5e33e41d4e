/**
 * Growable output buffer for Kafka primitives. One Writer is meant to be reused: `reset()` it,
 * write a whole message, then take `toBuffer()` (a copy) or `view()` (valid until the next reset).
 * Writes go straight into one Buffer that doubles when full, so no field allocates.
 *
 * Encoding rules (Kafka protocol guide): big-endian integers; STRING = int16 length + UTF-8,
 * NULLABLE_STRING uses length -1 for null; BYTES = int32 length; COMPACT_* = unsigned varint of
 * length + 1 (0 means null); VARINT/VARLONG are zigzag; UUID is 16 raw bytes.
 */

import { KafkaCodecError } from './codec-error.ts';
import { uuidToBytes } from './uuid.ts';

const MAX_INT16 = 0x7fff;

export class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Drops a buffer that grew past `maxSize` (after one huge message) so it is not kept forever. */
  shrink(maxSize: number, toSize = 4096): void {
    if (this.buf.length > maxSize) this.buf = Buffer.allocUnsafe(toSize);
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written so far, sharing memory with the writer: valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  int8(v: number): void {
    if ((v << 24) >> 24 !== v) throw outOfRange('int8', v);
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int16(v: number): void {
    if ((v << 16) >> 16 !== v) throw outOfRange('int16', v);
    this.put16(v);
  }

  uint16(v: number): void {
    if ((v & 0xffff) !== v) throw outOfRange('uint16', v);
    this.put16(v);
  }

  private put16(v: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  int32(v: number): void {
    if ((v | 0) !== v) throw outOfRange('int32', v);
    this.put32(v);
  }

  uint32(v: number): void {
    if (v >>> 0 !== v) throw outOfRange('uint32', v);
    this.put32(v);
  }

  private put32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  /** Accepts a bigint, or a number that is a safe integer (convenient for literals like -1). */
  int64(v: bigint | number): void {
    const n = typeof v === 'bigint' ? v : toBigInt(v);
    if (n < -0x8000000000000000n || n > 0x7fffffffffffffffn) throw outOfRange('int64', n);
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(n, this.pos);
  }

  float64(v: number): void {
    if (typeof v !== 'number') throw outOfRange('float64', v);
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  /** Unsigned LEB128 of a 32-bit unsigned value. */
  uvarint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** Zigzag varint of a signed 32-bit value. */
  varint(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `varint out of int32 range: ${v}`);
    }
    this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zigzag varlong of a signed 64-bit value. */
  varlong(v: bigint | number): void {
    const n = typeof v === 'bigint' ? v : toBigInt(v);
    if (n < -0x8000000000000000n || n > 0x7fffffffffffffffn) {
      throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `varlong out of int64 range: ${n}`);
    }
    let z = n >= 0n ? n << 1n : (-n << 1n) - 1n;
    this.ensure(10);
    const buf = this.buf;
    while (z > 0x7fn) {
      buf[this.pos++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    buf[this.pos++] = Number(z);
  }

  uuid(v: string): void {
    this.ensure(16);
    this.pos += uuidToBytes(v, this.buf, this.pos);
  }

  /** STRING / NULLABLE_STRING (int16 length). Null only when the caller allows it. */
  string(v: string | null): void {
    if (v === null) {
      this.int16(-1);
      return;
    }
    const len = Buffer.byteLength(v, 'utf8');
    if (len > MAX_INT16) {
      throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `string of ${len} bytes does not fit an int16 length`);
    }
    this.ensure(2 + len);
    this.pos = this.buf.writeInt16BE(len, this.pos);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING (unsigned varint length + 1). */
  compactString(v: string | null): void {
    if (v === null) {
      this.uvarint(0);
      return;
    }
    const len = Buffer.byteLength(v, 'utf8');
    this.uvarint(len + 1);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
  }

  /** BYTES / NULLABLE_BYTES (int32 length). */
  bytes(v: Uint8Array | null): void {
    if (v === null) {
      this.int32(-1);
      return;
    }
    this.int32(v.length);
    this.raw(v);
  }

  /** COMPACT_BYTES / COMPACT_NULLABLE_BYTES. */
  compactBytes(v: Uint8Array | null): void {
    if (v === null) {
      this.uvarint(0);
      return;
    }
    this.uvarint(v.length + 1);
    this.raw(v);
  }

  /** Bytes with no length prefix. */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** ARRAY length (int32, -1 for null). */
  arrayLength(n: number | null): void {
    this.int32(n === null ? -1 : n);
  }

  /** COMPACT_ARRAY length (unsigned varint of n + 1, 0 for null). */
  compactArrayLength(n: number | null): void {
    this.uvarint(n === null ? 0 : n + 1);
  }

  /** ARRAY of items written by `item`; `null` writes a null array. */
  array<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): void {
    if (items === null) {
      this.arrayLength(null);
      return;
    }
    this.arrayLength(items.length);
    for (let i = 0; i < items.length; i++) item(this, items[i] as T);
  }

  compactArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): void {
    if (items === null) {
      this.compactArrayLength(null);
      return;
    }
    this.compactArrayLength(items.length);
    for (let i = 0; i < items.length; i++) item(this, items[i] as T);
  }

  /**
   * Size-prefixed sections (a tagged field's value) whose size is an unsigned varint in front:
   * `const at = w.beginSized()`, write the body, `w.endSized(at)` moves it right to fit the size.
   */
  beginSized(): number {
    return this.pos;
  }

  endSized(start: number): void {
    const size = this.pos - start;
    const prefix = uvarintSize(size);
    this.ensure(prefix);
    this.buf.copyWithin(start + prefix, start, start + size);
    const end = this.pos + prefix;
    this.pos = start;
    this.uvarint(size);
    this.pos = end;
  }

  /** Writes an int32 placeholder and returns its offset, for `patchInt32` (frame size prefixes). */
  reserveInt32(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  patchInt32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  /** An empty tagged-field section (count 0). */
  emptyTaggedFields(): void {
    this.ensure(1);
    this.buf[this.pos++] = 0;
  }
}

export function uvarintSize(v: number): number {
  let n = 1;
  while (v > 0x7f) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function outOfRange(type: string, v: unknown): KafkaCodecError {
  const shown = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `${shown} (${typeof v}) is not a valid ${type}`);
}

function toBigInt(v: number): bigint {
  if (!Number.isSafeInteger(v)) {
    throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `int64 given as a number must be a safe integer, got ${v}`);
  }
  return BigInt(v);
}
