// The Java clients and tools of the Apache Kafka download doing transactions, against the embedded
// broker and real Apache Kafka: fixtures/TxnClient.java (compiled here with javac against the
// download's jars) commits with sendOffsetsToTransaction, aborts, is fenced by a second producer
// with the same transactional.id, and reads with read_committed and read_uncommitted consumers;
// kafka-producer-perf-test --transactional-id; kafka-transactions list, describe and
// describe-producers; kafka-transactions abort of a hanging transaction (WriteTxnMarkers).

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode, encodeRecordBatch } from '@seaway/kafka-protocol';
import { isFetched, javaAvailable, libsDir } from '../../../scripts/kafka/kafka.mjs';
import { command } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real, run } from './cli-support.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

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

// biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
async function retrying(c: RawClient, key: number, version: number, body: object, code: (b: any) => number) {
  for (let i = 0; ; i++) {
    const r = await c.send(key, version, body as never);
    const e = code(r.body);
    // coordinator loading / a new topic's leader on Apache Kafka
    if (![14, 15, 16, 6].includes(e) || i > 100) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Opens a transaction that writes one record to partition 0 of `topic` and never ends. */
async function hangingTransaction(c: RawClient, topic: string): Promise<void> {
  const tid = unique('hanging');
  const init = await retrying(
    c,
    22,
    4,
    { transactionalId: tid, transactionTimeoutMs: 600_000, producerId: -1n, producerEpoch: -1 },
    (b) => b.errorCode,
  );
  assert.equal(init.errorCode, ErrorCode.NONE);
  const added = await retrying(
    c,
    24,
    3,
    {
      v3AndBelowTransactionalId: tid,
      v3AndBelowProducerId: init.producerId,
      v3AndBelowProducerEpoch: init.producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions: [0] }],
    },
    (b) => b.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode,
  );
  assert.equal(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode, ErrorCode.NONE);
  const records = encodeRecordBatch([{ value: Buffer.from('hang') }], {
    producerId: Number(init.producerId),
    producerEpoch: init.producerEpoch,
    baseSequence: 0,
    isTransactional: true,
  });
  const produced = await retrying(
    c,
    0,
    9,
    {
      transactionalId: tid,
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    },
    (b) => b.responses[0].partitionResponses[0].errorCode,
  );
  assert.equal(produced.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
}

async function lastStableOffset(c: RawClient, topic: string): Promise<number> {
  const f = await c.send(1, 12, {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  return Number(f.body.responses[0].partitions[0].lastStableOffset);
}

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
      // with transaction.version 2 (Apache Kafka 4.1's default, and the embedded broker's) the zombie's
      // Produce is refused (InvalidProducerEpochException); with version 1 its AddPartitionsToTxn would be
      // (ProducerFencedException)
      assert.equal(out.fenced, 'InvalidProducerEpochException');
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

    test('kafka-transactions abort closes a hanging transaction (WriteTxnMarkers), the LSO moves on', {
      timeout: 120_000,
    }, async () => {
      const port = Number(target.bootstrap().split(':').pop());
      const c = await RawClient.open(port);
      try {
        const topic = unique('jtxn-hang');
        const created = await c.send(19, 5, {
          topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
        await hangingTransaction(c, topic);
        assert.equal(await lastStableOffset(c, topic), 0);
        const aborted = await kafkaTool(
          'kafka-transactions',
          [
            '--bootstrap-server',
            target.bootstrap(),
            'abort',
            '--topic',
            topic,
            '--partition',
            '0',
            '--start-offset',
            '0',
          ],
          { timeoutMs: 60_000 },
        );
        assert.equal(aborted.status, 0, aborted.stderr + aborted.stdout);
        assert.equal(await lastStableOffset(c, topic), 2, 'record + ABORT marker are stable');
      } finally {
        c.close();
      }
    });
  });
}
