// Measures the gate path: N publishers (QoS 1, one message in flight each, like the seed's Go
// generator) -> embedded MQTT broker -> connector -> Kafka at argv KAFKA or 127.0.0.1:19092.
// Usage: node --import tsx bench/ingest.ts <publishers=64> <messagesEach=500> <concurrentSends=1> [kafka]
import { readFileSync } from 'node:fs';
import { startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { avroType } from '../src/converters/avro-types.ts';
import { startConnect } from '../src/start-connect.ts';
import { memoryStore } from '../src/store/store.ts';
import { aisSchemaPath, seedConfig, unique } from '../test/helpers.ts';
import { startRegistryStub } from '../test/registry-stub.ts';

const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
const registry = await startRegistryStub();
const rt = await startConnect({
  brokers: [process.argv[5] ?? '127.0.0.1:19092'],
  port: 0,
  host: '127.0.0.1',
  mqtt: { gate: broker.ingest, port: broker.port as number },
  registryUrl: registry.url,
  store: memoryStore(),
  maxConcurrentSends: Number(process.argv[4] ?? 1),
});
const seed = seedConfig(`127.0.0.1:${broker.port}`);
seed.config['connect.mqtt.source.kcql'] = `INSERT INTO ${unique('bench')} SELECT * FROM /ais`;
await rt.worker.create(seed.name, seed.config);
const schema = JSON.parse(readFileSync(aisSchemaPath(), 'utf8'));
const w = avroType(JSON.stringify(schema));
const rec: Record<string, unknown> = {};
for (const f of schema.fields)
  rec[f.name] = { int: 1, long: 123456789n, float: 1.5, double: 2.5, boolean: true, string: '1,2' }[f.type as string];
const payload = w.toBuffer(rec);
const workers = Number(process.argv[2] ?? 64);
const per = Number(process.argv[3] ?? 500);
const clients = await Promise.all(
  Array.from({ length: workers }, (_, i) =>
    mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: `b${i}` }),
  ),
);
const t0 = performance.now();
await Promise.all(
  clients.map(async (c) => {
    for (let i = 0; i < per; i++) await c.publishAsync('/ais', payload, { qos: 1 });
  }),
);
const s = (performance.now() - t0) / 1000;
const m = rt.metrics()[0];
console.log(
  JSON.stringify({
    workers,
    messages: workers * per,
    seconds: s.toFixed(2),
    msgPerSec: Math.round((workers * per) / s),
    recordsOut: m?.recordsOut,
    batches: m?.batches,
    avgBatch: Math.round((m?.recordsOut ?? 0) / (m?.batches ?? 1)),
    produceLatencyAvgMs: m?.produceLatencyAvgMs.toFixed(1),
  }),
);
await Promise.all(clients.map((c) => c.endAsync()));
await rt.close();
await broker.close();
await registry.close();
