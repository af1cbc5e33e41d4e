// Measures append and read throughput of FileLog (each fsync policy) and MemoryLog.
// Run: node --import tsx packages/kafka-broker/src/log/bench.ts [totalMiB=256] [recordsPerBatch=100] [valueBytes=200]
//        [inFlight=1] (appends awaited together, like a producer's max.in.flight; shows fsync group commit)
// Prints MB/s; it asserts nothing (benchmarks measure, tests do not time).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecordBatch } from '@seaway/kafka-protocol';
import { FileLog } from './file-log.ts';
import { MemoryLog } from './memory-log.ts';
import type { FsyncPolicy, PartitionLog } from './types.ts';

const totalMiB = Number(process.argv[2] ?? 256);
const perBatch = Number(process.argv[3] ?? 100);
const valueBytes = Number(process.argv[4] ?? 200);
const inFlight = Number(process.argv[5] ?? 1);

const template = encodeRecordBatch(
  Array.from({ length: perBatch }, (_, i) => ({
    key: `key-${i}`,
    value: Buffer.alloc(valueBytes, i),
    timestamp: Date.now(),
  })),
);
const batches = Math.ceil((totalMiB * 1024 * 1024) / template.length);

async function run(name: string, log: PartitionLog): Promise<void> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batches; i += inFlight) {
    const group: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(batches, i + inFlight); j++) group.push(log.append(Buffer.from(template)));
    await Promise.all(group);
  }
  await log.flush();
  const t1 = process.hrtime.bigint();
  let offset = log.logStartOffset;
  let bytes = 0;
  while (offset < log.highWatermark) {
    const buf = await log.read(offset, 1024 * 1024);
    bytes += buf.length;
    offset += Math.floor(buf.length / template.length) * perBatch;
  }
  const t2 = process.hrtime.bigint();
  const mb = (batches * template.length) / 1e6;
  const appendS = Number(t1 - t0) / 1e9;
  const readS = Number(t2 - t1) / 1e9;
  console.log(
    `${name.padEnd(22)} append ${(mb / appendS).toFixed(0).padStart(5)} MB/s ` +
      `(${((batches * perBatch) / appendS / 1e3).toFixed(0)}k records/s, ${(batches / appendS).toFixed(0)} appends/s)  ` +
      `read ${(bytes / 1e6 / readS).toFixed(0).padStart(5)} MB/s (1 MiB reads)`,
  );
  await log.close();
}

console.log(
  `${batches} batches of ${template.length} bytes (${perBatch} records of ${valueBytes} B), ${totalMiB} MiB, ${inFlight} in flight`,
);
await run('MemoryLog', new MemoryLog());
for (const fsync of ['never', { everyMs: 1000 }, 'always'] as FsyncPolicy[]) {
  const dir = await mkdtemp(join(tmpdir(), 'seaway-log-bench-'));
  try {
    await run(
      `FileLog fsync=${typeof fsync === 'object' ? `${fsync.everyMs}ms` : fsync}`,
      await FileLog.open(dir, { fsync }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
