// SAMPLEDATA and RUNNING_SAMPLEDATA on the embedded broker: the preloaded topic as fast-data-dev
// has it, and the seed tutorial's live pipeline (Avro over MQTT -> AvroConverter -> Kafka).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../src/ports.ts';

let lab: Lab;
let dataDir: string;
let kafka: Kafka;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'seaway-sample-'));
  lab = await startLab(
    parseConfig({
      BIND_HOST: '127.0.0.1',
      ADV_HOST: '127.0.0.1',
      BROKER_PORT: String(await freePort()),
      WEB_PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      REGISTRY_PORT: String(await freePort()),
      CONNECT_PORT: '0',
      DATA_DIR: dataDir,
      SAMPLEDATA: '1',
      RUNNING_SAMPLEDATA: '1',
    }),
    { log: () => {} },
  );
  kafka = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING });
});

after(async () => {
  await lab?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function waitHealthy(): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const r = await fetch(`http://127.0.0.1:${lab.webPort}/api/health`);
    last = await r.text();
    if (r.status === 200) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail(`never healthy: ${last}`);
}

async function firstRecord(topic: string): Promise<{ key: Buffer | null; value: Buffer }> {
  const consumer = kafka.consumer({ groupId: `sample-${topic}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no record in ${topic} after 30 s`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ key: message.key, value: message.value as Buffer });
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

// AIS timestamps are nanoseconds: Avro longs beyond 2^53, read as bigint.
const BigLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

async function decode(framed: Buffer): Promise<Record<string, unknown>> {
  assert.equal(framed[0], 0, 'Confluent magic byte');
  const res = await fetch(`${lab.registryUrl}/schemas/ids/${framed.readInt32BE(1)}`);
  const { schema } = (await res.json()) as { schema: string };
  return avro.Type.forSchema(JSON.parse(schema), { registry: { long: BigLong } }).fromBuffer(
    framed.subarray(5),
  ) as Record<string, unknown>;
}

test('SAMPLEDATA preloads sea_vessel_position_reports: 3 partitions, Avro key {MMSI} and value', async () => {
  await waitHealthy();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets('sea_vessel_position_reports');
  await admin.disconnect();
  assert.equal(offsets.length, 3);
  assert.equal(
    offsets.reduce((n, p) => n + Number(p.high), 0),
    10_000,
  );
  const r = await firstRecord('sea_vessel_position_reports');
  assert.ok(r.key);
  const key = await decode(r.key);
  const value = await decode(r.value);
  assert.deepEqual(Object.keys(key), ['MMSI']);
  assert.equal(value.MMSI, key.MMSI);
  assert.equal(typeof value.Latitude, 'number');
});

test('RUNNING_SAMPLEDATA runs the seed pipeline: Avro over MQTT becomes position-reports in Kafka', async () => {
  await waitHealthy();
  const status = await fetch(`http://127.0.0.1:${lab.webPort}/api/connect/connectors/ais-positions/status`);
  assert.equal(status.status, 200);
  const r = await firstRecord('position-reports');
  const value = await decode(r.value);
  const subjects = (await (await fetch(`${lab.registryUrl}/subjects`)).json()) as string[];
  assert.ok(subjects.includes('position-reports-value'), `subjects: ${subjects}`);
  assert.ok(Number(value.MMSI) > 0);
  assert.ok(Math.abs(value.Latitude as number) <= 90);
});
