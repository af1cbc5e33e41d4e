// Cluster of `seaway connect` workers (issue 20), measured: throughput and CPU µs/msg with 1, 2 and
// 3 worker processes (one `$share` task each, mosquitto as the MQTT broker, mqtt.js QoS 1
// publishers, records counted by Kafka's end offsets), rebalance time on a worker join and on a
// kill -9, and messages lost across repeated kills (every PUBACKed id looked up in Kafka with
// kafkajs). It measures; it asserts nothing.
//   node --import tsx packages/bench/src/cluster/cluster-bench.ts --brokers 127.0.0.1:19542 [--messages 20000] [--kills 10] [--rf 3]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { freePort } from '../ports.ts';
import { readCpuTicks } from '../sampler.ts';

const { values: args } = parseArgs({
  options: {
    brokers: { type: 'string' },
    messages: { type: 'string', default: '20000' },
    publishers: { type: 'string', default: '8' },
    inflight: { type: 'string', default: '32' },
    kills: { type: 'string', default: '10' },
    rf: { type: 'string', default: '1' },
    mosquitto: { type: 'string', default: '/usr/sbin/mosquitto' },
    /** msg/s of the stream that runs through the kills (below what the tasks drain, or the backlog grows) */
    rate: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});
if (!args.brokers) {
  process.stderr.write('usage: cluster-bench.ts --brokers host:port[,…] [--messages N] [--kills N] [--rf N]\n');
  process.exit(2);
}
const brokers = args.brokers;
const MESSAGES = Number(args.messages);
const PUBLISHERS = Number(args.publishers);
const INFLIGHT = Number(args.inflight);
const KILLS = Number(args.kills);
const RF = Number(args.rf);
const seawayBin = join(dirname(fileURLToPath(import.meta.url)), '../../../lab/bin/seaway.mjs');
const HZ = 100;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} (waited ${ms} ms)`);
    await sleep(100);
  }
}

async function get(port: number, path: string): Promise<unknown> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
    return r.status === 200 ? await r.json() : undefined;
  } catch {
    return undefined;
  }
}

interface Worker {
  port: number;
  id: string;
  child: ChildProcess;
}

function startMosquitto(port: number): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
  writeFileSync(
    join(dir, 'm.conf'),
    `listener ${port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 0\n`,
  );
  const c = spawn(args.mosquitto as string, ['-c', join(dir, 'm.conf')], { stdio: 'ignore' });
  children.push(c);
  return c;
}

async function startWorker(group: string, t: string): Promise<Worker> {
  const port = await freePort();
  const child = spawn(process.execPath, [seawayBin, 'connect'], {
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: brokers,
      GROUP_ID: group,
      CONNECT_PORT: String(port),
      ADV_HOST: '127.0.0.1',
      CONNECT_CONFIG_TOPIC: `cb-configs-${t}`,
      CONNECT_STATUS_TOPIC: `cb-status-${t}`,
      CONNECT_OFFSET_TOPIC: `cb-offsets-${t}`,
      CONNECT_REPLICATION_FACTOR: String(RF),
      SESSION_TIMEOUT_MS: '6000',
      HEARTBEAT_INTERVAL_MS: '1000',
    },
    stdio: 'ignore',
  });
  children.push(child);
  await until(async () => (await get(port, '/')) !== undefined, 60_000, `worker on ${port} did not answer`);
  return { port, id: `127.0.0.1:${port}`, child };
}

interface Status {
  tasks: Array<{ id: number; state: string; worker_id: string }>;
}

/** Every live worker says: n tasks RUNNING, on exactly these workers. */
async function spread(workers: Worker[], name: string, n: number): Promise<void> {
  const ids = new Set(workers.map((w) => w.id));
  await until(
    async () => {
      for (const w of workers) {
        const s = (await get(w.port, `/connectors/${name}/status`)) as Status | undefined;
        if (!s || s.tasks.length !== n || s.tasks.some((x) => x.state !== 'RUNNING' || !ids.has(x.worker_id)))
          return false;
        if (new Set(s.tasks.map((x) => x.worker_id)).size !== Math.min(n, ids.size)) return false;
      }
      return true;
    },
    120_000,
    `tasks of ${name} not spread over ${[...ids].join(', ')}`,
  );
}

async function createConnector(w: Worker, name: string, topic: string, mqttPort: number, tasks: number) {
  const body = {
    name,
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.clean': 'false',
      'connect.mqtt.client.id': name,
      'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`$share/${name}/${name}/#\``,
      'tasks.max': String(tasks),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    },
  };
  await until(
    async () => {
      const r = await fetch(`http://127.0.0.1:${w.port}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).catch(() => null);
      return r?.status === 201;
    },
    60_000,
    `POST ${name}`,
  );
}

const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();

async function endOffsets(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** QoS 1 publishers; acked holds every PUBACKed id; stop() ends them. */
function publishers(mqttPort: number, prefix: string, limit: number | null) {
  const acked = new Set<string>();
  let running = true;
  let sent = 0;
  const loops = Array.from({ length: PUBLISHERS }, async (_, p) => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `${prefix}-p${p}` });
    let seq = 0;
    while (running && (limit === null || sent < limit)) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < INFLIGHT && (limit === null || sent < limit); i++, sent++) {
        const id = `${p}-${seq++}`;
        batch.push(c.publishAsync(`${prefix}/${p}`, `id=${id}`, { qos: 1 }).then(() => void acked.add(id)));
      }
      await Promise.all(batch);
      // the stream through the kills is paced: one message per publisher every PUBLISHERS/rate s
      if (limit === null) await sleep((PUBLISHERS * INFLIGHT * 1000) / Number(args.rate));
    }
    await c.endAsync();
  });
  return {
    acked,
    done: Promise.all(loops),
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function throughput(n: number, mqttPort: number) {
  const t = `${n}w${Date.now().toString(36)}`;
  const name = `cb${t}`;
  const topic = `cb-out-${t}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: RF }], waitForLeaders: true });
  const ws: Worker[] = [];
  for (let i = 0; i < n; i++) ws.push(await startWorker(`cb-${t}`, t));
  await createConnector(ws[0] as Worker, name, topic, mqttPort, n);
  await spread(ws, name, n);
  // warm-up, not counted
  const warm = publishers(mqttPort, name, 1000);
  await warm.done;
  await until(async () => (await endOffsets(topic)) >= 1000, 60_000, 'warm-up not in Kafka');
  const base = await endOffsets(topic);
  const cpu0 = ws.map((w) => readCpuTicks(w.child.pid as number) ?? 0);
  const t0 = performance.now();
  const pub = publishers(mqttPort, name, MESSAGES);
  await pub.done;
  await until(async () => (await endOffsets(topic)) - base >= MESSAGES, 300_000, 'records not in Kafka');
  const secs = (performance.now() - t0) / 1000;
  const cpu = ws.map((w, i) => ((readCpuTicks(w.child.pid as number) ?? 0) - (cpu0[i] as number)) / HZ);
  const total = cpu.reduce((a, b) => a + b, 0);
  for (const w of ws) w.child.kill('SIGKILL');
  return {
    workers: n,
    msgPerSec: Math.round(MESSAGES / secs),
    cpuUsPerMsg: Math.round((total * 1e6) / MESSAGES),
    perWorkerCpuPct: cpu.map((c) => Math.round((c / secs) * 100)),
  };
}

async function rebalances(mqttPort: number) {
  const t = `rb${Date.now().toString(36)}`;
  const name = `cb${t}`;
  const topic = `cb-out-${t}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: RF }], waitForLeaders: true });
  const ws: Worker[] = [await startWorker(`cb-${t}`, t), await startWorker(`cb-${t}`, t)];
  await createConnector(ws[0] as Worker, name, topic, mqttPort, 3);
  await spread(ws, name, 3);
  const pub = publishers(mqttPort, name, null);
  const joins: number[] = [];
  const kills: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    // join: a new worker answers REST → tasks on all three
    const w = await startWorker(`cb-${t}`, t);
    const j0 = performance.now();
    ws.push(w);
    await spread(ws, name, 3);
    joins.push(performance.now() - j0);
    await sleep(1000);
    // kill -9 the worker of task 0 → its task RUNNING on the two others
    const s = (await get(ws[ws.length - 1]?.port as number, `/connectors/${name}/status`)) as Status;
    const victim = ws.find((x) => x.id === s.tasks.find((y) => y.id === 0)?.worker_id) as Worker;
    const k0 = performance.now();
    victim.child.kill('SIGKILL');
    ws.splice(ws.indexOf(victim), 1);
    await spread(ws, name, 3);
    kills.push(performance.now() - k0);
    process.stderr.write(
      `kill ${k + 1}/${KILLS}: join ${Math.round(joins.at(-1) as number)} ms, kill ${Math.round(kills.at(-1) as number)} ms, ${pub.acked.size} acked\n`,
    );
  }
  await pub.stop();
  const acked = [...pub.acked];
  // every PUBACKed id, looked up in Kafka by a kafkajs consumer reading to the end offsets
  const seen = new Set<string>();
  await until(async () => (await endOffsets(topic)) >= acked.length, 60_000, 'not all acked in Kafka').catch(() => {});
  const consumer = kafka.consumer({ groupId: `cb-read-${t}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const next = new Map<number, number>();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.add(String(message.value).slice(3));
      next.set(partition, Number(message.offset) + 1);
    },
  });
  const final = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  await until(() => [...final].every(([p, h]) => (next.get(p) ?? 0) >= h), 120_000, 'kafkajs did not read to the end');
  await consumer.disconnect();
  for (const w of ws) w.child.kill('SIGKILL');
  const lost = acked.filter((id) => !seen.has(id)).length;
  const median = (a: number[]) => Math.round([...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0);
  return {
    kills: KILLS,
    acked: acked.length,
    lost,
    duplicates: [...final.values()].reduce((a, b) => a + b, 0) - seen.size,
    joinMs: { median: median(joins), max: Math.round(Math.max(...joins)) },
    killMs: { median: median(kills), max: Math.round(Math.max(...kills)) },
  };
}

await admin.connect();
const mqttPort = await freePort();
startMosquitto(mqttPort);
await until(
  async () =>
    mqtt
      .connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0 })
      .then(async (c) => {
        await c.endAsync();
        return true;
      })
      .catch(() => false),
  10_000,
  'mosquitto did not start',
);
const scale = [];
for (const n of args.only === 'rebalance' ? [] : [1, 2, 3]) {
  const r = await throughput(n, mqttPort);
  process.stderr.write(`${JSON.stringify(r)}\n`);
  scale.push(r);
}
const rb = await rebalances(mqttPort);
process.stdout.write(
  `${JSON.stringify({ brokers, messages: MESSAGES, publishers: PUBLISHERS, inflight: INFLIGHT, scale, rebalance: rb }, null, 2)}\n`,
);
await admin.disconnect();
process.exit(0);
