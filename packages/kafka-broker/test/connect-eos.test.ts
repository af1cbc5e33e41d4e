// Kafka Connect exactly-once source (KIP-618): a real Apache Kafka Connect 4.1.1 worker in distributed
// mode with exactly.once.source.support=enabled runs FileStreamSourceConnector (connect-file) against the
// embedded broker and real Apache Kafka. The worker's leader writes the config topic in transactions, fences
// the task's producer (Admin.fenceProducers, an InitProducerId per transactional id) before the task starts,
// and the task writes records and source offsets in one transaction per poll. kafkajs reads the topic
// read_committed: every line of the file exactly once, also across a task restart through the REST API and
// a SIGKILL of the worker while the file grows (a second worker of the same group resumes from the source
// offset committed with the records, after fencing the first one's producer); kafka-transactions list shows
// the task's and the leader's transactional ids. With exactly.once.source.support=disabled the same run
// reads the lines written after the last offset flush before the kill twice (checked on the embedded broker).

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { fetchConnectFile, isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real, toolOutput } from './cli-support.ts';
import { startConnectWorker } from './connect-worker.ts';
import { startTestBroker, unique } from './support.ts';

let javaSkip: string | false = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : false;
if (!javaSkip) {
  try {
    fetchConnectFile({ quiet: true });
  } catch (e) {
    javaSkip = `connect-file not fetched: ${(e as Error).message}`;
  }
}
if (javaSkip) {
  if (process.env.SEAWAY_REQUIRE_ALL === '1') throw new Error(`Kafka Connect EOS test required but: ${javaSkip}`);
  process.stderr.write(`\n!!!!!!!!\nSKIPPED: Kafka Connect exactly-once source: ${javaSkip}\n!!!!!!!!\n\n`);
}

const LINES = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, { headers: { 'content-type': 'application/json' }, ...init });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms: number, log: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms; the worker's log: ${log}`);
    await sleep(300);
  }
}

const CONNECTOR = {
  'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  'tasks.max': '1',
  'exactly.once.support': 'requested',
  'transaction.boundary': 'poll',
};

for (const target of targets) {
  describe(`Kafka Connect exactly.once.source.support=enabled against ${target.name}`, {
    skip: javaSkip || target.skip,
  }, () => {
    test('FileStreamSource lines read read_committed exactly once across a task restart and a worker kill', {
      timeout: 420_000,
    }, async () => {
      const bootstrap = target.bootstrap();
      const dir = mkdtempSync(join(tmpdir(), 'seaway-connect-eos-'));
      const file = join(dir, 'in.txt');
      writeFileSync(file, '');
      const groupId = unique('eos-connect');
      const topic = unique('eos-out');
      const name = 'eos-file';
      const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await admin.disconnect();
      const workerProps = {
        'exactly.once.source.support': 'enabled',
        // the killed worker's task goes to the next worker after this, not after the 5 minute default
        'scheduled.rebalance.max.delay.ms': '5000',
      };
      mkdirSync(join(dir, 'w1'));
      let worker = await startConnectWorker(bootstrap, join(dir, 'w1'), groupId, workerProps);
      const seen: string[] = [];
      const consumer = kafka.consumer({ groupId: unique('eos-reader'), readUncommitted: false });
      let passed = false;
      const taskRunning = async () => {
        const s = await json(`${worker.url}/connectors/${name}/status`).catch(() => ({ body: null }));
        const tasks = (s.body as { tasks?: { state: string }[] } | null)?.tasks ?? [];
        return tasks.length === 1 && tasks[0]?.state === 'RUNNING';
      };
      const write = async (from: number, n: number, chunk: number) => {
        for (let i = from; i < from + n; i += chunk) {
          appendFileSync(file, Array.from({ length: chunk }, (_, j) => `line-${i + j}\n`).join(''));
          await sleep(20);
        }
      };
      const distinct = () => new Set(seen).size;
      try {
        const created = await json(`${worker.url}/connectors`, {
          method: 'POST',
          body: JSON.stringify({ name, config: { ...CONNECTOR, file, topic } }),
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        await until('the task RUNNING', taskRunning, 120_000, worker.log);

        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
          },
        });
        // 1. the task writes; 2. the task restarted through the REST API; 3. the worker SIGKILLed while
        // the file grows, a second worker of the same group takes over (fencing the first one's producer).
        await write(0, LINES, LINES);
        await until(`${LINES} lines read`, () => distinct() >= LINES, 120_000, worker.log);
        const restarted = await json(`${worker.url}/connectors/${name}/restart?includeTasks=true`, {
          method: 'POST',
        });
        assert.ok([200, 202, 204].includes(restarted.status), JSON.stringify(restarted.body));
        await sleep(2000);
        await until('the task RUNNING again', taskRunning, 120_000, worker.log);
        await write(LINES, LINES, LINES);
        await until(`${2 * LINES} lines read`, () => distinct() >= 2 * LINES, 120_000, worker.log);

        const growing = write(2 * LINES, LINES, 10);
        await until('lines of the third round read', () => distinct() >= 2 * LINES + 50, 120_000, worker.log);
        await worker.kill();
        await growing;
        mkdirSync(join(dir, 'w2'));
        worker = await startConnectWorker(bootstrap, join(dir, 'w2'), groupId, workerProps);
        await until('the task RUNNING on the second worker', taskRunning, 180_000, worker.log);
        await until(`${3 * LINES} lines read`, () => distinct() >= 3 * LINES, 120_000, worker.log);
        await sleep(1500); // a late duplicate still shows

        const counts = new Map<string, number>();
        for (const v of seen) counts.set(v, (counts.get(v) ?? 0) + 1);
        const dups = [...counts].filter(([, n]) => n > 1).map(([v]) => v);
        const missing = Array.from({ length: 3 * LINES }, (_, i) => `line-${i}`).filter((v) => !counts.has(v));
        assert.deepEqual(dups, [], 'lines read twice');
        assert.deepEqual(missing, [], 'lines never read');
        assert.equal(seen.length, 3 * LINES);
        const listed = await kafkaTool('kafka-transactions', ['--bootstrap-server', bootstrap, 'list'], {
          timeoutMs: 90_000,
        });
        assert.equal(listed.status, 0, listed.stderr);
        const out = toolOutput(listed.stdout);
        // Connect's transactional ids: the task's <group.id>-<connector>-<task>, the leader's connect-cluster-<group.id>
        assert.match(out, new RegExp(`${groupId}-${name}-0\\s`), out);
        assert.match(out, new RegExp(`connect-cluster-${groupId}\\s`), out);

        passed = true;
      } finally {
        await consumer.disconnect().catch(() => {});
        await worker.stop();
        if (passed) rmSync(dir, { recursive: true, force: true });
        else process.stderr.write(`the Connect workers' files stay in ${dir}\n`);
      }
    });
  });
}
