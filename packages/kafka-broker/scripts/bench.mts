// Benchmark (not a test): kafkajs produce (acks=all) and consume throughput of N records of S bytes,
// against the embedded broker (started as a child process on a temp dataDir, so its start time and
// resident memory are its own) and, if given, a real Kafka.
//   node --import tsx scripts/bench.mts [--records 200000] [--size 100] [--real 127.0.0.1:19092]
//     [--runner path/to/run.mts]   another copy of the broker (before/after comparisons)
//     [--cpu-prof DIR]             the broker writes a V8 CPU profile into DIR when it exits
//     [--produce-only]             skip the consume phase
//     [--real-first]               measure real Kafka before the embedded broker
// Each run first sends 20 untimed batches: without them the client process warms up (JIT) during the
// first broker's run, which made whichever broker ran second look 10-20% faster.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const RECORDS = Number(arg('records', '200000'));
const SIZE = Number(arg('size', '100'));
const REAL = arg('real', '');
const RUNNER = arg('runner', '');
const CPU_PROF = arg('cpu-prof', '');
const PRODUCE_ONLY = process.argv.includes('--produce-only');
const REAL_FIRST = process.argv.includes('--real-first');
const BATCH = 1000;
const IN_FLIGHT = 8;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

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

/** CPU ms (user + system) the process has used so far; /proc clock ticks are 10 ms. */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** Sends before the clock starts, so the client process is warmed up for whichever broker runs first. */
const WARMUP_SENDS = 20;

async function run(
  bootstrap: string,
  brokerPid?: number,
): Promise<{ produce: number; consume: number; brokerCpuMs?: number }> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'bench' });
  const topic = `bench-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const value = Buffer.alloc(SIZE, 'x');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const messages = Array.from({ length: BATCH }, () => ({ value }));
  for (let i = 0; i < WARMUP_SENDS; i++) await producer.send({ topic, acks: -1, messages });
  const warm = WARMUP_SENDS * BATCH;
  const cpu0 = brokerPid ? cpuMs(brokerPid) : 0;
  const client0 = process.cpuUsage();
  let t = process.hrtime.bigint();
  let sent = 0;
  const worker = async () => {
    while (sent < RECORDS) {
      sent += BATCH;
      await producer.send({ topic, acks: -1, messages });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const produceSecs = Number(process.hrtime.bigint() - t) / 1e9;
  const brokerCpuMs = brokerPid ? cpuMs(brokerPid) - cpu0 : undefined;
  const c = process.cpuUsage(client0);
  const clientCpuMs = Math.round((c.user + c.system) / 1000);
  console.log(
    `  ${bootstrap}: produce took ${Math.round(produceSecs * 1000)} ms, client CPU ${clientCpuMs} ms` +
      (brokerCpuMs === undefined ? '' : `, broker CPU ${brokerCpuMs} ms`),
  );
  await producer.disconnect();
  if (PRODUCE_ONLY) {
    await admin.disconnect();
    return { produce: Math.round(sent / produceSecs), consume: 0, brokerCpuMs };
  }
  const consumer = kafka.consumer({
    groupId: `${topic}-g`,
    maxBytes: 10 << 20,
    maxBytesPerPartition: 10 << 20,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let got = 0;
  t = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        got += batch.messages.length;
        if (got >= sent + warm) resolve();
      },
    });
  });
  const consumeSecs = Number(process.hrtime.bigint() - t) / 1e9;
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
  return { produce: Math.round(sent / produceSecs), consume: Math.round(got / consumeSecs), brokerCpuMs };
}

const realFirst = REAL && REAL_FIRST ? await run(REAL) : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'seaway-bench-'));
const port = 29092 + Math.floor(Math.random() * 1000);
const runner = RUNNER || fileURLToPath(new URL('./run.mts', import.meta.url));
const profFlags = CPU_PROF ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', CPU_PROF] : [];
const t0 = Date.now();
const child = spawn(
  process.execPath,
  [...profFlags, '--import', 'tsx', runner, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  },
);
await waitForPort(port);
const readyMs = Date.now() - t0;
const idleRss = rssMiB(child.pid as number);
const embedded = await run(`127.0.0.1:${port}`, child.pid);
const loadedRss = rssMiB(child.pid as number);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
console.log(
  `records ${RECORDS} x ${SIZE} B, kafkajs batches of ${BATCH}, ${IN_FLIGHT} sends in flight, acks=all, 1 partition`,
);
console.log(
  `embedded: ready in ${readyMs} ms (process spawn to port open), RSS idle ${idleRss} MiB, after run ${loadedRss} MiB`,
);
console.log(
  `embedded: produce ${embedded.produce} rec/s (broker CPU ${embedded.brokerCpuMs} ms), consume ${embedded.consume} rec/s`,
);
if (REAL) {
  const r = realFirst ?? (await run(REAL));
  console.log(`real Kafka ${REAL}: produce ${r.produce} rec/s, consume ${r.consume} rec/s`);
}
process.exit(0);
