// The whole data path against real Apache Kafka: an MQTT publish from a real client arrives as a
// Kafka record read by a real client, and /ws reports it in a metrics frame.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type MetricsFrame, ServerFrame } from '@seaway/contracts';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';

const kafka = realKafka();
const topic = `e2e-thin-${process.pid}-${Date.now()}`;
let lab: Lab;
let dataDir: string;

before(async () => {
  if (!kafka) return;
  dataDir = mkdtempSync(join(tmpdir(), 'seaway-e2e-'));
  const cfg = parseConfig({
    KAFKA_BROKERS: kafka,
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: dataDir,
    RUNNING_SAMPLEDATA: 'false',
    BRIDGE_FILTER: `/e2e/${topic}/#`,
    BRIDGE_TOPIC: topic,
  });
  lab = await startLab(cfg, { log: () => {} });
  const admin = new Kafka({ brokers: [kafka], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
});

after(async () => {
  await lab?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('an MQTT publish lands in Kafka and shows up in the /ws metrics frame', {
  skip: !kafka && 'no real Kafka',
}, async () => {
  const health = await fetch(`http://127.0.0.1:${lab.webPort}/api/health`);
  assert.equal(health.status, 200);

  const ws = new WebSocket(`ws://127.0.0.1:${lab.webPort}/ws`);
  const frames: MetricsFrame[] = [];
  ws.on('message', (data) => frames.push(ServerFrame.parse(JSON.parse(String(data)))));

  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${lab.mqttPort}`, { clientId: `e2e-${process.pid}` });
  const payload = JSON.stringify({ MMSI: 244123456, Latitude: 51.95, Longitude: 4.05 });
  await client.publishAsync(`/e2e/${topic}/244123456`, payload, { qos: 1 });
  await client.endAsync();

  const consumer = new Kafka({ brokers: [kafka as string], logLevel: logLevel.NOTHING }).consumer({
    groupId: `${topic}-reader`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const record = await new Promise<{ key: string; value: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record in Kafka after 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ key: String(message.key), value: String(message.value) });
        },
      });
    });
    assert.equal(record.value, payload);
    assert.equal(record.key, `/e2e/${topic}/244123456`);
  } finally {
    await consumer.disconnect();
  }

  const deadline = Date.now() + 10_000;
  while (!frames.some((f) => f.hops.mqtt.messages >= 1 && f.hops.bridge.messages >= 1) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  ws.close();
  const seen = frames.find((f) => f.hops.mqtt.messages >= 1 && f.hops.bridge.messages >= 1);
  assert.ok(seen, `no frame counted the message; last frame: ${JSON.stringify(frames.at(-1))}`);
  assert.equal(seen.hops.bridge.bytes, Buffer.byteLength(payload));
});
