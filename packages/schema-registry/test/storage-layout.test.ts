// The _schemas records follow Confluent's key/value JSON layout, records Confluent writes are read,
// and the Kafka topic is created compacted with one partition.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createMemoryStore, MemoryLog, SeawayCode, startSchemaRegistry } from '../src/index.ts';
import { avro, call, kafka, uniqueTopic } from './helpers.ts';

const parse = (s: string | null) => (s === null ? null : JSON.parse(s));

test('writes use Confluent keys and values: SCHEMA, CONFIG, MODE, DELETE_SUBJECT and tombstones', async () => {
  const log = new MemoryLog();
  const r = await startSchemaRegistry({ port: 0, store: createMemoryStore(log) });
  try {
    const schema = avro({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] });
    await call(r.url, 'POST', '/subjects/s/versions', { schema });
    await call(r.url, 'POST', '/subjects/j/versions', { schema: '{"type":"object"}', schemaType: 'JSON' });
    await call(r.url, 'PUT', '/config', { compatibility: 'FULL' });
    await call(r.url, 'PUT', '/config/s', { compatibility: 'NONE' });
    await call(r.url, 'PUT', '/mode/s', { mode: 'READWRITE' });
    await call(r.url, 'DELETE', '/subjects/s');
    await call(r.url, 'DELETE', '/subjects/s?permanent=true');
    const records = log.records.map((x) => [parse(x.key), parse(x.value)]);
    assert.deepEqual(records, [
      [
        { keytype: 'SCHEMA', subject: 's', version: 1, magic: 1 },
        { subject: 's', version: 1, id: 1, schema, deleted: false },
      ],
      [
        { keytype: 'SCHEMA', subject: 'j', version: 1, magic: 1 },
        { subject: 'j', version: 1, id: 2, schemaType: 'JSON', schema: '{"type":"object"}', deleted: false },
      ],
      [{ keytype: 'CONFIG', magic: 0 }, { compatibilityLevel: 'FULL' }],
      [{ keytype: 'CONFIG', subject: 's', magic: 0 }, { compatibilityLevel: 'NONE' }],
      [{ keytype: 'MODE', subject: 's', magic: 0 }, { mode: 'READWRITE' }],
      [
        { keytype: 'DELETE_SUBJECT', subject: 's', magic: 0 },
        { subject: 's', version: 1 },
      ],
      [{ keytype: 'CONFIG', subject: 's', magic: 0 }, null],
      [{ keytype: 'MODE', subject: 's', magic: 0 }, null],
      [{ keytype: 'SCHEMA', subject: 's', version: 1, magic: 1 }, null],
    ]);
  } finally {
    await r.close();
  }
});

test('a topic as Confluent writes it is read: explicit AVRO type, null subject, unknown key types, NOOP', async () => {
  const log = new MemoryLog();
  const put = (k: unknown, v: unknown) =>
    log.records.push({ key: JSON.stringify(k), value: v === null ? null : JSON.stringify(v) });
  put({ keytype: 'NOOP', magic: 0 }, null);
  put({ keytype: 'CONFIG', subject: null, magic: 0 }, { compatibilityLevel: 'FORWARD', alias: null, normalize: null });
  put(
    { keytype: 'SCHEMA', subject: 'x', version: 1, magic: 1 },
    { subject: 'x', version: 1, id: 7, schemaType: 'AVRO', schema: '"string"', deleted: false },
  );
  put(
    { keytype: 'SCHEMA', subject: 'x', version: 2, magic: 1 },
    { subject: 'x', version: 2, id: 9, schema: '"bytes"', deleted: false },
  );
  put({ keytype: 'DELETE_SUBJECT', subject: 'x', magic: 0 }, { subject: 'x', version: 1 });
  put({ keytype: 'CLEAR_SUBJECT', subject: 'x', magic: 0 }, { subject: 'x' });
  log.records.push({ key: 'not json', value: 'x' });
  const r = await startSchemaRegistry({ port: 0, store: createMemoryStore(log) });
  try {
    assert.deepEqual((await call(r.url, 'GET', '/config')).body, { compatibilityLevel: 'FORWARD' });
    assert.deepEqual((await call(r.url, 'GET', '/subjects/x/versions')).body, [2]);
    assert.equal((await call(r.url, 'GET', '/schemas/ids/7')).body.schema, '"string"');
    assert.equal(r.registry.state.skipped, 2);
    assert.equal((await call(r.url, 'POST', '/subjects/y/versions', { schema: '"int"' })).body.id, 10);
  } finally {
    await r.close();
  }
});

test('on Kafka the topic is created compacted with one partition', { skip: !kafka && 'no real Kafka' }, async () => {
  const topic = uniqueTopic('layout');
  const r = await startSchemaRegistry({ port: 0, brokers: [kafka as string], topic });
  const admin = new Kafka({ brokers: [kafka as string], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(meta.topics[0]?.partitions.length, 1);
    const cfg = await admin.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    assert.equal(cfg.resources[0]?.configEntries[0]?.configValue, 'compact');
  } finally {
    await admin.disconnect();
    await r.close();
  }
});

test('a topic with several partitions is refused with SEAWAY_SR_TOPIC_PARTITIONS', {
  skip: !kafka && 'no real Kafka',
}, async () => {
  const topic = uniqueTopic('partitions');
  const admin = new Kafka({ brokers: [kafka as string], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    await assert.rejects(
      startSchemaRegistry({ port: 0, brokers: [kafka as string], topic }),
      (e: { code?: string }) => e.code === SeawayCode.TOPIC_PARTITIONS,
    );
  } finally {
    await admin.disconnect();
  }
});

test('an old version this parser rejects makes a new version incompatible with a clear reason, not a 42201', async () => {
  const log = new MemoryLog();
  const lax = '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}';
  log.records.push({
    key: JSON.stringify({ keytype: 'SCHEMA', subject: 'lax', version: 1, magic: 1 }),
    value: JSON.stringify({ subject: 'lax', version: 1, id: 1, schema: lax, deleted: false }),
  });
  const r = await startSchemaRegistry({ port: 0, store: createMemoryStore(log) });
  try {
    assert.equal((await call(r.url, 'GET', '/schemas/ids/1')).body.schema, lax, 'served as stored');
    const next = await call(r.url, 'POST', '/subjects/lax/versions', { schema: '"string"' });
    assert.equal(next.status, 409);
    assert.match(next.body.message, /OLD_SCHEMA_UNREADABLE/);
  } finally {
    await r.close();
  }
});

test('a topic whose cleanup policy is delete is refused with SEAWAY_SR_TOPIC_POLICY', {
  skip: !kafka && 'no real Kafka',
}, async () => {
  const topic = uniqueTopic('policy');
  const admin = new Kafka({ brokers: [kafka as string], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }],
    });
    await assert.rejects(
      startSchemaRegistry({ port: 0, brokers: [kafka as string], topic }),
      (e: { code?: string }) => e.code === SeawayCode.TOPIC_POLICY,
    );
  } finally {
    await admin.disconnect();
  }
});
