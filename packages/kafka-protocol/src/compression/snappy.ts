// Snappy, raw and xerial-framed, written here (the format is small; no dependency).
//
// Raw format (google/snappy format_description.txt): uncompressed length as a little-endian base-128
// varint, then elements whose tag's low two bits say literal (0), copy with 1-byte offset (1), 2-byte
// offset (2) or 4-byte offset (3).
// Xerial framing (snappy-java's SnappyOutputStream, which Kafka's Java producer uses): 8-byte magic
// 0x82 "SNAPPY" 0x00, int32 version, int32 compatible version, then chunks of int32 BE length + raw
// snappy block. librdkafka writes raw snappy for v2 batches and reads both, so decode accepts both and
// encode writes xerial like the Java client.

import { corrupt } from './errors.ts';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = 16;
const XERIAL_BLOCK = 32 * 1024;

/** True when `data` starts with the xerial snappy-java stream header. */
export function isXerial(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerial(data)) return snappyRawDecompress(data);
  const parts: Buffer[] = [];
  let pos = XERIAL_HEADER;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw corrupt('snappy (xerial)', 'chunk length cut short');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw corrupt('snappy (xerial)', `chunk of ${len} bytes runs past the end`);
    parts.push(snappyRawDecompress(data.subarray(pos, pos + len)));
    pos += len;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

export function snappyCompress(data: Buffer): Buffer {
  const chunks: Buffer[] = [Buffer.alloc(XERIAL_HEADER)];
  XERIAL_MAGIC.copy(chunks[0]!, 0);
  chunks[0]!.writeInt32BE(1, 8);
  chunks[0]!.writeInt32BE(1, 12);
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK) {
    const block = snappyRawCompress(data.subarray(pos, Math.min(data.length, pos + XERIAL_BLOCK)));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    chunks.push(len, block);
  }
  return Buffer.concat(chunks);
}

export function snappyRawDecompress(src: Buffer): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[pos++];
    if (b === undefined || shift > 28) throw corrupt('snappy', 'bad length preamble');
    length += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) break;
  }
  const out = Buffer.allocUnsafe(length);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const n = len - 59;
        if (pos + n > src.length) throw corrupt('snappy', 'literal length cut short');
        len = 0;
        for (let i = 0; i < n; i++) len += src[pos + i]! * 2 ** (8 * i);
        pos += n;
      }
      len += 1;
      if (pos + len > src.length || o + len > length) throw corrupt('snappy', 'literal runs past the end');
      if (len < 32) for (let i = 0; i < len; i++) out[o++] = src[pos++]!;
      else {
        src.copy(out, o, pos, pos + len);
        pos += len;
        o += len;
      }
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++]!;
    } else if (type === 2) {
      len = (tag >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      len = (tag >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (pos > src.length) throw corrupt('snappy', 'copy element cut short');
    if (offset === 0 || offset > o || o + len > length) throw corrupt('snappy', `copy offset ${offset} out of range`);
    if (offset >= len && len >= 32) {
      out.copyWithin(o, o - offset, o - offset + len);
      o += len;
    } else {
      for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]!;
    }
  }
  if (o !== length) throw corrupt('snappy', `expected ${length} bytes, produced ${o}`);
  return out;
}

const HASH_BITS = 14;

function emitLiteral(dst: Buffer, d: number, src: Buffer, from: number, to: number): number {
  const n = to - from - 1;
  if (n < 60) dst[d++] = n << 2;
  else if (n < 0x100) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else if (n < 0x10000) {
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  } else {
    dst[d++] = 63 << 2;
    dst.writeUInt32LE(n, d);
    d += 4;
  }
  return d + src.copy(dst, d, from, to);
}

function emitCopy(dst: Buffer, d: number, offset: number, len: number): number {
  while (len > 0) {
    // 2-byte-offset copies carry 1..64 bytes; keep at least 4 for a possible tail copy
    const n = len > 64 ? (len - 64 < 4 ? len - 4 : 64) : len;
    if (n >= 4 && n <= 11 && offset < 2048) {
      dst[d++] = 1 | ((n - 4) << 2) | ((offset >>> 8) << 5);
      dst[d++] = offset & 0xff;
    } else if (offset < 0x10000) {
      dst[d++] = 2 | ((n - 1) << 2);
      dst[d++] = offset & 0xff;
      dst[d++] = offset >>> 8;
    } else {
      dst[d++] = 3 | ((n - 1) << 2);
      dst.writeUInt32LE(offset, d);
      d += 4;
    }
    len -= n;
  }
  return d;
}

/** Greedy single-pass compressor: 4-byte hash matches, fine for tests and producers. */
export function snappyRawCompress(src: Buffer): Buffer {
  const n = src.length;
  const dst = Buffer.allocUnsafe(32 + n + Math.ceil(n / 6));
  let d = 0;
  for (let v = n; ; ) {
    if (v < 0x80) {
      dst[d++] = v;
      break;
    }
    dst[d++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let lit = 0;
  let i = 0;
  while (i + 4 <= n) {
    const word = src.readUInt32LE(i);
    const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const cand = table[h]!;
    table[h] = i;
    if (cand >= 0 && i - cand < 0x10000 && src.readUInt32LE(cand) === word) {
      if (lit < i) d = emitLiteral(dst, d, src, lit, i);
      let len = 4;
      while (i + len < n && src[cand + len] === src[i + len]) len++;
      d = emitCopy(dst, d, i - cand, len);
      i += len;
      lit = i;
    } else {
      i++;
    }
  }
  if (lit < n) d = emitLiteral(dst, d, src, lit, n);
  return dst.subarray(0, d);
}
