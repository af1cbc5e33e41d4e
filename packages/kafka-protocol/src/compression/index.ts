// Kafka's batch compression codecs behind two functions, keyed by the names record batches use.
// gzip: node:zlib. snappy (raw + xerial) and lz4 (frame): written here. zstd: fzstd to decode, stored
// frames to encode (see zstd.ts for why that is enough).

import type { CompressionName } from '../records/batch-header.ts';
import { CompressionError } from './errors.ts';
import { gzipCompress, gzipDecompress } from './gzip.ts';
import { lz4Compress, lz4Decompress } from './lz4.ts';
import { snappyCompress, snappyDecompress } from './snappy.ts';
import { zstdCompress, zstdDecompress } from './zstd.ts';

export { CompressionError } from './errors.ts';
export { gzipCompress, gzipDecompress } from './gzip.ts';
export { lz4Compress, lz4Decompress } from './lz4.ts';
export { isXerial, snappyCompress, snappyDecompress, snappyRawCompress, snappyRawDecompress } from './snappy.ts';
export { xxhash32 } from './xxhash32.ts';
export { zstdCompress, zstdDecompress } from './zstd.ts';

export function compress(codec: CompressionName, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipCompress(data);
    case 'snappy':
      return snappyCompress(data);
    case 'lz4':
      return lz4Compress(data);
    case 'zstd':
      return zstdCompress(data);
    default:
      throw new CompressionError('SEAWAY_COMPRESSION_UNKNOWN', `unknown compression codec ${String(codec)}`);
  }
}

export function decompress(codec: CompressionName, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipDecompress(data);
    case 'snappy':
      return snappyDecompress(data);
    case 'lz4':
      return lz4Decompress(data);
    case 'zstd':
      return zstdDecompress(data);
    default:
      throw new CompressionError('SEAWAY_COMPRESSION_UNKNOWN', `unknown compression codec ${String(codec)}`);
  }
}
