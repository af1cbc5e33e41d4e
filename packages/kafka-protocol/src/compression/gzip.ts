// gzip through node:zlib. Kafka's gzip is plain RFC 1952, possibly several members concatenated.

import { gunzipSync, gzipSync } from 'node:zlib';
import { corrupt } from './errors.ts';

export function gzipCompress(data: Buffer): Buffer {
  return gzipSync(data, { level: 6 });
}

export function gzipDecompress(data: Buffer): Buffer {
  try {
    return gunzipSync(data);
  } catch (err) {
    throw corrupt('gzip', (err as Error).message);
  }
}
