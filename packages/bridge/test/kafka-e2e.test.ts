// End to end on a real Apache Kafka (SEAWAY_TEST_KAFKA): the seed connector through the embedded
// MQTT broker's ingest gate (PUBACK only after Kafka), every converter read back by a real consumer,
// and the Connect config store surviving a restart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { avroType } from '../src/converters/avro-types.ts';
import { type ConnectRuntime, startConnect } from '../src/start-connect.ts';
import { aisSchemaPath, seedConfig, unique } from './helpers.ts';
import { decodeConfluent, endOffset, readTopic } from './kafka-read.ts';
import { type RegistryStub, startRegistryStub } from './registry-stub.ts';

const kafka = realKafka() as string | false;
const skip = !kafka && 'no real Kafka (set SEAWAY_TEST_KAFKA)';

let broker: MqttBroker;
let registry: RegistryStub;
let rt: ConnectRuntime;
const configTopic = unique('bridge-test-configs');
const statusTopic = unique('bridge-test-status');

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${rt.port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

before(async () => {
  if (!kafka) return;
  broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  registry = await startRegistryStub();
  rt = await startConnect({
    brokers: [kafka],
    port: 0,
    host: '127.0.0.1',
    mqtt: { gate: broker.ingest, port: broker.port as number },
    registryUrl: registry.url,
    configTopic,
    statusTopic,
  });
});

after(async () => {
  if (!kafka) return;
  await rt?.close();
  await broker?.close();
  await registry?.close();
});

function aisRecord(i: number, schema: { fields: { name: string; type: string }[] }): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const f of schema.fields) {
    rec[f.name] = {
      int: i,
      long: 1_700_000_000_000_000_000n + BigInt(i),
      float: 0.5 * i,
      double: 10 + i / 8,
      boolean: i % 2 === 0,
      string: `p${i}`,
    }[f.type];
  }
  return rec;
}

test('the seed connector moves Avro AIS reports to Kafka, each PUBACK after the record is in Kafka', {
  skip,
}, async () => {
  const seed = seedConfig(`127.0.0.1:${broker.port}`);
  const topic = unique('position-reports');
  seed.name = unique('mqtt-source');
  // Only the target topic differs from the seed, so tests sharing the Kafka do not collide.
  seed.config['connect.mqtt.source.kcql'] = `INSERT INTO ${topic} SELECT * FROM /ais`;
  const created = await rest('POST', '/connectors', seed);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await rest('GET', `/connectors/${seed.name}/status`)).body.tasks[0].state, 'RUNNING');

  const schema = JSON.parse(readFileSync(aisSchemaPath(), 'utf8'));
  const writer = avroType(JSON.stringify(schema));
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: unique('ais-pub') });
  const n = 20;
  const sent: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const rec = aisRecord(i, schema);
    sent.push(rec);
    await pub.publishAsync('/ais', writer.toBuffer(rec), { qos: 1 });
    // The PUBACK has arrived: the record must already be in Kafka.
    assert.equal(await endOffset(kafka as string, topic), i + 1, `record ${i} not in Kafka when its PUBACK arrived`);
  }
  await pub.endAsync();

  const got = await readTopic(kafka as string, topic, n);
  assert.equal(got.length, n);
  for (let i = 0; i < n; i++) {
    const r = got[i];
    assert.ok(r);
    const v = decodeConfluent(r.value, registry);
    assert.deepEqual(v.value, sent[i]);
    const k = decodeConfluent(r.key, registry);
    assert.equal((k.value as { topic: string }).topic, '/ais');
    assert.equal(r.headers['mqtt.topic'], '/ais');
    assert.equal(r.headers['mqtt.qos'], '1');
  }
  const valueSchema = JSON.parse(registry.subjects.get(`${topic}-value`)?.[0] ?? '{}');
  assert.equal(valueSchema['connect.name'], 'com.lensesio.ais.aisClassAPositionReport');
  assert.equal(
    JSON.parse(registry.subjects.get(`${topic}-key`)?.[0] ?? '{}')['connect.name'],
    'com.datamountaineer.streamreactor.connect.converters.MsgKey',
  );

  const m = rt.metrics().find((c) => c.name === seed.name);
  assert.equal(m?.recordsOut, n);
  assert.equal(m?.messagesIn, n);
  assert.deepEqual((await rest('GET', `/connectors/${seed.name}/topics`)).body, { [seed.name]: { topics: [topic] } });
  assert.equal((await rest('DELETE', `/connectors/${seed.name}`)).status, 204);
});

test('every converter writes what a Confluent Avro consumer reads back (golden values)', { skip }, async () => {
  const t = unique('conv');
  const dlq = `${t}-dlq`;
  const COM = 'com.datamountaineer.streamreactor.connect.converters.source.';
  const IO = 'io.lenses.streamreactor.connect.converters.source.';
  const kcql = [
    `INSERT INTO ${t}-bytes SELECT * FROM /c/bytes`,
    `INSERT INTO ${t}-simple SELECT * FROM /c/simple WITHCONVERTER=\`${COM}JsonSimpleConverter\` WITHKEY(id, d.s) KEYDELIMITER='-'`,
    `INSERT INTO ${t}-optnull SELECT * FROM /c/optnull WITHCONVERTER=\`${IO}JsonOptNullConverter\``,
    `INSERT INTO ${t}-pass SELECT * FROM /c/pass WITHCONVERTER=\`${IO}JsonPassThroughConverter\` WITHKEY(id)`,
    `INSERT INTO ${t}-evo SELECT * FROM /c/evo WITHCONVERTER=\`${COM}JsonConverterWithSchemaEvolution\``,
  ].join(';');
  const name = unique('converters');
  const created = await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://localhost:${broker.port}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.kcql': kcql,
      'errors.deadletterqueue.topic.name': dlq,
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: unique('conv-pub') });
  await pub.publishAsync('/c/bytes', Buffer.from([0, 1, 2, 255]), { qos: 1 });
  await pub.publishAsync('/c/simple', '{"id":7,"d":{"s":"x"},"f":1.5,"n":null}', { qos: 1 });
  await pub.publishAsync('/c/optnull', '{"a":1,"b":[true,false]}', { qos: 1 });
  await pub.publishAsync('/c/pass', '{"id":"abc","v":1}', { qos: 1 });
  await pub.publishAsync('/c/evo', '{"a":1}', { qos: 1 });
  await pub.publishAsync('/c/evo', '{"b":"z"}', { qos: 1 });
  await pub.publishAsync('/c/simple', '{not json', { qos: 1 });
  await pub.endAsync();

  const [bytes] = await readTopic(kafka as string, `${t}-bytes`, 1);
  assert.deepEqual(decodeConfluent(bytes?.value ?? null, registry).value, Buffer.from([0, 1, 2, 255]));
  const bytesKey = decodeConfluent(bytes?.key ?? null, registry).value as { topic: string; id: string };
  assert.equal(bytesKey.topic, '/c/bytes');
  assert.match(bytesKey.id, /^[1-9]\d*$/);
  assert.equal(bytes?.headers['mqtt.message.id'], bytesKey.id);

  const [simple] = await readTopic(kafka as string, `${t}-simple`, 1);
  assert.deepEqual(decodeConfluent(simple?.value ?? null, registry).value, { id: 7n, d: { s: 'x' }, f: 1.5, n: null });
  assert.equal(decodeConfluent(simple?.key ?? null, registry).value, '7-x');
  assert.equal(registry.schemaById(decodeConfluent(simple?.key ?? null, registry).id), '"string"');

  const [optnull] = await readTopic(kafka as string, `${t}-optnull`, 1);
  assert.deepEqual(decodeConfluent(optnull?.value ?? null, registry).value, { a: 1n, b: [true, false] });

  const [pass] = await readTopic(kafka as string, `${t}-pass`, 1);
  assert.equal(pass?.value?.toString(), '{"id":"abc","v":1}');
  assert.equal(pass?.key?.toString(), 'abc');

  const evo = await readTopic(kafka as string, `${t}-evo`, 2);
  assert.deepEqual(decodeConfluent(evo[1]?.value ?? null, registry).value, { b: 'z', a: null });

  const [dead] = await readTopic(kafka as string, dlq, 1);
  assert.equal(dead?.value?.toString(), '{not json');
  assert.equal(dead?.headers['__connect.errors.exception.class.name'], 'SEAWAY_CONVERT_FAILED');
  assert.equal(rt.metrics().find((c) => c.name === name)?.deadLettered, 1);
  await rest('DELETE', `/connectors/${name}`);
});

test('connector configs and target states survive a restart through the Kafka config topic', { skip }, async () => {
  const name = unique('persist');
  await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${broker.port}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.source.kcql': 'INSERT INTO x SELECT * FROM /persist',
    },
  });
  assert.equal((await rest('PUT', `/connectors/${name}/pause`)).status, 202);
  const other = await startConnect({
    brokers: [kafka as string],
    port: null,
    host: '127.0.0.1',
    configTopic,
    statusTopic,
    mqtt: { gate: broker.ingest, port: broker.port as number },
  });
  try {
    assert.ok(other.worker.names().includes(name));
    assert.equal(other.worker.status(name).connector.state, 'PAUSED');
    assert.equal(other.worker.config(name)['connect.mqtt.source.kcql'], 'INSERT INTO x SELECT * FROM /persist');
  } finally {
    await other.close();
  }
  const root = await rest('GET', '/');
  assert.equal(typeof root.body.kafka_cluster_id, 'string');
  assert.notEqual(root.body.kafka_cluster_id, 'seaway');
});

test('key.converter StringConverter and value.converter ByteArrayConverter write plain bytes (no registry)', {
  skip,
}, async () => {
  const topic = unique('plain');
  const name = unique('plain-conn');
  const created = await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${broker.port}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM /plain`,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: unique('plain-pub') });
  await pub.publishAsync('/plain', Buffer.from([9, 8, 7]), { qos: 1 });
  await pub.endAsync();
  const [r] = await readTopic(kafka as string, topic, 1);
  assert.deepEqual(r?.value, Buffer.from([9, 8, 7]));
  assert.match(r?.key?.toString() ?? '', /^Struct\{topic=\/plain,id=\d+\}$/);
  assert.equal(registry.subjects.has(`${topic}-value`), false);
  await rest('DELETE', `/connectors/${name}`);
});
