// The fuzz tool (a benchmark-style run, not a CI test): starts a lab on free ports with a fresh
// DATA_DIR, then per port (Kafka, MQTT TCP, MQTT WebSocket, HTTP 3030/8081/8083) sends random and
// mutated frames over short-lived connections, headers declaring huge lengths, slowloris connections
// trickling bytes and a crowd of idle connections. After each batch a normal client must work on
// every port; the lab's RSS is reported. It exits 1 if the lab died or a probe failed.
//
//   node --import tsx packages/bench/src/fuzz/main.ts [--frames 20000] [--conns 20] [--slow 500]
//        [--idle 2000] [--seed 1] [--hold-ms 10000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../ports.ts';
import { httpSeeds, hugeDeclared, kafkaSeeds, mqttSeeds, mutate, Rng } from './frames.ts';
import { type Ports, probeAll, tcp, wsFrame, wsMqtt } from './wire.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FRAMES = opt('frames', 20_000);
const CONNS = opt('conns', 20);
const SLOW = opt('slow', 500);
const IDLE = opt('idle', 2000);
const HOLD_MS = opt('hold-ms', 10_000);
const rng = new Rng(opt('seed', 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const seawayBin = join(dirname(fileURLToPath(import.meta.url)), '../../../lab/bin/seaway.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'seaway-fuzz-'));
const ports: Ports = {
  kafka: await freePort(),
  mqtt: await freePort(),
  web: await freePort(),
  registry: await freePort(),
  connect: await freePort(),
};
// --expose-gc: /metrics?gc=1 collects first, so retained memory can be told from garbage
const lab = spawn(process.execPath, ['--expose-gc', seawayBin, 'start'], {
  env: {
    PATH: process.env.PATH,
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(ports.web),
    MQTT_PORT: String(ports.mqtt),
    BROKER_PORT: String(ports.kafka),
    REGISTRY_PORT: String(ports.registry),
    CONNECT_PORT: String(ports.connect),
    DATA_DIR: dataDir,
    // every connection comes from 127.0.0.1: the per-address limits would refuse the crowd and then
    // the probes (and the lab's own health client on the Kafka port) along with it
    MQTT_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    KAFKA_MAX_CONNECTIONS_PER_ADDRESS: '100000',
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: '100000',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let labLog = '';
lab.stderr?.on('data', (d) => {
  labLog = (labLog + d).slice(-20_000);
});
const cleanup = () => {
  lab.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', cleanup);

const rssMb = () => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${lab.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : -1;
  } catch {
    return -1;
  }
};

for (let i = 0; ; i++) {
  if (lab.exitCode !== null) throw new Error(`the lab exited:\n${labLog}`);
  try {
    const r = await fetch(`http://127.0.0.1:${ports.web}/api/health`);
    if (r.status === 200) break;
  } catch {}
  if (i > 300) throw new Error(`the lab did not get healthy:\n${labLog}`);
  await sleep(200);
}

type Target = { name: string; open: () => Promise<Socket>; wrap: (b: Buffer) => Buffer; seeds: Buffer[] };
const targets: Target[] = [
  { name: 'kafka', open: () => tcp(ports.kafka), wrap: (b) => b, seeds: kafkaSeeds() },
  { name: 'mqtt', open: () => tcp(ports.mqtt), wrap: (b) => b, seeds: mqttSeeds('fuzz') },
  { name: 'mqtt-ws', open: () => wsMqtt(ports.web), wrap: (b) => wsFrame(b), seeds: mqttSeeds('fuzz-ws') },
  { name: 'http-3030', open: () => tcp(ports.web), wrap: (b) => b, seeds: httpSeeds('127.0.0.1') },
  { name: 'http-8081', open: () => tcp(ports.registry), wrap: (b) => b, seeds: httpSeeds('127.0.0.1') },
  { name: 'http-8083', open: () => tcp(ports.connect), wrap: (b) => b, seeds: httpSeeds('127.0.0.1') },
];

interface Row {
  batch: string;
  sent: number;
  closedByServer: number;
  seconds: number;
  rssMb: number;
  /** V8 heap in use, external memory and array buffers (MB), from the lab's /metrics. */
  heapMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  probes: string;
}

/** The lab's process memory gauges in MB (after a full GC with gc=true). */
async function labMemory(
  gc = false,
): Promise<{ heapMb: number; externalMb: number; arrayBuffersMb: number; rssMb: number }> {
  const mb = (text: string, name: string) => {
    const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
    return m ? Math.round(Number(m[1]) / 1024 / 102.4) / 10 : -1;
  };
  try {
    const text = await (await fetch(`http://127.0.0.1:${ports.web}/metrics${gc ? '?gc=1' : ''}`)).text();
    return {
      heapMb: mb(text, 'seaway_process_heap_used_bytes'),
      externalMb: mb(text, 'seaway_process_external_bytes'),
      arrayBuffersMb: mb(text, 'seaway_process_array_buffers_bytes'),
      rssMb: rssMb(),
    };
  } catch {
    return { heapMb: -1, externalMb: -1, arrayBuffersMb: -1, rssMb: rssMb() };
  }
}
const rows: Row[] = [];
let failed = false;

async function report(batch: string, sent: number, closed: number, t0: number, gc = false) {
  const failures = await probeAll(ports);
  if (failures.length > 0 || lab.exitCode !== null) failed = true;
  const mem = await labMemory(gc);
  const row = {
    batch,
    sent,
    closedByServer: closed,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    ...mem,
    probes: lab.exitCode !== null ? `LAB EXITED ${lab.exitCode}` : failures.length ? failures.join('; ') : 'all 6 ok',
  };
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

/** `frames` mutated frames over `conns` parallel connections, reconnecting whenever one is closed. */
async function frameBatch(t: Target): Promise<void> {
  const t0 = Date.now();
  let sent = 0;
  let closed = 0;
  const worker = async () => {
    while (sent < FRAMES) {
      let s: Socket;
      try {
        s = await t.open();
      } catch {
        closed++;
        await sleep(5);
        continue;
      }
      s.on('error', () => {});
      s.resume();
      let alive = true;
      let mine = false;
      s.once('close', () => {
        alive = false;
        if (!mine) closed++;
      });
      // a few frames per connection, then the next connection
      for (let k = 0; k < 20 && alive && sent < FRAMES; k++) {
        s.write(t.wrap(mutate(rng, t.seeds)));
        sent++;
        if (k % 5 === 4) await sleep(0);
      }
      await sleep(2);
      mine = true;
      s.destroy();
    }
  };
  await Promise.all(Array.from({ length: CONNS }, worker));
  await report(`${t.name}: ${FRAMES} random/mutated frames`, sent, closed, t0);
}

/** Connections that each declare a huge body and then send nothing more. */
async function hugeBatch(): Promise<void> {
  const t0 = Date.now();
  const socks: Socket[] = [];
  let closed = 0;
  const kinds: [Target, 'kafka' | 'mqtt' | 'http'][] = [
    [targets[0] as Target, 'kafka'],
    [targets[1] as Target, 'mqtt'],
    [targets[2] as Target, 'mqtt'],
    [targets[3] as Target, 'http'],
    [targets[4] as Target, 'http'],
    [targets[5] as Target, 'http'],
  ];
  for (const [t, kind] of kinds) {
    for (let i = 0; i < 50; i++) {
      const s = await t.open().catch(() => null);
      if (!s) continue;
      s.on('error', () => {});
      s.once('close', () => closed++);
      s.write(t.wrap(hugeDeclared(kind, '127.0.0.1')));
      socks.push(s);
    }
  }
  await sleep(2000);
  await report('huge declared lengths (50 per port)', socks.length, closed, t0);
  for (const s of socks) s.destroy();
}

/** Slowloris: connections trickling one byte every 500 ms for HOLD_MS. */
async function slowBatch(): Promise<void> {
  const t0 = Date.now();
  const socks: { s: Socket; t: Target; seed: Buffer; at: number }[] = [];
  let closed = 0;
  for (let i = 0; i < SLOW; i++) {
    const t = targets[i % targets.length] as Target;
    const s = await t.open().catch(() => null);
    if (!s) continue;
    s.on('error', () => {});
    s.once('close', () => closed++);
    socks.push({ s, t, seed: t.wrap(t.seeds[0] as Buffer), at: 0 });
  }
  const timer = setInterval(() => {
    for (const x of socks) {
      if (x.at < x.seed.length - 1 && !x.s.destroyed) x.s.write(x.seed.subarray(x.at, ++x.at));
    }
  }, 500);
  await sleep(HOLD_MS);
  clearInterval(timer);
  await report(`slowloris: ${SLOW} trickling connections for ${HOLD_MS} ms`, socks.length, closed, t0);
  for (const x of socks) x.s.destroy();
}

/** Idle connections held open for HOLD_MS. */
async function idleBatch(): Promise<void> {
  const t0 = Date.now();
  const socks: Socket[] = [];
  let closed = 0;
  for (let i = 0; i < IDLE; i++) {
    const port = [ports.kafka, ports.mqtt, ports.web, ports.registry, ports.connect][i % 5] as number;
    const s = await tcp(port).catch(() => null);
    if (!s) continue;
    s.on('error', () => {});
    s.once('close', () => closed++);
    socks.push(s);
  }
  await sleep(HOLD_MS);
  await report(`${IDLE} idle connections for ${HOLD_MS} ms`, socks.length, closed, t0);
  for (const s of socks) s.destroy();
}

await report('baseline (healthy lab)', 0, 0, Date.now());
for (const t of targets) await frameBatch(t);
await hugeBatch();
await slowBatch();
await idleBatch();
await sleep(2000);
await report('after everything closed', 0, 0, Date.now());
await report('after everything closed, full GC', 0, 0, Date.now(), true);
await sleep(30_000);
await report('30 s later, full GC', 0, 0, Date.now(), true);

process.stdout.write(
  '\n| batch | sent | closed by server | s | lab RSS MB | heap used MB | external MB | array buffers MB | normal clients |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n',
);
for (const r of rows)
  process.stdout.write(
    `| ${r.batch} | ${r.sent} | ${r.closedByServer} | ${r.seconds} | ${r.rssMb} | ${r.heapMb} | ${r.externalMb} | ${r.arrayBuffersMb} | ${r.probes} |\n`,
  );
if (failed) process.stderr.write(`\nFAILED: a probe failed or the lab exited. Lab log tail:\n${labLog.slice(-3000)}\n`);
process.exit(failed ? 1 : 0);
