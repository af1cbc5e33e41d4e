// /api/health tells the truth after start-up: 503 with the reason while an external Kafka
// (KAFKA_BROKERS, here a separate `seaway kafka`) is frozen with SIGSTOP or killed, 200 again once it
// answers; and 503 naming the partition when the embedded broker finds a damaged segment at open.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../src/ports.ts';
import { type Proc, seaway, waitForHealth, waitForPort } from '../src/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'seaway-health-'));
const procs: Proc[] = [];
after(() => {
  for (const p of procs) {
    p.child.kill('SIGCONT');
    p.child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});
const exited = (p: Proc) =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r(null) : p.child.once('exit', r)));

type Health = { status: number; body: { services: Record<string, { status: string; detail?: string }> } };
async function health(webPort: number): Promise<Health> {
  const r = await fetch(`http://127.0.0.1:${webPort}/api/health`);
  return { status: r.status, body: (await r.json()) as Health['body'] };
}

async function waitForStatus(webPort: number, status: number, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: Awaited<ReturnType<typeof health>> | null = null;
  while (Date.now() < deadline) {
    last = await health(webPort).catch(() => null); // not listening yet
    if (last?.status === status) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`health never answered ${status} (${what}); last: ${JSON.stringify(last)}`);
}

const kafkaArgs = (port: number, data: string) => [
  'kafka',
  '--port',
  String(port),
  '--data-dir',
  data,
  '--host',
  '127.0.0.1',
  '--adv-host',
  '127.0.0.1',
];

test('health is 503 with the reason while an external Kafka is frozen or dead, 200 once it answers again', {
  timeout: 180_000,
}, async () => {
  const kafkaPort = await freePort();
  const webPort = await freePort();
  let kafka = seaway(kafkaArgs(kafkaPort, join(dir, 'ext-kafka')), {});
  procs.push(kafka);
  await waitForPort(kafkaPort, kafka);
  const lab = seaway(['start'], {
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    MQTT_PORT: '0',
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: join(dir, 'lab-ext'),
    HEALTH_CHECK_INTERVAL_MS: '300',
  });
  procs.push(lab);
  await waitForHealth(webPort, lab);

  kafka.child.kill('SIGSTOP');
  const frozen = await waitForStatus(webPort, 503, 'Kafka frozen');
  assert.equal(frozen.body.services.kafka?.status, 'down');
  assert.match(frozen.body.services.kafka?.detail ?? '', /unreachable/);
  kafka.child.kill('SIGCONT');
  await waitForStatus(webPort, 200, 'Kafka thawed');

  kafka.child.kill('SIGKILL');
  await exited(kafka);
  const dead = await waitForStatus(webPort, 503, 'Kafka killed');
  assert.match(dead.body.services.kafka?.detail ?? '', /unreachable/);
  kafka = seaway(kafkaArgs(kafkaPort, join(dir, 'ext-kafka')), {});
  procs.push(kafka);
  await waitForPort(kafkaPort, kafka);
  await waitForStatus(webPort, 200, 'Kafka restarted');
  lab.child.kill('SIGTERM');
  await exited(lab);
});

test('a damaged closed segment of the embedded Kafka makes health 503 naming the partition', {
  timeout: 180_000,
}, async () => {
  const [webPort, kafkaPort] = [await freePort(), await freePort()];
  const env = {
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    BROKER_PORT: String(kafkaPort),
    MQTT_PORT: '0',
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: join(dir, 'lab-emb'),
    HEALTH_CHECK_INTERVAL_MS: '300',
  };
  let lab = seaway(['start'], env);
  procs.push(lab);
  await waitForHealth(webPort, lab);
  const kafka = new Kafka({ brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: 'damaged', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '4096' }] }],
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < 40; i++) {
    await producer.send({ topic: 'damaged', messages: [{ value: `record ${i} ${'x'.repeat(200)}` }] });
  }
  await producer.disconnect();
  lab.child.kill('SIGKILL'); // an unclean stop: the next open CRC-checks every segment
  await exited(lab);
  const partDir = join(dir, 'lab-emb', 'kafka', 'logs', 'damaged-0');
  const segments = readdirSync(partDir)
    .filter((n) => n.endsWith('.log'))
    .sort();
  assert.ok(segments.length >= 2, `segments rolled: ${segments.join(',')}`);
  const fd = openSync(join(partDir, segments[0] as string), 'r+');
  writeSync(fd, Buffer.alloc(8, 0xee), 0, 8, 1000);
  closeSync(fd);

  lab = seaway(['start'], env);
  procs.push(lab);
  const bad = await waitForStatus(webPort, 503, 'the damaged partition', 60_000);
  assert.equal(bad.body.services.kafka?.status, 'down');
  assert.match(bad.body.services.kafka?.detail ?? '', /unusable partition damaged-0: .*is damaged/);
  assert.match(lab.output(), /is damaged: a CRC mismatch/);
  lab.child.kill('SIGTERM');
  await exited(lab);
});
