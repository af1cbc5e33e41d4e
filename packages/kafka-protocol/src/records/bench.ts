// Measures CRC-32C and the compression codecs on realistic payloads (JSON lines like the AIS feed).
// Run: node --import tsx packages/kafka-protocol/src/records/bench.ts
// Prints MB/s of input; asserts nothing.

import { compress, decompress } from '../compression/index.ts';
import { COMPRESSION_NAMES } from './batch-header.ts';
import { crc32c } from './crc32c.ts';
import { decodeRecordBatch, encodeRecordBatch } from './records.ts';

function time(fn: () => void, minMs = 300): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n / 1000;
}

const big = Buffer.alloc(16 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
crc32c(big);
console.log(`crc32c             ${(big.length / 1e6 / time(() => crc32c(big))).toFixed(0)} MB/s (16 MiB buffer)`);
const small = big.subarray(0, 1000);
console.log(`crc32c 1 KB        ${(small.length / 1e6 / time(() => crc32c(small))).toFixed(0)} MB/s`);

const json = Buffer.from(
  Array.from(
    { length: 20000 },
    (_, i) =>
      `{"mmsi":${200000000 + (i % 977)},"lat":${(50 + i * 0.00037).toFixed(5)},"lon":${(4 + i * 0.0007).toFixed(5)},"sog":${i % 30}}`,
  ).join('\n'),
);
for (const codec of COMPRESSION_NAMES.filter((c) => c !== 'none')) {
  const packed = compress(codec, json);
  const c = json.length / 1e6 / time(() => compress(codec, json));
  const d = json.length / 1e6 / time(() => decompress(codec, packed));
  console.log(
    `${codec.padEnd(7)} ratio ${(json.length / packed.length).toFixed(2).padStart(5)}  compress ${c.toFixed(0).padStart(4)} MB/s  decompress ${d.toFixed(0).padStart(4)} MB/s`,
  );
}

const records = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: json.subarray(i * 100, i * 100 + 200) }));
const batch = encodeRecordBatch(records);
console.log(
  `encode batch       ${(batch.length / 1e6 / time(() => encodeRecordBatch(records))).toFixed(0)} MB/s (100 x 200 B records)`,
);
console.log(
  `decode batch       ${(batch.length / 1e6 / time(() => decodeRecordBatch(batch))).toFixed(0)} MB/s (with CRC check)`,
);
