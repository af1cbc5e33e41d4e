// offset.storage.topic in a cluster of `seaway connect` processes: tasks on both workers flush their
// source offsets (last message per MQTT topic) to the offsets topic as Kafka Connect does (key JSON
// [connector, partition], value the offset JSON); GET /connectors/<name>/offsets answers the same on
// every worker, whichever ran the task; kafkajs reads the topic and finds exactly those records.
// PATCH through one worker and DELETE through the other are written there too (tombstones for
// DELETE) and seen by both. mosquitto is the MQTT broker, mqtt.js publishes QoS 1. Kafkas: a
// `seaway kafka` process and real Apache Kafka (SEAWAY_TEST_KAFKA).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';
import { mosquitto, type Proc, seaway, waitForPort } from '../src/processes.ts';

const mosquittoBin = command('mosquitto') as string | false;
const apache = realKafka() as string | false;
const dir = mkdtempSync(join(tmpdir(), 'seaway-offsets-'));
const procs: Proc[] = [];
let mqttPort = 0;

before(async () => {
  if (!mosquittoBin) return;
  mqttPort = await freePort();
  const m = mosquitto(mosquittoBin, mqttPort, dir);
  procs.push(m);
  await waitForPort(mqttPort, m);
});
after(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean> | boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what()} (waited ${ms} ms)`);
    await sleep(250);
  }
}

async function rest(port: number, method: string, path: string, body?: unknown) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch (e) {
    return { status: 0, body: (e as Error).message };
  }
}

interface Entry {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** The offsets topic as kafkajs reads it: latest value per key (null = tombstone), keys as written. */
async function readOffsetsTopic(bootstrap: string, topic: string): Promise<Map<string, string | null>> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > 0);
  await admin.disconnect();
  const latest = new Map<string, string | null>();
  const next = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `offsets-read-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      latest.set(String(message.key), message.value === null ? null : String(message.value));
      next.set(partition, Number(message.offset) + 1);
    },
  });
  try {
    await until(
      () => ends.every((p) => (next.get(p.partition) ?? 0) >= Number(p.high)),
      60_000,
      () => `kafkajs did not read ${topic} to its end`,
    );
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

async function offsetsLeg(bootstrap: string) {
  const t = Math.random().toString(36).slice(2, 8);
  const offsetTopic = `offsets-${t}`;
  const out = `offsets-out-${t}`;
  const workers: Array<{ port: number; proc: Proc }> = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const proc = seaway(['connect'], {
      KAFKA_BROKERS: bootstrap,
      GROUP_ID: `offsets-${t}`,
      CONNECT_PORT: String(port),
      ADV_HOST: '127.0.0.1',
      CONNECT_CONFIG_TOPIC: `offsets-configs-${t}`,
      CONNECT_STATUS_TOPIC: `offsets-status-${t}`,
      CONNECT_OFFSET_TOPIC: offsetTopic,
      OFFSET_FLUSH_INTERVAL_MS: '500',
      SESSION_TIMEOUT_MS: '6000',
      HEARTBEAT_INTERVAL_MS: '1000',
    });
    procs.push(proc);
    workers.push({ port, proc });
  }
  for (const w of workers) await waitForPort(w.port, w.proc, 60_000);
  const [a, b] = workers as [{ port: number; proc: Proc }, { port: number; proc: Proc }];
  const logs = () => workers.map((w) => w.proc.output().slice(-2000)).join('\n---\n');

  const config = {
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.clean': 'false',
    'connect.mqtt.client.id': `off-${t}`,
    'connect.mqtt.kcql': `INSERT INTO ${out} SELECT * FROM \`$share/off${t}/off${t}/#\``,
    'tasks.max': '2',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  };
  let r = { status: 0, body: undefined as unknown };
  await until(
    async () => (r = await rest(b.port, 'POST', '/connectors', { name: 'off', config })).status === 201,
    60_000,
    () => `POST /connectors: ${r.status} ${JSON.stringify(r.body)}\n${logs()}`,
  );
  await until(
    async () => {
      const s = (await rest(a.port, 'GET', '/connectors/off/status')).body as {
        tasks?: Array<{ state: string; worker_id: string }>;
      };
      return (
        s.tasks?.length === 2 &&
        s.tasks.every((x) => x.state === 'RUNNING') &&
        new Set(s.tasks.map((x) => x.worker_id)).size === 2
      );
    },
    60_000,
    () => `tasks not RUNNING on both workers\n${logs()}`,
  );

  // 30 messages on each of 3 MQTT topics: the broker spreads them over the two tasks
  const topics = ['x', 'y', 'z'].map((s) => `off${t}/${s}`);
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `off-pub-${t}` });
  for (let i = 0; i < 30; i++) for (const tp of topics) await pub.publishAsync(tp, `m${i}`, { qos: 1 });
  await pub.endAsync();

  const topicEntries = (body: unknown) =>
    ((body as { offsets?: Entry[] }).offsets ?? []).filter((e) => typeof e.partition['mqtt.topic'] === 'string');
  let seenA: Entry[] = [];
  let seenB: Entry[] = [];
  await until(
    async () => {
      seenA = topicEntries((await rest(a.port, 'GET', '/connectors/off/offsets')).body);
      seenB = topicEntries((await rest(b.port, 'GET', '/connectors/off/offsets')).body);
      return seenA.length === 3 && JSON.stringify(seenA) === JSON.stringify(seenB);
    },
    60_000,
    () => `GET offsets differ or incomplete:\nA ${JSON.stringify(seenA)}\nB ${JSON.stringify(seenB)}\n${logs()}`,
  );
  assert.deepEqual(
    seenA.map((e) => e.partition['mqtt.topic']),
    topics,
    'one entry per MQTT topic',
  );
  for (const e of seenA) {
    assert.equal(e.offset?.['kafka.topic'], out, 'the offset names the Kafka topic written');
    assert.equal(e.offset?.qos, 1);
    assert.equal(typeof e.offset?.['message.id'], 'number');
  }

  // the offsets topic itself, read by kafkajs: Connect's key and value layout, the same values
  const stored = await readOffsetsTopic(bootstrap, offsetTopic);
  for (const e of seenA) {
    const key = JSON.stringify(['off', { 'mqtt.topic': e.partition['mqtt.topic'] }]);
    assert.ok(stored.has(key), `offsets topic has key ${key}: ${[...stored.keys()].join(' ')}`);
    assert.deepEqual(JSON.parse(stored.get(key) as string), e.offset, `value of ${key} is what GET shows`);
  }

  // PATCH through B (forwarded to the leader), DELETE through A: both written to the topic, both seen everywhere
  assert.equal((await rest(b.port, 'PUT', '/connectors/off/stop')).status, 204);
  await until(
    async () =>
      ((await rest(a.port, 'GET', '/connectors/off/status')).body as { connector?: { state: string } }).connector
        ?.state === 'STOPPED',
    30_000,
    () => 'connector not STOPPED',
  );
  const patched = { 'message.id': 4242, qos: 1, 'kafka.topic': out, timestamp: 1 };
  let p = { status: 0, body: undefined as unknown };
  await until(
    async () =>
      (p = await rest(b.port, 'PATCH', '/connectors/off/offsets', {
        offsets: [{ partition: { 'mqtt.topic': topics[0] }, offset: patched }],
      })).status === 200,
    30_000,
    () => `PATCH offsets: ${p.status} ${JSON.stringify(p.body)}`,
  );
  for (const w of [a, b]) {
    const e = topicEntries((await rest(w.port, 'GET', '/connectors/off/offsets')).body).find(
      (x) => x.partition['mqtt.topic'] === topics[0],
    );
    assert.deepEqual(e?.offset, patched, `worker ${w.port} shows the PATCHed offset`);
  }
  const afterPatch = await readOffsetsTopic(bootstrap, offsetTopic);
  assert.deepEqual(JSON.parse(afterPatch.get(JSON.stringify(['off', { 'mqtt.topic': topics[0] }])) as string), patched);

  assert.equal((await rest(a.port, 'DELETE', '/connectors/off/offsets')).status, 200);
  for (const w of [a, b])
    assert.deepEqual(
      topicEntries((await rest(w.port, 'GET', '/connectors/off/offsets')).body),
      [],
      `worker ${w.port}: no topic offsets after DELETE`,
    );
  const afterDelete = await readOffsetsTopic(bootstrap, offsetTopic);
  for (const tp of topics)
    assert.equal(afterDelete.get(JSON.stringify(['off', { 'mqtt.topic': tp }])), null, `tombstone for ${tp}`);
  for (const w of workers) w.proc.child.kill('SIGKILL');
}

test('offsets topic shared by the workers (seaway kafka)', {
  skip: !mosquittoBin && 'no mosquitto',
  timeout: 240_000,
}, async () => {
  const port = await freePort();
  const k = seaway(['kafka', '--port', String(port), '--host', '127.0.0.1', '--adv-host', '127.0.0.1'], {
    DATA_DIR: join(dir, 'seaway-kafka'),
  });
  procs.push(k);
  await waitForPort(port, k);
  await offsetsLeg(`127.0.0.1:${port}`);
});

test('offsets topic shared by the workers (Apache Kafka)', {
  skip: (!mosquittoBin && 'no mosquitto') || (!apache && 'no real Kafka'),
  timeout: 240_000,
}, async () => {
  await offsetsLeg(apache as string);
});
