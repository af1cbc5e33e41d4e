// Benchmark (not a test): transactional produce throughput with kafkajs, N transactions of B records
// (default 200 x 100 records of 100 bytes, acks=all, 1 partition), each begin -> send -> commit, one
// after another, against the embedded broker (a child process on a temp dataDir, FileLog) and, if
// given, a real Kafka, in one run. Reports transactions/s, records/s and the median and p99 time of
// one transaction. 5 untimed transactions run first on each broker (client JIT warm-up).
//   node --import tsx scripts/bench-txn.mts [--txns 200] [--batch 100] [--size 100] [--real 127.0.0.1:19092]
//     [--real-first]   measure real Kafka before the embedded broker

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
};
const TXNS = Number(arg('txns', '200'));
const BATCH = Number(arg('batch', '100'));
const SIZE = Number(arg('size', '100'));
const REAL = arg('real', '');
const REAL_FIRST = process.argv.includes('--real-first');
const WARMUP = 5;

function waitForPort(port: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > end) reject(new Error(`port ${port} not ready`));
        else setTimeout(attempt, 10);
      });
    };
    attempt();
  });
}

interface Result {
  name: string;
  txnPerSec: number;
  recPerSec: number;
  medianMs: number;
  p99Ms: number;
}

async function measure(name: string, bootstrap: string): Promise<Result> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'bench-txn' });
  const topic = `bench-txn-${process.pid}-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({
    transactionalId: `bench-tid-${process.pid}-${Date.now().toString(36)}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const value = Buffer.alloc(SIZE, 'x');
  const messages = Array.from({ length: BATCH }, (_, i) => ({ key: String(i), value }));
  const one = async () => {
    const t = await producer.transaction();
    await t.send({ topic, acks: -1, messages });
    await t.commit();
  };
  for (let i = 0; i < WARMUP; i++) await one();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < TXNS; i++) {
    const t0 = performance.now();
    await one();
    times.push(performance.now() - t0);
  }
  const wall = (performance.now() - start) / 1000;
  await producer.disconnect();
  times.sort((a, b) => a - b);
  return {
    name,
    txnPerSec: Math.round(TXNS / wall),
    recPerSec: Math.round((TXNS * BATCH) / wall),
    medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)),
    p99Ms: Number(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!.toFixed(2)),
  };
}

async function embedded(): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'seaway-bench-txn-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const runner = fileURLToPath(new URL('./run.mts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', runner, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitForPort(port);
    return await measure('embedded', `127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
const order = REAL_FIRST ? ['real', 'embedded'] : ['embedded', 'real'];
for (const which of order) {
  if (which === 'embedded') results.push(await embedded());
  else if (REAL) results.push(await measure('Apache Kafka', REAL));
}
console.log(`transactional produce: ${TXNS} transactions x ${BATCH} records x ${SIZE} B, kafkajs, acks=all`);
console.table(results);
