// The whole data path, on the embedded Kafka broker and on real Apache Kafka: a connector created
// through the Connect REST API on 3030, an MQTT publish from a real client whose PUBACK means the
// record is in Kafka, the record read back by a real Kafka client with its schema from the lab's
// registry, and the /ws metrics frame counting it on every hop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type MetricsFrame, ServerFrame } from '@seaway/contracts';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';

const apache = realKafka();
const targets = [
  { name: 'embedded Kafka broker', kafka: null, skip: false as const },
  { name: 'Apache Kafka', kafka: apache || null, skip: !apache && 'no real Kafka' },
];

for (const target of targets) {
  describe(`data path on the ${target.name}`, { skip: target.skip }, () => {
    const topic = `e2e-path-${process.pid}-${Date.now()}`;
    let lab: Lab;
    let dataDir: string;
    let kafka = '';

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-e2e-'));
      const cfg = parseConfig({
        ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
        BIND_HOST: '127.0.0.1',
        ADV_HOST: '127.0.0.1',
        WEB_PORT: String(await freePort()),
        MQTT_PORT: String(await freePort()),
        REGISTRY_PORT: '0',
        CONNECT_PORT: '0',
        DATA_DIR: dataDir,
        CONNECT_CONFIG_TOPIC: `${topic}-configs`,
        CONNECT_STATUS_TOPIC: `${topic}-status`,
        REGISTRY_TOPIC: `${topic}-schemas`,
        RUNNING_SAMPLEDATA: 'false',
      });
      lab = await startLab(cfg, { log: () => {} });
      kafka = lab.kafkaBrokers.join(',');
      const admin = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
    });

    after(async () => {
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('a QoS 1 PUBACK means the record is in Kafka, and /ws counts it on every hop', async () => {
      const health = await fetch(`http://127.0.0.1:${lab.webPort}/api/health`);
      assert.equal(health.status, 200, await health.text());

      const created = await fetch(`http://127.0.0.1:${lab.webPort}/api/connect/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `e2e-${topic}`,
          config: {
            'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
            'connect.mqtt.hosts': `tcp://127.0.0.1:${lab.mqttPort}`,
            'connect.mqtt.service.quality': '1',
            'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`/e2e/${topic}/#\``,
          },
        }),
      });
      assert.equal(created.status, 201, await created.text());
      await waitForRunning(`e2e-${topic}`);

      const ws = new WebSocket(`ws://127.0.0.1:${lab.webPort}/ws`);
      const frames: MetricsFrame[] = [];
      ws.on('message', (data) => {
        const f = ServerFrame.parse(JSON.parse(String(data)));
        if (f.type === 'metrics') frames.push(f);
      });

      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${lab.mqttPort}`, { clientId: `e2e-${process.pid}` });
      const payload = JSON.stringify({ MMSI: 244123456, Latitude: 51.95, Longitude: 4.05 });
      await client.publishAsync(`/e2e/${topic}/244123456`, payload, { qos: 1 });
      await client.endAsync();

      const admin = new Kafka({ brokers: [kafka], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      assert.equal(
        offsets.reduce((n, p) => n + Number(p.high), 0),
        1,
        'the record was in Kafka when the PUBACK arrived',
      );

      const consumer = new Kafka({ brokers: [kafka], logLevel: logLevel.NOTHING }).consumer({
        groupId: `${topic}-reader`,
      });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const record = await new Promise<{ value: Buffer; mqttTopic: string }>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no record in Kafka after 30 s')), 30_000);
          void consumer.run({
            eachMessage: async ({ message }) => {
              clearTimeout(timer);
              resolve({ value: message.value as Buffer, mqttTopic: String(message.headers?.['mqtt.topic']) });
            },
          });
        });
        // What Kafka Connect's Confluent AvroConverter writes for a bytes payload: magic 0, the schema
        // id, then the Avro encoding, with the schema in the lab's registry.
        assert.equal(record.value[0], 0, 'Confluent wire format magic byte');
        const id = record.value.readInt32BE(1);
        const schema = await fetch(`${lab.registryUrl}/schemas/ids/${id}`).then(
          (r) => r.json() as Promise<{ schema: string }>,
        );
        const decoded = avro.Type.forSchema(JSON.parse(schema.schema)).fromBuffer(record.value.subarray(5));
        assert.equal(String(decoded), payload);
        assert.equal(record.mqttTopic, `/e2e/${topic}/244123456`);
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
      assert.ok(
        seen.hops.bridge.bytes >= Buffer.byteLength(payload),
        'the bridge hop counts at least the payload bytes',
      );
      assert.equal(seen.hops.mqtt.bytes, Buffer.byteLength(payload));
    });

    async function waitForRunning(name: string): Promise<void> {
      const deadline = Date.now() + 15_000;
      let last = '';
      while (Date.now() < deadline) {
        const r = await fetch(`http://127.0.0.1:${lab.webPort}/api/connect/connectors/${name}/status`);
        last = await r.text();
        if (r.ok) {
          const s = JSON.parse(last);
          if (
            s.connector.state === 'RUNNING' &&
            s.tasks.length > 0 &&
            s.tasks.every((t: { state: string }) => t.state === 'RUNNING')
          )
            return;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.fail(`connector ${name} did not reach RUNNING: ${last}`);
    }
  });
}
