/**
 * Bounds-checked reader of Kafka primitives over a Buffer. Every read checks the remaining length
 * and throws KafkaCodecError SEAWAY_KPROTO_TRUNCATED instead of reading garbage; malformed values
 * (over-long varints, negative lengths) throw SEAWAY_KPROTO_INVALID.
 *
 * Bytes and records come back as subarrays of the input (no copy): they alias the frame.
 */

import { invalidInput, truncatedInput } from './codec-error.ts';
import { uuidFromBytes } from './uuid.ts';

export class Reader {
  readonly buf: Buffer;
  pos: number;
  end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.pos = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw truncatedInput(n, this.pos, this.end);
  }

  int8(): number {
    this.need(1);
    return ((this.buf[this.pos++] as number) << 24) >> 24;
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.pos++] !== 0;
  }

  int16(): number {
    return (this.uint16() << 16) >> 16;
  }

  uint16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw truncatedInput(2, p, this.end);
    const b = this.buf;
    this.pos = p + 2;
    return ((b[p] as number) << 8) | (b[p + 1] as number);
  }

  int32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw truncatedInput(4, p, this.end);
    const b = this.buf;
    this.pos = p + 4;
    return ((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number);
  }

  uint32(): number {
    return this.int32() >>> 0;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned varint of up to 32 bits (5 bytes). */
  uvarint(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw truncatedInput(1, this.pos, this.end);
      const b = buf[this.pos++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (result > 0xffffffff) break;
        return result;
      }
      shift += 7;
    }
    throw invalidInput(`unsigned varint longer than 32 bits ending at offset ${this.pos}`);
  }

  /** Zigzag varint (signed 32-bit). */
  varint(): number {
    const z = this.uvarint();
    return (z >>> 1) ^ -(z & 1);
  }

  /** Zigzag varlong (signed 64-bit) as a bigint. */
  varlong(): bigint {
    const buf = this.buf;
    let z = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncatedInput(1, this.pos, this.end);
      const b = buf[this.pos++] as number;
      z |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return z & 1n ? -((z >> 1n) + 1n) : z >> 1n;
      shift += 7n;
    }
    throw invalidInput(`varlong longer than 64 bits ending at offset ${this.pos}`);
  }

  /** Zigzag varlong as a number; exact for magnitudes below 2^53 (record deltas, lengths). */
  varlongNumber(): number {
    const buf = this.buf;
    let z = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncatedInput(1, this.pos, this.end);
      const b = buf[this.pos++] as number;
      z += (b & 0x7f) * mul;
      if (b < 0x80) return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
      mul *= 128;
    }
    throw invalidInput(`varlong longer than 64 bits ending at offset ${this.pos}`);
  }

  uuid(): string {
    this.need(16);
    const v = uuidFromBytes(this.buf, this.pos);
    this.pos += 16;
    return v;
  }

  /** STRING: int16 length; a negative length is invalid. */
  string(): string {
    const v = this.nullableString();
    if (v === null) throw invalidInput(`null string at offset ${this.pos - 2} where the version requires a value`);
    return v;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) {
      if (len === -1) return null;
      throw invalidInput(`string length ${len} at offset ${this.pos - 2}`);
    }
    return this.utf8(len);
  }

  compactString(): string {
    const v = this.compactNullableString();
    if (v === null)
      throw invalidInput(`null compact string before offset ${this.pos} where the version requires a value`);
    return v;
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }

  /** `len` bytes decoded as UTF-8. */
  utf8(len: number): string {
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.toString('utf8', start, this.pos);
  }

  bytes(): Buffer {
    const v = this.nullableBytes();
    if (v === null) throw invalidInput(`null bytes at offset ${this.pos - 4} where the version requires a value`);
    return v;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) {
      if (len === -1) return null;
      throw invalidInput(`bytes length ${len} at offset ${this.pos - 4}`);
    }
    return this.raw(len);
  }

  compactBytes(): Buffer {
    const v = this.compactNullableBytes();
    if (v === null)
      throw invalidInput(`null compact bytes before offset ${this.pos} where the version requires a value`);
    return v;
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.raw(n - 1);
  }

  /** `len` bytes as a subarray of the input (no copy). */
  raw(len: number): Buffer {
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return this.buf.subarray(start, this.pos);
  }

  skip(len: number): void {
    this.need(len);
    this.pos += len;
  }

  /** ARRAY length: -1 is null; any other negative length is invalid. */
  arrayLength(): number | null {
    const n = this.int32();
    if (n < 0) {
      if (n === -1) return null;
      throw invalidInput(`array length ${n} at offset ${this.pos - 4}`);
    }
    return n;
  }

  /** COMPACT_ARRAY length: 0 is null. */
  compactArrayLength(): number | null {
    const n = this.uvarint();
    return n === 0 ? null : n - 1;
  }

  /** ARRAY (null stays null) of items read by `item`. */
  array<T>(item: (r: Reader) => T): T[] | null {
    const n = this.arrayLength();
    return n === null ? null : this.items(n, item);
  }

  compactArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.compactArrayLength();
    return n === null ? null : this.items(n, item);
  }

  private items<T>(n: number, item: (r: Reader) => T): T[] {
    // Every item takes at least one byte: refuse counts the input cannot hold before allocating.
    if (n > this.remaining) throw truncatedInput(n, this.pos, this.end);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  /**
   * Reads a tagged-field section. `known` is called for each field with its tag and this reader
   * limited to the field's bytes; whatever it leaves unread (all of an unknown tag) is skipped.
   * Without `known` every field is skipped.
   */
  taggedFields(known?: (tag: number, r: Reader) => void): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      this.need(size);
      const fieldEnd = this.pos + size;
      if (known !== undefined) {
        const outerEnd = this.end;
        this.end = fieldEnd;
        try {
          known(tag, this);
        } finally {
          this.end = outerEnd;
        }
      }
      this.pos = fieldEnd;
    }
  }
}
