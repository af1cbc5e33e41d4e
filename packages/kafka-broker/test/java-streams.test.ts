// Kafka Streams (org.apache.kafka:kafka-streams from Maven Central, fetched by scripts/kafka/kafka.mjs
// fetchKafkaStreams) with processing.guarantee=exactly_once_v2 against the embedded broker and real
// Apache Kafka: fixtures/StreamsCount.java (compiled here with javac) counts records by key; kafkajs
// writes the input in two rounds (before and while the app runs) and reads the output read_committed.
// Every key's counts must go up by whole records with no repeat (a reprocessed record would show as
// a repeated or skipped count) and end at the number of records with that key.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { fetchKafkaStreams, isFetched, javaAvailable, libsDir } from '../../../scripts/kafka/kafka.mjs';
import { command } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real, run } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const KEYS = 10;
const PER_ROUND = 300;
const javac = command('javac');
let streamsLibs: string | false = false;
let streamsWhy = '';
if (javaAvailable() && isFetched() && javac) {
  try {
    streamsLibs = fetchKafkaStreams({ quiet: true }) as string;
  } catch (e) {
    streamsWhy = (e as Error).message;
  }
}
const javaSkip = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : !javac
      ? 'javac not installed'
      : !streamsLibs
        ? `kafka-streams not fetched: ${streamsWhy}`
        : false;
if (javaSkip) {
  if (process.env.SEAWAY_REQUIRE_ALL === '1') throw new Error(`Kafka Streams test required but: ${javaSkip}`);
  process.stderr.write(`\n!!!!!!!!\nSKIPPED: Kafka Streams exactly_once_v2: ${javaSkip}\n!!!!!!!!\n\n`);
}

const source = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'StreamsCount.java');
let classes = '';
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
  if (javaSkip) return;
  classes = await mkdtemp(join(tmpdir(), 'seaway-streams-java-'));
  const cp = `${libsDir}/*:${streamsLibs}/*`;
  const r = await run(javac as string, ['-d', classes, '-cp', cp, source], { timeoutMs: 120_000 });
  assert.equal(r.status, 0, r.stderr);
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of targets) {
  describe(`Kafka Streams exactly_once_v2 against ${target.name}`, { skip: javaSkip || target.skip }, () => {
    test('count by key: read_committed output counts are exact', { timeout: 180_000 }, async () => {
      const bootstrap = target.bootstrap();
      const input = unique('streams-in');
      const output = unique('streams-out');
      const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          { topic: input, numPartitions: 3 },
          { topic: output, numPartitions: 3 },
        ],
      });
      await admin.disconnect();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const round = (r: number) =>
        producer.send({
          topic: input,
          acks: -1,
          messages: Array.from({ length: PER_ROUND }, (_, i) => ({ key: `k${i % KEYS}`, value: `${r}-${i}` })),
        });
      await round(0);

      const stateDir = await mkdtemp(join(tmpdir(), 'seaway-streams-state-'));
      const app = spawn(
        'java',
        [
          '-Xmx384m',
          '-Dlog4j2.level=WARN',
          '-cp',
          `${libsDir}/*:${streamsLibs}/*:${classes}`,
          'StreamsCount',
          bootstrap,
          unique('streams-app'),
          input,
          output,
          stateDir,
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      app.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      app.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
      const exited = new Promise<number | null>((resolve) => app.on('close', resolve));

      const counts = new Map<string, bigint[]>();
      const consumer = kafka.consumer({ groupId: unique('streams-reader'), readUncommitted: false });
      await consumer.connect();
      await consumer.subscribe({ topic: output, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const key = message.key?.toString() ?? '';
          const list = counts.get(key) ?? [];
          list.push((message.value as Buffer).readBigInt64BE(0));
          counts.set(key, list);
        },
      });
      const expected = BigInt((2 * PER_ROUND) / KEYS);
      const finished = () => counts.size === KEYS && [...counts.values()].every((l) => l[l.length - 1] === expected);
      try {
        const end = Date.now() + 120_000;
        while (!out.includes('state RUNNING') && Date.now() < end && !out.includes('error')) await sleep(200);
        assert.ok(out.includes('state RUNNING'), `the app did not reach RUNNING:\n${out}\n${err}`);
        await round(1);
        while (!finished() && Date.now() < end && !out.includes('error')) await sleep(200);
        await sleep(1000); // a late duplicate still shows
      } finally {
        await producer.disconnect();
        await consumer.disconnect();
        app.stdin.end();
        const killer = setTimeout(() => app.kill('SIGKILL'), 40_000);
        await exited;
        clearTimeout(killer);
      }
      assert.ok(!out.includes('error'), `${out}\n${err}`);
      assert.equal(counts.size, KEYS, `keys seen: ${[...counts.keys()]}\n${out}\n${err}`);
      for (const [key, list] of counts) {
        const increasing = list.every((c, i) => i === 0 || c > (list[i - 1] as bigint));
        assert.ok(increasing, `${key}: counts not strictly increasing: ${list.join(',')}`);
        assert.equal(list[list.length - 1], expected, `${key}: ${list.join(',')}`);
      }
    });
  });
}
