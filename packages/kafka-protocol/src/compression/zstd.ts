// zstd: decode with fzstd (pure JS, no native code); encode as a valid frame of raw (stored) blocks.
//
// Node 20's zlib has no zstd, and the broker never needs to compress: it stores batches exactly as
// producers send them. Only tests and the bridge's producer encode; a stored-block frame is valid
// zstd that every decoder (libzstd, zstd-jni, fzstd) reads, it just does not shrink. If a real zstd
// encoder is wanted later, swap zstdCompress for one; nothing else changes.

import { decompress } from 'fzstd';
import { corrupt } from './errors.ts';

const MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;

export function zstdDecompress(data: Buffer): Buffer {
  try {
    const out = decompress(data);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw corrupt('zstd', (err as Error).message);
  }
}

/** One zstd frame: single segment, 8-byte content size, raw blocks of at most 128 KiB, no checksum. */
export function zstdCompress(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_BLOCK));
  const out = Buffer.allocUnsafe(4 + 1 + 8 + blocks * 3 + data.length);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = 0xe0; // frame content size in 8 bytes, single segment, no checksum, no dictionary
  out.writeUInt32LE(data.length >>> 0, 5);
  out.writeUInt32LE(Math.floor(data.length / 4294967296), 9);
  let d = 13;
  for (let b = 0; b < blocks; b++) {
    const start = b * MAX_BLOCK;
    const size = Math.min(MAX_BLOCK, data.length - start);
    const last = b === blocks - 1 ? 1 : 0;
    const header = last | (0 << 1) | (size << 3); // block type 0 = raw
    out[d++] = header & 0xff;
    out[d++] = (header >>> 8) & 0xff;
    out[d++] = (header >>> 16) & 0xff;
    d += data.copy(out, d, start, start + size);
  }
  return out.subarray(0, d);
}
