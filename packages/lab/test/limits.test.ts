// Every limit of the lab tripped by a real client on a lab started with small limits: raw sockets
// (from their own loopback addresses, 127.0.0.2 and up, so a flood from one address leaves the
// others alone), kafkajs, mqtt.js, fetch. Each test reads /metrics before and after, requires the
// limit's counter to move by what was refused, and then a normal client to still be served.
// Runs on the embedded broker and, where SEAWAY_TEST_KAFKA is set, with KAFKA_BROKERS on Apache
// Kafka (the Kafka-port limits belong to the embedded broker and are skipped there).
// LIMITS_TEST_UNLIMITED=1 starts the labs with the defaults instead: every test must then fail
// (how the note for issue 21 checked that none passes without its limit).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, createServer, connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { parseConfig } from '../src/config.ts';
import { type Lab, startLab } from '../src/lab.ts';

const apache = realKafka();
const unlimited = process.env.LIMITS_TEST_UNLIMITED === '1';
const MiB = 1024 * 1024;
/** The address /metrics is read from, which no flood uses. */
const METRICS_FROM = '127.0.0.9';

const SMALL = {
  KAFKA_MAX_CONNECTIONS: '60',
  KAFKA_MAX_CONNECTIONS_PER_ADDRESS: '20',
  KAFKA_IDLE_TIMEOUT_MS: '3000',
  KAFKA_PARTIAL_FRAME_TIMEOUT_MS: '3000',
  KAFKA_MAX_BUFFERED_BYTES: String(100 * MiB),
  MQTT_MAX_CONNECTIONS: '40',
  MQTT_MAX_CONNECTIONS_PER_ADDRESS: '15',
  MQTT_CONNECT_TIMEOUT_MS: '1000',
  MQTT_MAX_PACKET_SIZE: '4096',
  MQTT_MAX_INFLIGHT_PER_CLIENT: '3',
  MQTT_MAX_QUEUED_PER_SESSION: '5',
  MQTT_MAX_QUEUED_BYTES_PER_SESSION: '3000',
  MQTT_MAX_QUEUED_BYTES: '8000',
  HTTP_MAX_CONNECTIONS: '60',
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: '20',
  HTTP_IDLE_TIMEOUT_MS: '2000',
  HTTP_REQUEST_TIMEOUT_MS: '2000',
  WEB_BODY_LIMIT: '2048',
  REGISTRY_BODY_LIMIT: '2048',
  CONNECT_BODY_LIMIT: '2048',
  CONSOLE_MAX_SCANS: '1',
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** /metrics as name{labels} -> value, read over a connection of its own from METRICS_FROM. */
function metrics(port: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/metrics', localAddress: METRICS_FROM, agent: false },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          const m = new Map<string, number>();
          for (const line of body.split('\n')) {
            if (line === '' || line.startsWith('#')) continue;
            const at = line.lastIndexOf(' ');
            m.set(line.slice(0, at), Number(line.slice(at + 1)));
          }
          resolve(m);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const metric = (m: Map<string, number>, name: string): number => {
  const v = m.get(name);
  assert.ok(v !== undefined, `/metrics has no ${name}`);
  return v;
};

/** Waits until `check` holds (polling every 100 ms), or fails with `what` after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = unlimited ? 8000 : 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    // a check refused by the very limit under test (a full port) is a "not yet"
    if (await check().catch(() => false)) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface RawConn {
  socket: Socket;
  /** Resolves when the server closed (or reset) the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
}

/** A TCP connection from `from` that sends nothing unless told; resolves once connected. */
async function raw(port: number, from = '127.0.0.1'): Promise<RawConn> {
  const socket = netConnect({ host: '127.0.0.1', port, localAddress: from });
  let done = false;
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      done = true;
      resolve();
    });
  });
  socket.on('error', () => {});
  socket.on('data', () => {});
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return { socket, closed, isClosed: () => done };
}

async function rawMany(port: number, from: string, n: number): Promise<RawConn[]> {
  const out: RawConn[] = [];
  for (let i = 0; i < n; i++) out.push(await raw(port, from));
  return out;
}

/** A minimal MQTT 3.1.1 CONNECT (clean session, keep-alive 0), so the connect timeout leaves it be. */
function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 0]),
    Buffer.from([id.length >> 8, id.length & 0xff]),
    id,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

/** An MQTT connection from `from` that sent CONNECT: CONNACK seen, or closed by the broker. */
async function mqttRaw(port: number, from: string, clientId: string): Promise<RawConn & { acked: boolean }> {
  const c = await raw(port, from);
  if (c.isClosed()) return { ...c, acked: false };
  const acked = await new Promise<boolean>((resolve) => {
    c.socket.once('data', (d: Buffer) => resolve(d[0] === 0x20));
    c.closed.then(() => resolve(false));
    c.socket.write(connectPacket(clientId));
  });
  return { ...c, acked };
}

/** An MQTT 3.1.1 QoS 1 PUBLISH. */
function publishPacket(topic: string, messageId: number, payload: string): Buffer {
  const t = Buffer.from(topic);
  const p = Buffer.from(payload);
  const length = 2 + t.length + 2 + p.length;
  assert.ok(length < 128, 'one length byte');
  return Buffer.concat([
    Buffer.from([0x32, length, t.length >> 8, t.length & 0xff]),
    t,
    Buffer.from([messageId >> 8, messageId & 0xff]),
    p,
  ]);
}

const closeAll = async (conns: RawConn[]) => {
  for (const c of conns) c.socket.destroy();
  await Promise.all(conns.map((c) => c.closed));
};

/** mqtt.js connected, or an error when the broker closes the connection first. */
async function mqttClient(port: number, o: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000, ...o });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('close', () => reject(new Error('the broker closed the connection before CONNACK')));
    c.once('error', reject);
  });
  return c;
}

async function mqttWorks(port: number, topic: string): Promise<void> {
  const c = await mqttClient(port);
  try {
    await c.publishAsync(topic, 'normal client', { qos: 1 });
  } finally {
    await c.endAsync();
  }
}

async function httpWorks(port: number): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${port}/api/health`);
  assert.ok(r.status === 200 || r.status === 503, `health answered ${r.status}`);
  await r.arrayBuffer();
}

for (const target of [
  { name: 'embedded Kafka broker', kafka: null, skip: false as const },
  { name: 'Apache Kafka (KAFKA_BROKERS)', kafka: apache || null, skip: !apache && 'no real Kafka' },
]) {
  describe(`limits on a lab with the ${target.name}`, { skip: target.skip }, () => {
    let lab: Lab;
    let web: number;
    const run = `limits-${process.pid}-${Date.now()}`;
    const embedded = target.kafka === null;
    const kafkaPort = () => Number(lab.kafkaBrokers[0]?.split(':')[1]);
    const kafka = () => new Kafka({ brokers: lab.kafkaBrokers, clientId: `${run}-check`, logLevel: logLevel.NOTHING });

    before(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'seaway-limits-'));
      dirs.push(dataDir);
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: String(await freePort()),
          CONNECT_PORT: String(await freePort()),
          DATA_DIR: dataDir,
          RUNNING_SAMPLEDATA: 'false',
          CONNECT_CONFIG_TOPIC: `${run}-configs`,
          CONNECT_OFFSET_TOPIC: `${run}-offsets`,
          CONNECT_STATUS_TOPIC: `${run}-status`,
          REGISTRY_TOPIC: `${run}-schemas`,
          MQTT_INGEST_HOLD_MS: '60000',
          ...(unlimited ? {} : SMALL),
        }),
        { log: () => {} },
      );
      web = lab.webPort as number;
    });
    after(() => lab?.close());

    test('Kafka port: connections beyond KAFKA_MAX_CONNECTIONS_PER_ADDRESS from one address are refused at accept', {
      skip: !embedded && 'the Kafka port is Apache Kafka',
    }, async () => {
      const before = await metrics(web);
      const conns = await rawMany(kafkaPort(), '127.0.0.2', 25);
      await until('5 per-address refusals', async () => {
        const m = await metrics(web);
        return (
          metric(m, 'seaway_kafka_connections_refused_per_address_total') -
            metric(before, 'seaway_kafka_connections_refused_per_address_total') >=
          5
        );
      });
      await until('the refused sockets to be closed', async () => conns.filter((c) => c.isClosed()).length >= 5);
      // another address is not refused while 127.0.0.2 is full
      const other = await raw(kafkaPort(), '127.0.0.3');
      const admin = kafka().admin();
      await admin.connect();
      assert.ok(Array.isArray(await admin.listTopics()));
      await admin.disconnect();
      const m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_kafka_connections_refused_per_address_total') -
          metric(before, 'seaway_kafka_connections_refused_per_address_total'),
        5,
      );
      await closeAll([...conns, other]);
    });

    test('Kafka port: connections beyond KAFKA_MAX_CONNECTIONS in total are refused, then kafkajs works again', {
      skip: !embedded && 'the Kafka port is Apache Kafka',
    }, async () => {
      const port = kafkaPort();
      const before = await metrics(web);
      const conns: RawConn[] = [];
      for (const from of ['127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'])
        conns.push(...(await rawMany(port, from, 18)));
      await until('total refusals', async () => {
        const m = await metrics(web);
        return (
          metric(m, 'seaway_kafka_connections_refused_total') -
            metric(before, 'seaway_kafka_connections_refused_total') >
          0
        );
      });
      const m = await metrics(web);
      assert.ok(metric(m, 'seaway_kafka_connections_open') <= 60, 'more connections open than KAFKA_MAX_CONNECTIONS');
      await until('the refused sockets to be closed', async () => conns.some((c) => c.isClosed()));
      await closeAll(conns);
      const admin = kafka().admin();
      await admin.connect();
      assert.ok(Array.isArray(await admin.listTopics()));
      await admin.disconnect();
    });

    test('Kafka port: a silent connection is closed after KAFKA_IDLE_TIMEOUT_MS, a frame left unfinished after KAFKA_PARTIAL_FRAME_TIMEOUT_MS', {
      skip: !embedded && 'the Kafka port is Apache Kafka',
    }, async () => {
      const port = kafkaPort();
      const before = await metrics(web);
      const idle = await raw(port, '127.0.0.8');
      const partial = await raw(port, '127.0.0.8');
      // a frame that announces 1000 bytes and sends 10, then keeps the connection otherwise busy
      const head = Buffer.alloc(14);
      head.writeInt32BE(1000, 0);
      partial.socket.write(head);
      await until('both to be closed by the broker', async () => idle.isClosed() && partial.isClosed());
      const m = await metrics(web);
      // the lab's own idle kafkajs connections are closed too (and reconnect): at least ours
      assert.ok(
        metric(m, 'seaway_kafka_connections_closed_idle_total') -
          metric(before, 'seaway_kafka_connections_closed_idle_total') >=
          1,
      );
      assert.equal(
        metric(m, 'seaway_kafka_connections_closed_partial_frame_total') -
          metric(before, 'seaway_kafka_connections_closed_partial_frame_total'),
        1,
      );
      const admin = kafka().admin();
      await admin.connect();
      assert.ok(Array.isArray(await admin.listTopics()));
      await admin.disconnect();
    });

    test('Kafka port: partial frames past KAFKA_MAX_BUFFERED_BYTES close the connection that would pass it', {
      skip: !embedded && 'the Kafka port is Apache Kafka',
    }, async () => {
      const port = kafkaPort();
      const before = await metrics(web);
      const body = Buffer.alloc(60 * MiB);
      const conns = [await raw(port, '127.0.0.10'), await raw(port, '127.0.0.11')];
      for (const c of conns) {
        const head = Buffer.alloc(4);
        head.writeInt32BE(70 * MiB, 0);
        c.socket.write(head);
        c.socket.write(body);
      }
      await until('a buffer-full close', async () => {
        const m = await metrics(web);
        return (
          metric(m, 'seaway_kafka_connections_closed_buffer_full_total') -
            metric(before, 'seaway_kafka_connections_closed_buffer_full_total') >=
          1
        );
      });
      const m = await metrics(web);
      assert.ok(metric(m, 'seaway_kafka_buffered_bytes') <= 100 * MiB, 'more buffered than KAFKA_MAX_BUFFERED_BYTES');
      await closeAll(conns);
      const admin = kafka().admin();
      await admin.connect();
      assert.ok(Array.isArray(await admin.listTopics()));
      await admin.disconnect();
    });

    test('MQTT port: MQTT_MAX_CONNECTIONS_PER_ADDRESS and MQTT_MAX_CONNECTIONS refuse the excess, others are served', async () => {
      const port = lab.mqttPort as number;
      const before = await metrics(web);
      const one: (RawConn & { acked: boolean })[] = [];
      for (let i = 0; i < 17; i++) one.push(await mqttRaw(port, '127.0.0.2', `${run}-pa-${i}`));
      assert.equal(one.filter((c) => c.acked).length, 15, 'CONNACKed from one address');
      await mqttWorks(port, `${run}/normal`);
      let m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_rejected_connection_limit_total') -
          metric(before, 'seaway_mqtt_rejected_connection_limit_total'),
        2,
      );
      // 15 + 14 + 14 = 43 connections wanted, 40 allowed in total
      const more: (RawConn & { acked: boolean })[] = [];
      for (const from of ['127.0.0.3', '127.0.0.4']) {
        for (let i = 0; i < 14; i++) more.push(await mqttRaw(port, from, `${run}-t-${from}-${i}`));
      }
      const open = metric(await metrics(web), 'seaway_mqtt_open_connections');
      assert.ok(open <= 40, `${open} MQTT connections open`);
      assert.ok(
        more.some((c) => !c.acked),
        'a connection beyond MQTT_MAX_CONNECTIONS was accepted',
      );
      await closeAll([...one, ...more]);
      await until(
        'the broker to see the closes',
        async () => metric(await metrics(web), 'seaway_mqtt_open_connections') < 10,
      );
      await mqttWorks(port, `${run}/normal`);
      m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_rejected_connection_limit_total') -
          metric(before, 'seaway_mqtt_rejected_connection_limit_total'),
        2 + more.filter((c) => !c.acked).length,
      );
    });

    test('MQTT port: no CONNECT within MQTT_CONNECT_TIMEOUT_MS closes the connection; a packet over MQTT_MAX_PACKET_SIZE is refused', async () => {
      const port = lab.mqttPort as number;
      const before = await metrics(web);
      const silent = await raw(port, '127.0.0.5');
      await until('the silent connection to be closed', async () => silent.isClosed());
      let m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_closed_for_errors_total') - metric(before, 'seaway_mqtt_closed_for_errors_total'),
        1,
      );
      const c = await mqttClient(port);
      let gone = false;
      c.once('close', () => {
        gone = true;
      });
      c.publish(`${run}/big`, Buffer.alloc(8192), { qos: 0 });
      await until('the broker to close the publisher', async () => gone);
      c.end(true);
      m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_rejected_too_large_total') - metric(before, 'seaway_mqtt_rejected_too_large_total'),
        1,
      );
      await mqttWorks(port, `${run}/normal`);
    });

    test('MQTT port: a publisher with MQTT_MAX_INFLIGHT_PER_CLIENT messages waiting for Kafka is held and not read further; all reach Kafka', async () => {
      const port = lab.mqttPort as number;
      const topic = `${run}-inflight`;
      const api = `http://127.0.0.1:${web}/api/connect/connectors`;
      const created = await fetch(api, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `${run}-inflight`,
          config: {
            'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
            'connect.mqtt.hosts': `tcp://127.0.0.1:${port}`,
            'connect.mqtt.service.quality': '1',
            'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`inflight/${run}/#\``,
          },
        }),
      });
      assert.equal(created.status, 201, await created.text());
      // the first message proves the task runs; then it is paused so the gate holds what follows
      await mqttWorks(port, `inflight/${run}/first`);
      assert.equal((await fetch(`${api}/${run}-inflight/pause`, { method: 'PUT' })).status, 202);
      await until('the task to be paused', async () => {
        const s = (await (await fetch(`${api}/${run}-inflight/status`)).json()) as { tasks: { state: string }[] };
        return s.tasks.every((t) => t.state === 'PAUSED');
      });
      const before = await metrics(web);
      // a raw 3.1.1 publisher: 10 QoS 1 PUBLISHes in one write, then 10 more in a second one
      const pub = await mqttRaw(port, '127.0.0.6', `${run}-inflight-pub`);
      assert.ok(pub.acked);
      let acks = 0;
      pub.socket.on('data', (d: Buffer) => {
        acks += d.length / 4; // PUBACKs are 4 bytes each
      });
      const publishes = (from: number) =>
        Buffer.concat(
          Array.from({ length: 10 }, (_, i) => publishPacket(`inflight/${run}/m`, from + i + 1, `held-${from + i}`)),
        );
      pub.socket.write(publishes(0));
      await until('the publisher to be held at its own bound', async () => {
        const m = await metrics(web);
        return (
          metric(m, 'seaway_mqtt_ingest_client_holds_total') -
            metric(before, 'seaway_mqtt_ingest_client_holds_total') ===
            1 && metric(m, 'seaway_mqtt_ingest_held_clients') === 1
        );
      });
      pub.socket.write(publishes(10));
      // another client is served meanwhile (its topic is not a connector's)
      await mqttWorks(port, `${run}/normal`);
      let m = await metrics(web);
      // the first write was read at once (the bound is checked per read); the second is not read
      assert.equal(metric(m, 'seaway_mqtt_ingest_in_flight'), 10);
      assert.equal(acks, 0, 'a PUBACK left while the task was paused');
      assert.equal((await fetch(`${api}/${run}-inflight/resume`, { method: 'PUT' })).status, 202);
      await until('20 PUBACKs', async () => acks === 20, 60_000);
      m = await metrics(web);
      assert.equal(metric(m, 'seaway_mqtt_ingest_held_clients'), 0);
      pub.socket.destroy();
      // every PUBACKed message is in Kafka
      const consumer = kafka().consumer({ groupId: `${run}-inflight-check` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen = new Set<string>();
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.add(String(message.value));
        },
      });
      await until('21 records in Kafka', async () => seen.size >= 21, 60_000);
      await consumer.disconnect();
      // values are in the connector's default wire format (a schema id, then the Avro string)
      const values = [...seen];
      for (let i = 0; i < 20; i++) {
        assert.ok(
          values.some((v) => v.endsWith(`held-${i}`)),
          `held-${i} missing in Kafka`,
        );
      }
    });

    /** Subscribes `clientId` persistently to `filter` and goes away. */
    async function offlineSession(port: number, clientId: string, filter: string): Promise<void> {
      const c = await mqttClient(port, { clientId, clean: false });
      await c.subscribeAsync(filter, { qos: 1 });
      await c.endAsync();
    }

    /** The sessions come back, take what was queued for them until the queue gauge is at `baseline`
     *  again (mqtt.js acknowledges a message after handing it over), and leave clean. */
    async function drain(port: number, clientIds: string[], baseline: number): Promise<number[]> {
      const counts = clientIds.map(() => 0);
      const clients = await Promise.all(
        clientIds.map(async (clientId, i) => {
          const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, clean: false, reconnectPeriod: 0 });
          c.on('message', () => {
            counts[i] = (counts[i] ?? 0) + 1;
          });
          await new Promise<void>((r) => c.once('connect', () => r()));
          return c;
        }),
      );
      await until('the queued messages to be delivered', async () => {
        return metric(await metrics(web), 'seaway_mqtt_queued_bytes') <= baseline;
      });
      await Promise.all(clients.map((c) => c.endAsync()));
      return counts;
    }

    test('MQTT sessions: an offline session keeps MQTT_MAX_QUEUED_PER_SESSION messages and MQTT_MAX_QUEUED_BYTES_PER_SESSION bytes', async () => {
      const port = lab.mqttPort as number;
      const before = await metrics(web);
      const baseline = metric(before, 'seaway_mqtt_queued_bytes');
      await offlineSession(port, `${run}-qcount`, `qcount/${run}/#`);
      const pub = await mqttClient(port);
      for (let i = 0; i < 8; i++) await pub.publishAsync(`qcount/${run}/m`, `small-${i}`, { qos: 1 });
      let m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_dropped_queue_full_total') - metric(before, 'seaway_mqtt_dropped_queue_full_total'),
        3,
      );
      assert.deepEqual(await drain(port, [`${run}-qcount`], baseline), [5]);
      await offlineSession(port, `${run}-qbytes`, `qbytes/${run}/#`);
      // 1000-byte payloads: two fit in 3000 bytes with their topics, the third does not
      for (let i = 0; i < 4; i++) await pub.publishAsync(`qbytes/${run}/m`, Buffer.alloc(1000, 65 + i), { qos: 1 });
      await pub.endAsync();
      m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_mqtt_dropped_queue_bytes_total') - metric(before, 'seaway_mqtt_dropped_queue_bytes_total'),
        2,
      );
      assert.deepEqual(await drain(port, [`${run}-qbytes`], baseline), [2]);
    });

    test('MQTT sessions: all offline sessions together hold at most MQTT_MAX_QUEUED_BYTES', async () => {
      const port = lab.mqttPort as number;
      const before = await metrics(web);
      const baseline = metric(before, 'seaway_mqtt_queued_bytes');
      const ids = [0, 1, 2, 3].map((s) => `${run}-qall-${s}`);
      for (const id of ids) await offlineSession(port, id, `qall/${run}/#`);
      const pub = await mqttClient(port);
      // each 1000-byte message is queued 4 times: 8000 bytes in total hold 7 of the 8 copies
      for (let i = 0; i < 2; i++) await pub.publishAsync(`qall/${run}/m`, Buffer.alloc(1000, 65 + i), { qos: 1 });
      await pub.endAsync();
      const m = await metrics(web);
      assert.ok(metric(m, 'seaway_mqtt_queued_bytes') <= 8000, 'more queued than MQTT_MAX_QUEUED_BYTES');
      const dropped =
        metric(m, 'seaway_mqtt_dropped_queue_all_bytes_total') -
        metric(before, 'seaway_mqtt_dropped_queue_all_bytes_total');
      assert.ok(dropped >= 1, 'no copy was dropped for the total bound');
      const kept = (await drain(port, ids, baseline)).reduce((a, b) => a + b, 0);
      assert.equal(kept + dropped, 8);
      await mqttWorks(port, `${run}/normal`);
    });

    test('HTTP ports: HTTP_MAX_CONNECTIONS_PER_ADDRESS and HTTP_MAX_CONNECTIONS refuse the excess, fetch works after', async () => {
      const before = await metrics(web);
      const one = await rawMany(web, '127.0.0.2', 23);
      await until('3 per-address refusals', async () => one.filter((c) => c.isClosed()).length >= 3);
      await httpWorks(web);
      let m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_http_connections_refused_per_address_total{port="web"}') -
          metric(before, 'seaway_http_connections_refused_per_address_total{port="web"}'),
        3,
      );
      // 20 + 3 x 20 wanted, 60 allowed in total
      const more: RawConn[] = [];
      for (const from of ['127.0.0.3', '127.0.0.4', '127.0.0.6']) more.push(...(await rawMany(web, from, 20)));
      await until('a total refusal', async () => more.some((c) => c.isClosed()));
      await closeAll([...one, ...more]);
      await until('the server to see the closes', async () => {
        return metric(await metrics(web), 'seaway_http_connections_open{port="web"}') < 10;
      });
      await httpWorks(web);
      m = await metrics(web);
      const refused =
        metric(m, 'seaway_http_connections_refused_total{port="web"}') -
        metric(before, 'seaway_http_connections_refused_total{port="web"}');
      assert.ok(refused >= 4, `${refused} refused`);
    });

    test('HTTP ports: a silent connection is closed after HTTP_IDLE_TIMEOUT_MS, a trickled request after HTTP_REQUEST_TIMEOUT_MS', async () => {
      const before = await metrics(web);
      const idle = await raw(web, '127.0.0.5');
      const slow = await raw(web, '127.0.0.5');
      slow.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
      let answer = '';
      slow.socket.on('data', (d) => (answer += d));
      // one header byte every 500 ms: never idle, never complete
      const trickle = setInterval(() => slow.socket.write('X'), 500);
      try {
        await until('both to be closed by the server', async () => idle.isClosed() && slow.isClosed());
      } finally {
        clearInterval(trickle);
      }
      assert.match(answer, /^HTTP\/1.1 408/);
      const m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_http_idle_timeouts_total{port="web"}') -
          metric(before, 'seaway_http_idle_timeouts_total{port="web"}'),
        1,
      );
      assert.equal(
        metric(m, 'seaway_http_request_timeouts_total{port="web"}') -
          metric(before, 'seaway_http_request_timeouts_total{port="web"}'),
        1,
      );
      await httpWorks(web);
    });

    test('HTTP ports: a body over WEB/REGISTRY/CONNECT_BODY_LIMIT is a 413 on each port', async () => {
      const before = await metrics(web);
      const big = JSON.stringify({ schema: 'x'.repeat(4096) });
      const ports = {
        web: `http://127.0.0.1:${web}/api/topics`,
        registry: `http://127.0.0.1:${lab.registryPort}/subjects/${run}-big/versions`,
        connect: `http://127.0.0.1:${lab.connectPort}/connectors`,
      };
      for (const [port, url] of Object.entries(ports)) {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
        assert.equal(r.status, 413, `${port}: ${await r.text()}`);
      }
      const m = await metrics(web);
      for (const port of Object.keys(ports)) {
        const name = `seaway_http_body_too_large_total{port="${port}"}`;
        assert.equal(metric(m, name) - metric(before, name), 1, name);
      }
      const ok = await fetch(`http://127.0.0.1:${lab.connectPort}/connectors`);
      assert.equal(ok.status, 200);
      await httpWorks(web);
    });

    test('console: a scan beyond CONSOLE_MAX_SCANS is answered 429 while one runs', {
      // a scan against KAFKA_BROKERS leaves one kafkajs connection open after the lab closed, which
      // keeps this test process alive (a known defect, noted on issue 21); the limit is the same code
      skip: !embedded && 'a scan on KAFKA_BROKERS leaks a connection at close (known defect)',
    }, async () => {
      const topic = `${run}-scan`;
      const producer = kafka().producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'one' }] });
      await producer.disconnect();
      const url = `http://127.0.0.1:${web}/api/topics/${topic}/messages?offset=0&limit=100&timeoutMs=5000`;
      const before = await metrics(web);
      let busy: Response | null = null;
      const first = fetch(url);
      await until('the first scan to run', async () => metric(await metrics(web), 'seaway_console_scans_running') >= 1);
      busy = await fetch(url);
      assert.equal(busy.status, 429, await busy.text());
      const firstRes = await first;
      assert.equal(firstRes.status, 200);
      // read the answers to the end: an unread body keeps its connection busy and the lab's close waits for it
      await firstRes.arrayBuffer();
      const m = await metrics(web);
      assert.equal(
        metric(m, 'seaway_console_scans_refused_total') - metric(before, 'seaway_console_scans_refused_total'),
        1,
      );
      const again = await fetch(url);
      assert.equal(again.status, 200);
      await again.arrayBuffer();
    });
  });
}
