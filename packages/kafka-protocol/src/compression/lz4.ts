// LZ4 frame format (lz4/doc/lz4_Frame_format.md) with LZ4 blocks, written here (no dependency).
//
// Kafka batches carry LZ4 frames. Kafka before 0.10 (magic 0 messages, KAFKA-3160) and librdkafka's
// compatibility mode computed the frame header checksum over the magic number as well as the
// descriptor; decode accepts both checksums. Decoding keeps all blocks in one output buffer, so linked
// (dependent) blocks decode too. Encode writes independent 64 KiB blocks, no content checksum, like
// Kafka's Java producer.

import { corrupt } from './errors.ts';
import { xxhash32 } from './xxhash32.ts';

const MAGIC = 0x184d2204;
const BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

export function lz4Decompress(src: Buffer): Buffer {
  if (src.length < 7 || src.readUInt32LE(0) !== MAGIC) throw corrupt('lz4', 'missing LZ4 frame magic');
  const flg = src[4]!;
  const bd = src[5]!;
  if (flg >>> 6 !== 1) throw corrupt('lz4', `unsupported frame version ${flg >>> 6}`);
  const blockChecksum = (flg & 0x10) !== 0;
  const hasSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const hasDict = (flg & 0x01) !== 0;
  const blockMax = BLOCK_MAX[(bd >>> 4) & 7] ?? 0;
  if (blockMax === 0) throw corrupt('lz4', `bad block size code ${(bd >>> 4) & 7}`);
  let pos = 6;
  let contentSize = -1;
  if (hasSize) {
    contentSize = src.readUInt32LE(pos) + src.readUInt32LE(pos + 4) * 4294967296;
    pos += 8;
  }
  if (hasDict) pos += 4;
  const hc = src[pos];
  if (hc === undefined) throw corrupt('lz4', 'frame header cut short');
  const good = (xxhash32(src, 4, pos) >>> 8) & 0xff;
  const kafkaLegacy = (xxhash32(src, 0, pos) >>> 8) & 0xff;
  if (hc !== good && hc !== kafkaLegacy) throw corrupt('lz4', 'frame header checksum mismatch');
  pos++;
  let out = Buffer.allocUnsafe(contentSize >= 0 ? contentSize : Math.max(blockMax, src.length * 4));
  let o = 0;
  for (;;) {
    if (pos + 4 > src.length) throw corrupt('lz4', 'frame ends without an end mark');
    const word = src.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (pos + size > src.length) throw corrupt('lz4', 'block runs past the end');
    if (o + blockMax > out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, o + blockMax));
      out.copy(bigger, 0, 0, o);
      out = bigger;
    }
    if (word & 0x80000000) o += src.copy(out, o, pos, pos + size);
    else o = lz4BlockDecode(src, pos, pos + size, out, o);
    pos += size;
    if (blockChecksum) pos += 4;
  }
  if (contentChecksum) {
    if (pos + 4 > src.length) throw corrupt('lz4', 'content checksum cut short');
    if (src.readUInt32LE(pos) !== xxhash32(out, 0, o)) throw corrupt('lz4', 'content checksum mismatch');
  }
  return out.subarray(0, o);
}

/** Decodes one LZ4 block from src[s, end) into out at o (earlier output may be referenced); returns new o. */
export function lz4BlockDecode(src: Buffer, s: number, end: number, out: Buffer, o: number): number {
  while (s < end) {
    const token = src[s++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        b = src[s++]!;
        lit += b;
      } while (b === 255 && s < end);
    }
    if (s + lit > end || o + lit > out.length) throw corrupt('lz4', 'literals run past the end');
    if (lit < 32) for (let i = 0; i < lit; i++) out[o++] = src[s++]!;
    else {
      src.copy(out, o, s, s + lit);
      s += lit;
      o += lit;
    }
    if (s >= end) break; // last sequence carries only literals
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        b = src[s++]!;
        len += b;
      } while (b === 255 && s < end);
    }
    len += 4;
    if (offset === 0 || offset > o || o + len > out.length) throw corrupt('lz4', `match offset ${offset} out of range`);
    if (offset >= len && len >= 32) {
      out.copyWithin(o, o - offset, o - offset + len);
      o += len;
    } else {
      for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]!;
    }
  }
  return o;
}

const HASH_BITS = 14;

/** Compresses src[s, end) as one LZ4 block into dst at d; returns the new d. */
export function lz4BlockEncode(src: Buffer, s: number, end: number, dst: Buffer, d: number): number {
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  const matchLimit = end - 12; // last match must start 12 bytes before the end
  const lastLiterals = end - 5; // and end 5 bytes before it
  let anchor = s;
  let i = s;
  while (i < matchLimit) {
    const word = src.readUInt32LE(i);
    const h = Math.imul(word, 2654435761) >>> (32 - HASH_BITS);
    const cand = table[h]!;
    table[h] = i;
    if (cand < s || i - cand > 0xffff || src.readUInt32LE(cand) !== word) {
      i++;
      continue;
    }
    let len = 4;
    while (i + len < lastLiterals && src[cand + len] === src[i + len]) len++;
    d = writeSequence(src, anchor, i - anchor, dst, d, i - cand, len - 4);
    i += len;
    anchor = i;
  }
  return writeSequence(src, anchor, end - anchor, dst, d, 0, -1);
}

function writeSequence(
  src: Buffer,
  from: number,
  lit: number,
  dst: Buffer,
  d: number,
  offset: number,
  ml: number,
): number {
  const tokenPos = d++;
  let token = Math.min(lit, 15) << 4;
  if (lit >= 15) {
    let r = lit - 15;
    while (r >= 255) {
      dst[d++] = 255;
      r -= 255;
    }
    dst[d++] = r;
  }
  d += src.copy(dst, d, from, from + lit);
  if (ml >= 0) {
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    token |= Math.min(ml, 15);
    if (ml >= 15) {
      let r = ml - 15;
      while (r >= 255) {
        dst[d++] = 255;
        r -= 255;
      }
      dst[d++] = r;
    }
  }
  dst[tokenPos] = token;
  return d;
}

export function lz4Compress(data: Buffer): Buffer {
  const blockMax = 64 * 1024;
  const bound = (n: number) => n + Math.ceil(n / 255) + 16;
  const out = Buffer.allocUnsafe(
    7 + Math.ceil(data.length / blockMax) * (4 + bound(blockMax)) + 4 + bound(data.length % blockMax),
  );
  out.writeUInt32LE(MAGIC, 0);
  out[4] = 0x60; // version 01, independent blocks, no checksums, no content size
  out[5] = 0x40; // 64 KiB blocks
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let d = 7;
  for (let pos = 0; pos < data.length; pos += blockMax) {
    const end = Math.min(data.length, pos + blockMax);
    const start = d + 4;
    const after = lz4BlockEncode(data, pos, end, out, start);
    if (after - start >= end - pos) {
      out.writeUInt32LE(end - pos + 0x80000000, d);
      d = start + data.copy(out, start, pos, end);
    } else {
      out.writeUInt32LE(after - start, d);
      d = after;
    }
  }
  out.writeUInt32LE(0, d);
  return out.subarray(0, d + 4);
}
