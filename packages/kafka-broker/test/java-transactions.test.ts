// The Java clients and tools of the Apache Kafka download doing transactions, against the embedded
// broker and real Apache Kafka: fixtures/TxnClient.java (compiled here with javac against the
// download's jars) commits with sendOffsetsToTransaction, aborts, is fenced by a second producer
// with the same transactional.id, and reads with read_committed and read_uncommitted consumers;
// kafka-producer-perf-test --transactional-id; kafka-transactions list, describe and
// describe-producers.

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript helper without types
import { isFetched, javaAvailable, libsDir } from '../../../scripts/kafka/kafka.mjs';
import { command } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real, run } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const javac = command('javac');
const javaSkip = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : !javac
      ? 'javac not installed'
      : false;
if (javaSkip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: Java transactions: ${javaSkip}\n!!!!!!!!\n\n`);

const source = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'TxnClient.java');
let classes = '';
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
  if (javaSkip) return;
  classes = await mkdtemp(join(tmpdir(), 'seaway-txn-java-'));
  const r = await run(javac as string, ['-d', classes, '-cp', `${libsDir}/*`, source], { timeoutMs: 120_000 });
  assert.equal(r.status, 0, r.stderr);
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`Java transactions against ${target.name}`, { skip: javaSkip || target.skip }, () => {
    test('commit with sendOffsetsToTransaction, abort, fencing; read_committed sees only committed records', {
      timeout: 150_000,
    }, async () => {
      const r = await run(
        'java',
        [
          '-cp',
          `${libsDir}/*:${classes}`,
          'TxnClient',
          target.bootstrap(),
          unique('jtxn'),
          unique('jtxn-g'),
          unique('jtid'),
        ],
        { timeoutMs: 140_000 },
      );
      assert.equal(r.status, 0, r.stderr + r.stdout);
      const line = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop() as string;
      const out = JSON.parse(line);
      // with transaction.version 2 (Apache Kafka 4.1's default) the zombie's Produce is refused
      // (InvalidProducerEpochException); with version 1 its AddPartitionsToTxn is (ProducerFencedException)
      assert.match(out.fenced, /^(ProducerFencedException|InvalidProducerEpochException)$/);
      delete out.fenced;
      assert.deepEqual(out, {
        committed: 17,
        read_committed: ['c0', 'c1', 'c2', 'c3', 'c4'],
        read_uncommitted_count: 7,
      });
    });

    test('kafka-producer-perf-test --transactional-id; kafka-transactions list, describe, describe-producers', {
      timeout: 150_000,
    }, async () => {
      const bs = ['--bootstrap-server', target.bootstrap()];
      const topic = unique('jtxn-perf');
      const tid = unique('perf-tid');
      const perf = await kafkaTool(
        'kafka-producer-perf-test',
        [
          '--topic',
          topic,
          '--num-records',
          '2000',
          '--record-size',
          '100',
          '--throughput',
          '-1',
          '--transactional-id',
          tid,
          '--transaction-duration-ms',
          '100',
          '--producer-props',
          `bootstrap.servers=${target.bootstrap()}`,
        ],
        { timeoutMs: 120_000 },
      );
      assert.equal(perf.status, 0, perf.stderr);
      assert.match(perf.stdout, /2000 records sent/);

      const list = await kafkaTool('kafka-transactions', [...bs, 'list'], { timeoutMs: 60_000 });
      assert.equal(list.status, 0, list.stderr);
      const row = list.stdout.split('\n').find((l) => l.startsWith(tid));
      assert.ok(row, list.stdout);
      assert.match(row, /CompleteCommit/);

      const desc = await kafkaTool('kafka-transactions', [...bs, 'describe', '--transactional-id', tid], {
        timeoutMs: 60_000,
      });
      assert.equal(desc.status, 0, desc.stderr);
      assert.match(desc.stdout, new RegExp(`${tid}\\s+\\d+\\s+\\d+\\s+CompleteCommit\\s+60000`));

      const unknown = await kafkaTool('kafka-transactions', [...bs, 'describe', '--transactional-id', unique('none')], {
        timeoutMs: 60_000,
      });
      assert.notEqual(unknown.status, 0);
      assert.match(unknown.stderr + unknown.stdout, /could not be found/);

      const producers = await kafkaTool(
        'kafka-transactions',
        [...bs, 'describe-producers', '--topic', topic, '--partition', '0'],
        { timeoutMs: 60_000 },
      );
      assert.equal(producers.status, 0, producers.stderr);
      const lines = producers.stdout.trim().split('\n');
      assert.match(lines[0] as string, /^ProducerId\s+ProducerEpoch/);
      assert.equal(lines.length, 2, producers.stdout);
    });
  });
}
