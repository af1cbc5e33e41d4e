// The console's live routes: map vessels decoded from Confluent-framed Avro on a real Kafka topic
// (schema served by a stub registry), generator runs against an embedded MQTT broker, the tail hub's
// batching and sharing (fake consumers), and connector metrics.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { avroType, FDD_VALUE_SCHEMA } from '@seaway/ais';
import type { ConnectorMetrics } from '@seaway/bridge';
import {
  ConnectorMetricsResponse,
  GeneratorRunInfo,
  GeneratorRunsResponse,
  MapVesselsResponse,
  TailFrame,
  type TopicMessage,
} from '@seaway/contracts';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { WebSocket } from 'ws';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import {
  type ConnectorMetricsLike,
  createTailHub,
  registerConsoleApi,
  type TailSocket,
} from '../src/console-api/index.ts';

// The lab passes the bridge runtime's metrics() as connectorMetrics: the types must fit.
const fits: (m: ConnectorMetrics[]) => ConnectorMetricsLike[] = (m) => m;
void fits;
// http-server.ts hands `ws` sockets to the tail hub: they must fit too.
const sockets: (ws: WebSocket) => TailSocket = (ws) => ws;
void sockets;

const bootstrap = realKafka() as string | false;
const skip = !bootstrap && 'no real Kafka';

let app: FastifyInstance;
let kafka: Kafka | null = null;
let admin: Admin | null = null;
let broker: MqttBroker;
let registry: Server;
const topic = `console-map-${randomUUID().slice(0, 8)}`;
const SCHEMA_ID = 7;
const valueType = avroType(FDD_VALUE_SCHEMA);

before(async () => {
  broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  registry = createServer((req, res) => {
    if (req.url === `/schemas/ids/${SCHEMA_ID}`) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ schema: JSON.stringify(FDD_VALUE_SCHEMA) }));
    } else {
      res.statusCode = 404;
      res.end('{"error_code":40403,"message":"Schema not found"}');
    }
  });
  await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
  if (bootstrap) {
    kafka = new Kafka({ clientId: 'console-live-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }
  app = Fastify();
  registerConsoleApi(app, {
    kafka: () => kafka,
    advHost: '127.0.0.1',
    kafkaBootstrap: bootstrap || '127.0.0.1:9092',
    ports: { web: 0, mqtt: broker.port, registry: null, connect: null },
    registryUrl: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
    mqtt: () => null,
    connectorMetrics: () => [
      {
        name: 'ais-positions',
        state: 'RUNNING',
        messagesIn: 10,
        recordsOut: 9,
        bytesOut: 900,
        deadLettered: 1,
        inFlight: 0,
        produceLatencyMs: 4,
        tasks: [
          { id: 0, state: 'RUNNING', messagesIn: 10, recordsOut: 9, bytesOut: 900, deadLettered: 1, inFlight: 0 },
        ],
      },
    ],
  });
  await app.ready();
});

after(async () => {
  await app.close();
  if (admin) {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
  await broker.close();
  registry.close();
});

function position(mmsi: number, lat: number, lon: number, speed: number): Buffer {
  const body = valueType.toBuffer({
    Type: 1,
    Repeat: 0,
    MMSI: BigInt(mmsi),
    Speed: speed,
    Accuracy: true,
    Longitude: lon,
    Latitude: lat,
    location: `${lat},${lon}`,
    Course: 90,
    Heading: 511,
    Second: 1,
    RAIM: false,
    Radio: 0n,
    Status: 0,
    Turn: 0,
    Maneuver: 0,
    Timestamp: 0n,
  });
  const head = Buffer.alloc(5);
  head.writeUInt32BE(SCHEMA_ID, 1);
  return Buffer.concat([head, body]);
}

test('map vessels keep the latest decoded position per MMSI', { skip }, async () => {
  assert.ok(kafka && admin);
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: '1', value: position(211000001, 54.0, 8.0, 10), timestamp: '1000000' },
      { key: '1', value: position(211000001, 54.5, 8.5, 12), timestamp: String(Date.now()) },
      { key: '2', value: position(211000002, -33.9, 18.4, 0.5), timestamp: String(Date.now()) },
      { key: '3', value: Buffer.from('not a position') },
    ],
  });
  await producer.disconnect();
  const res = await app.inject({ url: `/api/map/vessels?topic=${topic}&maxAgeS=3600` });
  assert.equal(res.statusCode, 200, res.body);
  const body = MapVesselsResponse.parse(res.json());
  const byMmsi = new Map(body.vessels.map((v) => [v.mmsi, v]));
  assert.equal(byMmsi.size, 2);
  assert.equal(byMmsi.get('211000001')?.lat, 54.5);
  assert.equal(byMmsi.get('211000001')?.speed, 12);
  assert.equal(byMmsi.get('211000001')?.heading, null, '511 means no heading');
  assert.equal(byMmsi.get('211000002')?.course, 90);
  assert.equal(body.undecodable, 1);
});

test('map vessels on a missing topic answer 404 with a code', { skip }, async () => {
  const res = await app.inject({ url: `/api/map/vessels?topic=missing-${randomUUID().slice(0, 8)}` });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND');
});

test('a bad topic name or age is a 400', async () => {
  assert.equal((await app.inject({ url: '/api/map/vessels?topic=a%20b' })).json().code, 'SEAWAY_CONSOLE_BAD_REQUEST');
  assert.equal((await app.inject({ url: '/api/map/vessels?maxAgeS=0' })).json().code, 'SEAWAY_CONSOLE_BAD_REQUEST');
});

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a generator run publishes its messages to the MQTT broker and closes with a summary', async () => {
  const before = broker.stats().messagesIn;
  const res = await app.inject({
    method: 'POST',
    url: '/api/generator/runs',
    payload: { messages: 300, workers: 2, format: 'json', qos: 1, origin: '/ais/console-test' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const started = GeneratorRunInfo.parse(res.json());
  const done = await waitFor(async () => {
    const r = GeneratorRunInfo.parse((await app.inject({ url: `/api/generator/runs/${started.id}` })).json());
    return r.state === 'done' || r.state === 'failed' ? r : undefined;
  });
  assert.equal(done.state, 'done', done.error ?? '');
  assert.equal(done.summary?.messages, 300);
  assert.ok(done.summary?.latencyMs, 'QoS 1 runs measure PUBACK latency');
  assert.equal(broker.stats().messagesIn - before, 300);
  const list = GeneratorRunsResponse.parse((await app.inject({ url: '/api/generator/runs' })).json());
  assert.equal(list.runs[0]?.id, started.id);
  assert.equal(list.mqttUrl, `tcp://127.0.0.1:${broker.port}`);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/generator/runs/${started.id}` })).statusCode, 204);
  assert.equal(
    (await app.inject({ url: `/api/generator/runs/${started.id}` })).json().code,
    'SEAWAY_CONSOLE_RUN_NOT_FOUND',
  );
});

test('an unlimited generator run stops on DELETE; a third concurrent run is refused', async () => {
  const start = () =>
    app.inject({
      method: 'POST',
      url: '/api/generator/runs',
      payload: { messages: 0, workers: 1, rate: 200, format: 'json' },
    });
  const a = GeneratorRunInfo.parse((await start()).json());
  const b = GeneratorRunInfo.parse((await start()).json());
  const third = await start();
  assert.equal(third.statusCode, 429);
  assert.equal(third.json().code, 'SEAWAY_CONSOLE_BUSY');
  await waitFor(async () => {
    const r = GeneratorRunInfo.parse((await app.inject({ url: `/api/generator/runs/${a.id}` })).json());
    return r.progress.messages > 0 ? r : undefined;
  });
  for (const id of [a.id, b.id]) {
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/generator/runs/${id}` })).statusCode, 202);
  }
  const stopped = await waitFor(async () => {
    const r = GeneratorRunInfo.parse((await app.inject({ url: `/api/generator/runs/${a.id}` })).json());
    return r.state === 'done' ? r : undefined;
  });
  assert.ok((stopped.summary?.messages ?? 0) > 0);
  assert.equal(stopped.summary?.messages, stopped.progress.messages);
});

test('a generator run with a bad parameter is a 400', async () => {
  const res = await app.inject({ method: 'POST', url: '/api/generator/runs', payload: { workers: 0 } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'SEAWAY_CONSOLE_BAD_REQUEST');
});

test('connection info points at the embedded registry and Connect on the web port when they have no port', async () => {
  const info = (await app.inject({ url: '/api/connection-info' })).json();
  assert.equal(info.schemaRegistryUrl, `http://127.0.0.1:${(registry.address() as AddressInfo).port}`);
  const bare = Fastify();
  registerConsoleApi(bare, {
    kafka: () => null,
    advHost: 'lab.example',
    kafkaBootstrap: 'lab.example:9092',
    ports: { web: 3030, mqtt: null, registry: null, connect: null },
    registryUrl: null,
    mqtt: () => null,
  });
  assert.equal(
    (await bare.inject({ url: '/api/connection-info' })).json().schemaRegistryUrl,
    'http://lab.example:3030/api/schema-registry',
  );
  assert.equal(
    (await bare.inject({ url: '/api/connection-info' })).json().connectUrl,
    'http://lab.example:3030/api/connect',
  );
  await bare.close();
});

test('connector metrics pass the bridge counters through', async () => {
  const body = ConnectorMetricsResponse.parse((await app.inject({ url: '/api/connectors/metrics' })).json());
  assert.equal(body.available, true);
  assert.equal(body.connectors[0]?.deadLettered, 1);
  assert.equal(body.connectors[0]?.produceLatencyMs, 4);
  assert.equal(body.connectors[0]?.tasks[0]?.produceLatencyMs, null);
});

// --- tail hub (no Kafka: consumers are fakes the test feeds) ---

class FakeSocket implements TailSocket {
  readyState = 1;
  bufferedAmount = 0;
  frames: TailFrame[] = [];
  private handlers: Record<string, ((d?: unknown) => void)[]> = {};
  send(data: string) {
    this.frames.push(TailFrame.parse(JSON.parse(data)));
  }
  on(event: string, fn: (d?: unknown) => void) {
    (this.handlers[event] ??= []).push(fn);
    return this;
  }
  emit(event: string, d?: unknown) {
    for (const h of this.handlers[event] ?? []) h(d);
  }
}

const rec = (i: number): TopicMessage => ({
  partition: 0,
  offset: String(i),
  timestamp: i,
  key: null,
  value: null,
  headers: [],
  size: 0,
});

function fakeConsumers() {
  const started: { topic: string; feed: (r: TopicMessage[], skipped?: number) => void; stopped: boolean }[] = [];
  return {
    started,
    startConsumer: async (topic: string, onRecords: (r: TopicMessage[], skipped: number) => void) => {
      const c = { topic, feed: (r: TopicMessage[], s = 0) => onRecords(r, s), stopped: false };
      started.push(c);
      return {
        disconnect: async () => {
          c.stopped = true;
        },
      };
    },
  };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the tail hub batches records into capped frames and counts what it drops', async () => {
  const f = fakeConsumers();
  const hub = createTailHub({ kafka: () => null }, { startConsumer: f.startConsumer, flushMs: 20 });
  const ws = new FakeSocket();
  hub.attach(ws);
  ws.emit('message', JSON.stringify({ type: 'tail', topic: 't1' }));
  await tick(5);
  assert.equal(f.started.length, 1);
  const many = Array.from({ length: 450 }, (_, i) => rec(i));
  f.started[0]!.feed(many.slice(0, 300), 100);
  f.started[0]!.feed(many.slice(300));
  await tick(60);
  const frames = ws.frames.filter((x) => x.records.length > 0 || x.dropped > 0);
  assert.equal(frames.length, 1, 'everything that arrived between flushes goes out as one frame');
  assert.equal(frames[0]!.records.length, 200);
  assert.equal(frames[0]!.records.at(-1)!.offset, '449', 'the newest records are kept');
  assert.equal(frames[0]!.dropped, 100 + 250);
  await hub.close();
});

test('viewers of a topic share one consumer, which stops when the last one leaves', async () => {
  const f = fakeConsumers();
  const hub = createTailHub({ kafka: () => null }, { startConsumer: f.startConsumer, flushMs: 20 });
  const a = new FakeSocket();
  const b = new FakeSocket();
  hub.attach(a);
  hub.attach(b);
  hub.handleClientMessage(a, { type: 'tail', topic: 't2' });
  hub.handleClientMessage(b, { type: 'tail', topic: 't2' });
  await tick(5);
  assert.equal(f.started.length, 1);
  f.started[0]!.feed([rec(1)]);
  await tick(50);
  assert.equal(a.frames[0]?.records.length, 0, 'the subscription is acknowledged with an empty frame');
  assert.equal(a.frames.filter((x) => x.records.length).length, 1);
  assert.equal(b.frames.filter((x) => x.records.length).length, 1);
  hub.handleClientMessage(a, { type: 'untail' });
  assert.equal(f.started[0]!.stopped, false);
  b.emit('close');
  await tick(5);
  assert.equal(f.started[0]!.stopped, true);
  assert.deepEqual(hub.topics(), []);
  await hub.close();
});

test('a tail of a missing topic answers with a tail-error frame', { skip }, async () => {
  const hub = createTailHub({ kafka: () => kafka });
  const sent: unknown[] = [];
  const ws = {
    readyState: 1,
    bufferedAmount: 0,
    send: (d: string) => sent.push(JSON.parse(d)),
    on: () => ws,
  } as TailSocket;
  hub.handleClientMessage(ws, { type: 'tail', topic: `missing-${randomUUID().slice(0, 8)}` });
  const err = await waitFor(async () => sent.find((f) => (f as { type: string }).type === 'tail-error'));
  assert.equal((err as { code: string }).code, 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND');
  await hub.close();
});

test('a tail over real Kafka delivers newly produced records', { skip }, async () => {
  assert.ok(kafka && admin);
  const t = `console-tail-${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ topics: [{ topic: t }], waitForLeaders: true });
  const hub = createTailHub({ kafka: () => kafka });
  const ws = new FakeSocket();
  hub.handleClientMessage(ws, { type: 'tail', topic: t });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const got = await waitFor(async () => {
      await producer.send({ topic: t, messages: [{ value: 'hello' }] });
      return ws.frames.some((x) => x.records.length) ? ws.frames : undefined;
    }, 30_000);
    const r = got.flatMap((x) => x.records)[0]!;
    assert.equal(Buffer.from(r.value ?? '', 'base64').toString(), 'hello');
  } finally {
    await producer.disconnect();
    await hub.close();
    await admin.deleteTopics({ topics: [t] }).catch(() => {});
  }
});
