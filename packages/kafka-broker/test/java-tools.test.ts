// The Java CLI tools from the Apache Kafka download (scripts/kafka/kafka.mjs tool ...) against the
// embedded broker and real Apache Kafka: kafka-topics create/list/describe, console producer and
// consumer with a group, kafka-consumer-groups --describe and --reset-offsets, kafka-delete-records,
// kafka-broker-api-versions, and the Java idempotent producer (kafka-producer-perf-test enable.idempotence=true).

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const javaSkip = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : false;
if (javaSkip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: Java CLI tools: ${javaSkip}\n!!!!!!!!\n\n`);

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`Java CLI tools against ${target.name}`, { skip: javaSkip || target.skip }, () => {
    const bs = () => ['--bootstrap-server', target.bootstrap()];

    test('kafka-topics creates, lists and describes; console round-trip; groups describe lag and reset offsets; delete-records', {
      timeout: 90_000,
    }, async () => {
      const topic = unique('java');
      const group = unique('java-g');
      const created = await kafkaTool('kafka-topics', [
        ...bs(),
        '--create',
        '--topic',
        topic,
        '--partitions',
        '2',
        '--config',
        'retention.ms=7200000',
      ]);
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, /Created topic/);
      const listed = await kafkaTool('kafka-topics', [...bs(), '--list']);
      assert.ok(listed.stdout.split('\n').includes(topic));
      const described = await kafkaTool('kafka-topics', [...bs(), '--describe', '--topic', topic]);
      assert.match(described.stdout, /PartitionCount: 2\s+ReplicationFactor: 1/);
      assert.match(described.stdout, /retention\.ms=7200000/);
      const produced = await kafkaTool(
        'kafka-console-producer',
        [...bs(), '--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=:'],
        { input: 'a:1\nb:2\nc:3\n' },
      );
      assert.equal(produced.status, 0, produced.stderr);
      const consumed = await kafkaTool('kafka-console-consumer', [
        ...bs(),
        '--topic',
        topic,
        '--from-beginning',
        '--max-messages',
        '3',
        '--group',
        group,
        '--property',
        'print.key=true',
        '--property',
        'key.separator=:',
      ]);
      assert.equal(consumed.status, 0, consumed.stderr);
      assert.deepEqual(consumed.stdout.trim().split('\n').sort(), ['a:1', 'b:2', 'c:3']);
      const groups = await kafkaTool('kafka-consumer-groups', [...bs(), '--describe', '--group', group]);
      assert.equal(groups.status, 0, groups.stderr);
      const rows = groups.stdout.split('\n').filter((l) => l.startsWith(group));
      assert.equal(rows.length, 2);
      const lagSum = rows.reduce((n, l) => n + Number(l.trim().split(/\s+/)[5]), 0);
      assert.equal(lagSum, 0);
      const reset = await kafkaTool('kafka-consumer-groups', [
        ...bs(),
        '--group',
        group,
        '--topic',
        topic,
        '--reset-offsets',
        '--to-earliest',
        '--execute',
      ]);
      assert.equal(reset.status, 0, reset.stderr);
      const afterReset = await kafkaTool('kafka-consumer-groups', [...bs(), '--describe', '--group', group]);
      const lagAfter = afterReset.stdout
        .split('\n')
        .filter((l) => l.startsWith(group))
        .reduce((n, l) => n + Number(l.trim().split(/\s+/)[5]), 0);
      assert.equal(lagAfter, 3);
      const file = join(await mkdtemp(join(tmpdir(), 'seaway-java-')), 'delete.json');
      await writeFile(
        file,
        JSON.stringify({ version: 1, partitions: [0, 1].map((partition) => ({ topic, partition, offset: -1 })) }),
      );
      const deleted = await kafkaTool('kafka-delete-records', [...bs(), '--offset-json-file', file]);
      assert.equal(deleted.status, 0, deleted.stderr);
      const lows = [...deleted.stdout.matchAll(/low_watermark: (\d+)/g)].map((m) => Number(m[1]));
      assert.equal(
        lows.reduce((n, x) => n + x, 0),
        3,
      );
    });

    test('kafka-broker-api-versions lists the served versions', { timeout: 60_000 }, async () => {
      const v = await kafkaTool('kafka-broker-api-versions', bs());
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /Produce\(0\): \d+ to 1[1-3] \[usable: 1[1-3]\]/);
      assert.match(v.stdout, /Fetch\(1\): 4 to \d+/);
      // every other tool of the download: the CLI tools suite (java-tools-suite.ts)
    });

    test('the Java idempotent producer writes every record exactly once', { timeout: 90_000 }, async () => {
      const topic = unique('java-idem');
      const r = await kafkaTool('kafka-producer-perf-test', [
        '--topic',
        topic,
        '--num-records',
        '20000',
        '--record-size',
        '100',
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${target.bootstrap()}`,
        'enable.idempotence=true',
        'acks=all',
        'linger.ms=5',
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /20000 records sent/);
      const kafka = new Kafka({ brokers: [target.bootstrap()], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      assert.equal(
        offsets.reduce((n, p) => n + Number(p.high), 0),
        20000,
      );
    });
  });
}
