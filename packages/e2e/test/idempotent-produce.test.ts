// The real-cluster path (KAFKA_BROKERS): connectors write through the idempotent producer with
// several requests in flight per partition. mqtt.js publishers keep 32 QoS 1 messages in flight
// each, every one with its own id and a sequence number per publisher (the MQTT topic, which is the
// record key, so one partition per publisher); meanwhile Kafka restarts under the lab. At the end
// every PUBACKed id is in Kafka exactly once and each key's sequence numbers rise in offset order.
// Kafkas: a separate `seaway kafka` process (SIGKILLed and started again on its data), Apache
// Kafka 4.1.1 (restartKafka), and a 3-broker Apache Kafka cluster with replication factor 3 and
// min.insync.replicas 2 (one broker SIGKILLed, then restartKafka of all three).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';
import { type Proc, seaway, waitForHealth, waitForPort } from '../src/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'seaway-idempotent-'));
const procs: Proc[] = [];
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const p of procs) p.child.kill('SIGKILL');
  for (const c of cleanups) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const exited = (p: Proc) =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r(null) : p.child.once('exit', r)));

interface TestKafka {
  bootstrap: string;
  /** What happens to Kafka while the publishers run. */
  faults: Array<[label: string, run: () => Promise<void>]>;
}

async function seawayKafka(): Promise<TestKafka> {
  const port = await freePort();
  const args = ['kafka', '--port', String(port), '--data-dir', join(dir, 'seaway-kafka'), '--host', '127.0.0.1'];
  const start = async () => {
    const p = seaway([...args, '--adv-host', '127.0.0.1'], {});
    procs.push(p);
    await waitForPort(port, p);
    return p;
  };
  let proc = await start();
  return {
    bootstrap: `127.0.0.1:${port}`,
    faults: [
      [
        'SIGKILL, started again on its data',
        async () => {
          proc.child.kill('SIGKILL');
          await exited(proc);
          await sleep(1000);
          proc = await start();
        },
      ],
    ],
  };
}

async function apacheKafka(nodes: 1 | 3): Promise<TestKafka | null> {
  // Its own Kafka on its own data (the shared test Kafka is not restarted); SEAWAY_TEST_KAFKA says
  // the jars are fetched and Java runs.
  if (!realKafka()) return null;
  const kafka = await import('../../../scripts/kafka/kafka.mjs');
  const kdir = join(dir, `apache-${nodes}`);
  const started = await kafka.startKafka({ port: await freePort(), nodes, dir: kdir });
  cleanups.push(() => kafka.stopKafka({ dir: kdir, signal: 'SIGKILL' }));
  const restart: [string, () => Promise<void>] = [
    'restartKafka (every broker stopped and started on its data)',
    async () => {
      await kafka.restartKafka({ dir: kdir });
    },
  ];
  if (nodes === 1) return { bootstrap: started.bootstrap, faults: [restart] };
  return {
    bootstrap: started.bootstrap,
    faults: [
      [
        'broker 1 SIGKILLed (leaders move, 2 in sync)',
        async () => {
          process.kill(Number(readFileSync(join(kdir, 'node1/pid'), 'utf8')), 'SIGKILL');
          await sleep(6000);
        },
      ],
      restart,
    ],
  };
}

interface Seen {
  count: number;
  /** per key: sequence numbers in offset order */
  byKey: Map<string, number[]>;
  ids: Map<string, number>;
}

async function readTopic(brokers: string, topic: string): Promise<Seen> {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const seen: Seen = { count: 0, byKey: new Map(), ids: new Map() };
  const consumer = kafka.consumer({ groupId: `idem-read-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    if (high === 0) resolve();
    void consumer.run({
      // eachMessage runs in offset order within a partition, and one key lives in one partition
      eachMessage: async ({ message }) => {
        const m = /^id=(\S+) seq=(\d+)$/.exec(String(message.value));
        if (m) {
          const key = String(message.key);
          let list = seen.byKey.get(key);
          if (!list) seen.byKey.set(key, (list = []));
          list.push(Number(m[2]));
          seen.ids.set(m[1] as string, (seen.ids.get(m[1] as string) ?? 0) + 1);
        }
        if (++seen.count >= high) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

const PUBLISHERS = 4;
const WINDOW = 32;

for (const [name, make] of [
  ['a separate `seaway kafka`', () => seawayKafka()],
  ['Apache Kafka', () => apacheKafka(1)],
  ['a 3-broker Apache Kafka (replication 3, min.insync.replicas 2)', () => apacheKafka(3)],
] as const) {
  test(`${name} restarted under the lab: every PUBACKed id once, in order per key`, {
    timeout: 400_000,
  }, async (t) => {
    const kafka = await make();
    if (!kafka) return t.skip('no real Kafka (SEAWAY_TEST_KAFKA unset)');
    const [webPort, mqttPort] = [await freePort(), await freePort()];
    const topic = 'idempotent';
    const admin = new Kafka({ brokers: kafka.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const lab = seaway(['start'], {
      KAFKA_BROKERS: kafka.bootstrap,
      BIND_HOST: '127.0.0.1',
      ADV_HOST: '127.0.0.1',
      WEB_PORT: String(webPort),
      MQTT_PORT: String(mqttPort),
      REGISTRY_PORT: '0',
      CONNECT_PORT: '0',
      DATA_DIR: join(dir, `lab-${name.length}`),
    });
    procs.push(lab);
    await waitForHealth(webPort, lab);
    const created = await fetch(`http://127.0.0.1:${webPort}/api/connect/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'idempotent',
        config: {
          'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
          'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
          'connect.mqtt.service.quality': '1',
          // the record key is the publisher's name (an MQTT 5 user property): one partition per publisher
          'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`idem/#\` PROPERTIES('key.user.property'='pub')`,
          'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        },
      }),
    });
    assert.equal(created.status, 201, await created.text());

    const acked = new Set<string>();
    let running = true;
    const loops = Array.from({ length: PUBLISHERS }, async (_, p) => {
      // one persistent session per publisher: nothing is dropped or resent out of order by a reconnect
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: `idem-pub-${p}`,
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: 600 },
        reconnectPeriod: 200,
      });
      c.on('error', () => {});
      let seq = 0;
      const inFlight = new Set<Promise<void>>();
      while (running) {
        const id = `p${p}-${seq}`;
        const sent: Promise<void> = c
          .publishAsync(`idem/${p}`, `id=${id} seq=${seq}`, {
            qos: 1,
            properties: { userProperties: { pub: `p${p}` } },
          })
          .then(
            () => {
              acked.add(id);
            },
            () => {},
          );
        seq++;
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        if (inFlight.size >= WINDOW) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      await c.endAsync();
    });

    const counts: Record<string, number> = {};
    const phase = async (label: string, fn: () => Promise<void>) => {
      const before = acked.size;
      await fn();
      counts[label] = acked.size - before;
    };
    await phase('running', () => sleep(3000));
    for (const [label, fault] of kafka.faults) await phase(label, fault);
    await phase('after the faults', async () => {
      const deadline = Date.now() + 90_000;
      const before = acked.size;
      while (acked.size < before + 2000 && Date.now() < deadline) await sleep(200);
    });
    running = false;
    await Promise.all(loops);
    t.diagnostic(`PUBACKs per phase: ${JSON.stringify(counts)}`);
    assert.ok(counts['after the faults']! >= 2000, `publishing resumed after the faults: ${JSON.stringify(counts)}`);

    const seen = await readTopic(kafka.bootstrap, topic);
    const missing = [...acked].filter((id) => !seen.ids.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} PUBACKed ids are not in Kafka`);
    const duplicated = [...seen.ids].filter(([, n]) => n > 1);
    assert.deepEqual(duplicated.slice(0, 10), [], `${duplicated.length} ids are in Kafka more than once`);
    assert.equal(seen.byKey.size, PUBLISHERS);
    for (const [key, seqs] of seen.byKey) {
      const backwards = seqs.findIndex((s, i) => i > 0 && s <= (seqs[i - 1] as number));
      assert.equal(backwards, -1, `${key}: sequence ${seqs[backwards]} after ${seqs[backwards - 1]} (out of order)`);
    }
    t.diagnostic(`${acked.size} PUBACKed, ${seen.count} records, keys ${[...seen.byKey.keys()].join(' ')}`);
    lab.child.kill('SIGINT');
    await exited(lab);
  });
}
