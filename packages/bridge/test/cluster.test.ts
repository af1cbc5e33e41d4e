// Three workers in one group (startConnect with `cluster`) on a real Kafka, reading mosquitto:
// they meet through Kafka's group coordinator, a $share/ connector with tasks.max=3 runs one task on
// each, a request to a follower is forwarded to the leader, the broker spreads an mqtt.js QoS 1
// stream over the three tasks and every message reaches Kafka; a worker leaving hands its task to
// the others and nothing the publisher got a PUBACK for is lost.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { type ConnectRuntime, startConnect } from '../src/start-connect.ts';
import { unique } from './helpers.ts';

const kafka = realKafka() as string | false;
const mosquittoBin = command('mosquitto') as string | false;
const skip = (!kafka && 'no real Kafka') || (!mosquittoBin && 'no mosquitto');

let mosq: ChildProcess | undefined;
let mqttPort = 0;
const workers: ConnectRuntime[] = [];
const group = unique('cluster-test');
const configTopic = unique('cluster-configs');
const statusTopic = unique('cluster-status');
const topic = unique('cluster-out');

/** Polls an async condition every 200 ms until it holds; throws after ms. */
async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return p;
}

function startWorker(): Promise<ConnectRuntime> {
  return startConnect({
    brokers: [kafka as string],
    port: 0,
    host: '127.0.0.1',
    configTopic,
    statusTopic,
    cluster: { groupId: group, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 20_000 },
  });
}

async function rest(w: ConnectRuntime, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${w.port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

interface Status {
  connector: { state: string; worker_id: string };
  tasks: Array<{ id: number; state: string; worker_id: string }>;
}

async function countIds(): Promise<Set<number>> {
  const k = new Kafka({ brokers: [kafka as string], logLevel: logLevel.NOTHING });
  const admin = k.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const ids = new Set<number>();
  if (high === 0) return ids;
  const consumer = k.consumer({ groupId: unique('cluster-count') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 20_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        const m = /#(\d+)$/.exec(String(message.value));
        if (m) ids.add(Number(m[1]));
        if (seen >= high) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return ids;
}

before(async () => {
  if (skip) return;
  mqttPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'seaway-cluster-'));
  writeFileSync(
    join(dir, 'm.conf'),
    [
      `listener ${mqttPort} 127.0.0.1`,
      'allow_anonymous true',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      '',
    ].join('\n'),
  );
  mosq = spawn(mosquittoBin as string, ['-c', join(dir, 'm.conf')], { stdio: 'ignore' });
  await until(async () => {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0, connectTimeout: 500 });
      await c.endAsync();
      return true;
    } catch {
      return false;
    }
  }, 5000);
  workers.push(...(await Promise.all([startWorker(), startWorker(), startWorker()])));
});

after(async () => {
  for (const w of workers) await w.close().catch(() => {});
  mosq?.kill('SIGKILL');
});

test("three workers share a $share/ connector: one task each, forwarded REST, every PUBACKed message in Kafka, a leaving worker's task moves", {
  skip,
  timeout: 180_000,
}, async () => {
  const leader = workers.find((w) => w.herder?.isLeader);
  assert.ok(leader, 'one worker is the group leader');
  assert.equal(workers.filter((w) => w.herder?.isLeader).length, 1, 'only one leader');
  const follower = workers.find((w) => w !== leader) as ConnectRuntime;

  // created through a follower: forwarded to the leader, which writes the config topic
  const created = await rest(follower, 'POST', '/connectors', {
    name: 'shared',
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.clean': 'false',
      'connect.mqtt.client.id': unique('cl'),
      'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`$share/seaway/cluster/#\``,
      'tasks.max': '3',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const spread = async (n: number) => {
    let last: Status | undefined;
    await until(async () => {
      for (const w of workers) {
        const s = await rest(w, 'GET', '/connectors/shared/status');
        if (s.status !== 200) return false;
        last = s.body as Status;
        if (last.tasks.length !== 3 || last.tasks.some((t) => t.state !== 'RUNNING')) return false;
        if (new Set(last.tasks.map((t) => t.worker_id)).size !== n) return false;
      }
      return true;
    }, 60_000).catch(() => assert.fail(`tasks not RUNNING on ${n} workers: ${JSON.stringify(last)}`));
    return last as Status;
  };
  const status = await spread(3);
  const ids = new Set(workers.map((w) => w.worker.workerId));
  for (const t of status.tasks) assert.ok(ids.has(t.worker_id), `task ${t.id} runs on a worker of the group`);

  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: unique('pub') });
  const acked: number[] = [];
  const publish = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      await pub.publishAsync(`cluster/${i % 7}`, `message #${i}`, { qos: 1 });
      acked.push(i);
    }
  };
  await publish(0, 600);
  await until(async () => (await countIds()).size >= 600, 60_000).catch(() => {});
  const first = await countIds();
  assert.deepEqual(
    acked.filter((i) => !first.has(i)),
    [],
    'every message mosquitto acknowledged is in Kafka',
  );
  for (const w of workers) {
    const m = w.metrics().find((x) => x.name === 'shared');
    assert.ok((m?.messagesIn ?? 0) > 0, `worker ${w.worker.workerId} took part of the shared stream`);
  }

  // a follower leaves (LeaveGroup): its task restarts on the other two, the stream goes on
  const leaving = workers.find((w) => w !== leader && w !== follower) as ConnectRuntime;
  workers.splice(workers.indexOf(leaving), 1);
  const publishing = publish(600, 1200);
  await leaving.close();
  await publishing;
  await spread(2);
  await until(async () => (await countIds()).size >= 1200, 60_000).catch(() => {});
  const all = await countIds();
  assert.deepEqual(
    acked.filter((i) => !all.has(i)),
    [],
    'nothing acknowledged before, during or after the move is missing',
  );
  await pub.endAsync();

  // pause through the follower: forwarded, and every worker's view says PAUSED
  assert.equal((await rest(follower, 'PUT', '/connectors/shared/pause')).status, 202);
  const views: Status[] = [];
  await until(async () => {
    views.length = 0;
    for (const w of workers) views.push({ ...((await rest(w, 'GET', '/connectors/shared/status')).body as Status) });
    return views.every((s) => s.connector.state === 'PAUSED' && s.tasks.every((t) => t.state === 'PAUSED'));
  }, 20_000).catch(() => assert.fail(`not PAUSED everywhere: ${JSON.stringify(views)}`));
});
