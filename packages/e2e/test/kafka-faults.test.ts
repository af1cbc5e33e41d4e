// Faults of the Kafka under the lab (KAFKA_BROKERS): a separate `seaway kafka` process, and Apache
// Kafka 4.1.1 where Java is present. While mqtt.js publishers keep publishing unique ids at QoS 1
// (the next only after the PUBACK of the previous, reconnecting on their own), Kafka is frozen with
// SIGSTOP, thawed, killed with SIGKILL and started again on the same data. Every id a publisher got
// a PUBACK for must be in Kafka at the end; the counts per phase show PUBACKs stop and resume.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';
import { type Proc, seaway, waitForHealth, waitForPort } from '../src/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'seaway-kafka-faults-'));
const procs: Proc[] = [];
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const p of procs) {
    p.child.kill('SIGCONT');
    p.child.kill('SIGKILL');
  }
  for (const c of cleanups) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const exited = (p: Proc) =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r(null) : p.child.once('exit', r)));

/** A Kafka the test can freeze, thaw, kill and start again on the same data. */
interface FaultyKafka {
  bootstrap: string;
  signal(sig: NodeJS.Signals): void;
  restart(): Promise<void>;
}

async function seawayKafka(): Promise<FaultyKafka> {
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
    signal: (sig) => proc.child.kill(sig),
    async restart() {
      await exited(proc);
      proc = await start();
    },
  };
}

async function apacheKafka(): Promise<FaultyKafka | null> {
  // The shared real Kafka is not killed here; its presence says the jars are fetched and Java runs,
  // so this test starts a Kafka of its own on its own data.
  if (!realKafka()) return null;
  const kafka = await import('../../../scripts/kafka/kafka.mjs');
  const kdir = join(dir, 'apache');
  let started = await kafka.startKafka({ port: await freePort(), dir: kdir });
  cleanups.push(() => kafka.stopKafka({ dir: kdir, signal: 'SIGKILL' }));
  return {
    bootstrap: started.bootstrap,
    signal: (sig) => {
      for (const pid of started.pids) process.kill(pid, sig);
    },
    async restart() {
      started = await kafka.restartKafka({ dir: kdir });
    },
  };
}

/** Every `id=...` value in the topic and how many records carried each. */
async function idsInKafka(brokers: string, topic: string): Promise<Map<string, number>> {
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const ids = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `faults-count-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const m = /id=(\S+)/.exec(String(message.value));
        if (m) ids.set(m[1] as string, (ids.get(m[1] as string) ?? 0) + 1);
        if (++seen >= high) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return ids;
}

for (const [name, make] of [
  ['a separate `seaway kafka`', seawayKafka],
  ['Apache Kafka', apacheKafka],
] as const) {
  test(`${name} under the lab frozen, thawed, killed and restarted: every PUBACKed id is in Kafka`, {
    timeout: 300_000,
  }, async (t) => {
    const kafka = await make();
    if (!kafka) return t.skip('no real Kafka (SEAWAY_TEST_KAFKA unset)');
    const [webPort, mqttPort] = [await freePort(), await freePort()];
    const topic = 'faults';
    const admin = new Kafka({ brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
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
      HEALTH_CHECK_INTERVAL_MS: '300',
    });
    procs.push(lab);
    await waitForHealth(webPort, lab);
    const created = await fetch(`http://127.0.0.1:${webPort}/api/connect/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'faults',
        config: {
          'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
          'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
          'connect.mqtt.service.quality': '1',
          'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`fault/#\``,
        },
      }),
    });
    assert.equal(created.status, 201, await created.text());

    const acked = new Set<string>();
    const perPhase: Record<string, number> = {};
    let running = true;
    const loops = [0, 1, 2].map(async (p) => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: `faults-pub-${p}`,
        reconnectPeriod: 200,
        connectTimeout: 3000,
      });
      c.on('error', () => {});
      for (let seq = 0; running; seq++) {
        const id = `p${p}-${seq}`;
        await c.publishAsync(`fault/${p}`, `id=${id}`, { qos: 1 }).then(
          () => acked.add(id),
          () => sleep(100), // refused or connection closed: the id was not acknowledged
        );
      }
      await c.endAsync(true);
    });
    const phase = async (label: string, fn: () => Promise<void>) => {
      const before = acked.size;
      await fn();
      perPhase[label] = acked.size - before;
    };

    await phase('running', () => sleep(2000));
    await phase('Kafka frozen (SIGSTOP) 5 s', async () => {
      kafka.signal('SIGSTOP');
      await sleep(5000);
      kafka.signal('SIGCONT');
    });
    await phase('thawed', () => sleep(3000));
    await phase('Kafka killed (SIGKILL), restarted on its data', async () => {
      kafka.signal('SIGKILL');
      await sleep(1000);
      await kafka.restart();
    });
    await phase('after the restart', async () => {
      const deadline = Date.now() + 60_000;
      const before = acked.size;
      while (acked.size < before + 50 && Date.now() < deadline) await sleep(200);
    });
    running = false;
    await Promise.all(loops);

    let ids = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      ids = await idsInKafka(kafka.bootstrap, topic);
      if ([...acked].every((id) => ids.has(id))) break;
      await sleep(1000);
    }
    const missing = [...acked].filter((id) => !ids.has(id));
    const duplicated = [...ids.values()].filter((n) => n > 1).length;
    process.stderr.write(
      `${name}: PUBACKed per phase ${JSON.stringify(perPhase)}; ${acked.size} acked, ${ids.size} distinct in Kafka, ${duplicated} ids written more than once\n`,
    );
    assert.ok((perPhase.running ?? 0) > 0, 'publishers got PUBACKs before the faults');
    assert.ok((perPhase['after the restart'] ?? 0) >= 50, 'PUBACKs resumed after Kafka came back');
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} PUBACKed ids are not in Kafka`);
    lab.child.kill('SIGTERM');
    await exited(lab);
  });
}
