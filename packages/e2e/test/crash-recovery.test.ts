// kill -9 of the lab mid-stream while its connector reads an external mosquitto with a persistent
// session: after a restart, every message mosquitto acknowledged to the publisher is in Kafka.
// Kafka runs in its own process (seaway kafka, the embedded broker), so only the bridge dies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { command } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';
import { mosquitto, type Proc, seaway, waitForHealth, waitForPort } from '../src/processes.ts';

const mosquittoBin = command('mosquitto');
const dir = mkdtempSync(join(tmpdir(), 'seaway-crash-'));
const procs: Proc[] = [];

after(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const N = 3000;

async function countIds(brokers: string[], topic: string): Promise<Set<number>> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const ids = new Set<number>();
  if (high === 0) return ids;
  const consumer = kafka.consumer({ groupId: `crash-count-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 20_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        // Bytes converter: the value is Confluent-framed Avro bytes; the id is the text after "#".
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

test('kill -9 mid-stream loses nothing mosquitto acknowledged (persistent session resumes)', {
  skip: !mosquittoBin && 'no mosquitto',
  timeout: 240_000,
}, async () => {
  const mqttPort = await freePort();
  const kafkaPort = await freePort();
  const webPort = await freePort();
  procs.push(mosquitto(mosquittoBin as string, mqttPort, dir));
  await waitForPort(mqttPort, procs.at(-1)!);
  const kafkaProc = seaway(
    [
      'kafka',
      '--port',
      String(kafkaPort),
      '--data-dir',
      join(dir, 'kafka'),
      '--host',
      '127.0.0.1',
      '--adv-host',
      '127.0.0.1',
    ],
    {},
  );
  procs.push(kafkaProc);
  await waitForPort(kafkaPort, kafkaProc);
  const brokers = [`127.0.0.1:${kafkaPort}`];

  const labEnv = {
    KAFKA_BROKERS: brokers[0]!,
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    MQTT_PORT: '0',
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: join(dir, 'lab'),
  };
  let lab = seaway(['start'], labEnv);
  procs.push(lab);
  await waitForHealth(webPort, lab);
  const created = await fetch(`http://127.0.0.1:${webPort}/api/connect/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'crash',
      config: {
        'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
        'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
        'connect.mqtt.service.quality': '1',
        'connect.mqtt.clean': 'false',
        'connect.mqtt.client.id': 'seaway-crash-test',
        'connect.mqtt.kcql': 'INSERT INTO crash SELECT * FROM `/crash/#`',
      },
    }),
  });
  assert.equal(created.status, 201, await created.text());
  await new Promise((r) => setTimeout(r, 1000));

  // The publisher: every message it counts as sent was PUBACKed by mosquitto.
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'crash-publisher' });
  const acked: number[] = [];
  let killed = false;
  const publishing = (async () => {
    for (let i = 0; i < N; i++) {
      await pub.publishAsync(`/crash/${i % 10}`, `message #${i}`, { qos: 1 });
      acked.push(i);
      if (i === Math.floor(N / 3) && !killed) {
        killed = true;
        lab.child.kill('SIGKILL');
      }
    }
  })();
  await publishing;
  await pub.endAsync();
  assert.ok(killed, 'the lab was killed mid-stream');
  await new Promise((r) => (lab.child.exitCode !== null || lab.child.signalCode ? r(null) : lab.child.once('exit', r)));

  lab = seaway(['start'], labEnv);
  procs.push(lab);
  await waitForHealth(webPort, lab);

  const deadline = Date.now() + 90_000;
  let ids = new Set<number>();
  while (Date.now() < deadline) {
    ids = await countIds(brokers, 'crash');
    if (ids.size >= acked.length) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const missing = acked.filter((i) => !ids.has(i));
  assert.equal(acked.length, N);
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} acknowledged messages are not in Kafka`);
});
