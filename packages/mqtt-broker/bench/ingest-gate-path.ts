// The lab's ingest path, measured for the broker alone: the broker runs in this process with one
// ingest-gate handler for `/ais/#` that collects done() callbacks and calls them all from one
// setImmediate (as the bridge does after a Kafka batch), and a child process runs N raw-socket
// QoS 1 stop-and-wait publishers (pre-encoded PUBLISH with packet ids, publish the next on PUBACK).
// No subscribers. Reports acked msg/s and this process's CPU (user + system) per message, which
// is the figure to trust on a shared machine: throughput also moves with whatever else runs.
//
//   node --import tsx packages/mqtt-broker/bench/ingest-gate-path.ts [--messages 200000] [--runs 3]
//        [--publishers 64] [--payload 100] [--warmup 20000] [--topic-per-publisher]
//        [--no-gate] [--ack-now] [--cpu-prof FILE.cpuprofile] [--variant 'label={"fastPublish":false}' ...]
//        [--mosquitto]
// --ack-now calls done() inside the handler instead of batching; --ack-timer batches with
// setTimeout(0) instead of setImmediate (done() then runs before the turn's check phase, as it
// does when a Kafka response arrives); --cpu-prof profiles the last
// measured run of each variant (node:inspector), summarise with bench/cpuprofile-top.ts.
// --mosquitto adds `mosquitto -p <port>` as a reference target (its CPU read from /proc).
// --variant starts one broker per given config (merged into the defaults) and alternates runs
// between them, so variants are compared under the same machine load; "$src" in a variant's JSON
// loads another copy of src/index.ts, e.g. `git archive HEAD~3 src | tar -x -C /tmp/old` placed
// inside the package (so imports resolve): '--variant before={"$src":"packages/mqtt-broker/.old/src/index.ts"}'.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { frame, str } from './raw-packets.ts';

const { values: args } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    messages: { type: 'string', default: '200000' },
    warmup: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    publishers: { type: 'string', default: '64' },
    payload: { type: 'string', default: '100' },
    'topic-per-publisher': { type: 'boolean', default: false },
    'no-gate': { type: 'boolean', default: false },
    'ack-now': { type: 'boolean', default: false },
    'ack-timer': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    variant: { type: 'string', multiple: true },
    mosquitto: { type: 'boolean', default: false },
  },
});

type ToChild = { go: number };
type FromChild = { ready: true } | { done: number };

// ---------------------------------------------------------------- publishers (child process)

/** One stop-and-wait QoS 1 publisher: PUBLISH, wait for its PUBACK (checked id), PUBLISH the next. */
class Publisher {
  readonly #sock: Socket;
  readonly #tmpl: Buffer;
  readonly #idOff: number;
  #id = 0;
  #left = 0;
  #pending: Buffer | null = null;
  onIdle: () => void = () => {};
  onConnack: () => void = () => {};

  constructor(port: number, clientId: string, topic: string, payload: Buffer) {
    this.#tmpl = frame(0x32, Buffer.concat([str(topic), Buffer.from([0, 0]), payload]));
    this.#idOff = this.#tmpl.length - payload.length - 2;
    this.#sock = connect(port, '127.0.0.1');
    this.#sock.setNoDelay(true);
    this.#sock.on('connect', () => {
      this.#sock.write(frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 60]), str(clientId)])));
    });
    this.#sock.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#sock.on('error', (err) => {
      process.stderr.write(`publisher ${clientId}: ${err.message}\n`);
      process.exit(1);
    });
  }

  start(n: number): void {
    this.#left = n;
    this.#send();
  }

  #send(): void {
    if (this.#left === 0) {
      this.onIdle();
      return;
    }
    this.#left--;
    this.#id = this.#id === 65535 ? 1 : this.#id + 1;
    const b = Buffer.from(this.#tmpl); // a fresh buffer: the socket may still hold the last one
    b.writeUInt16BE(this.#id, this.#idOff);
    this.#sock.write(b);
  }

  #read(chunk: Buffer): void {
    const b = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    let i = 0;
    while (i + 2 <= b.length) {
      const len = b[i + 1] as number; // CONNACK and PUBACK have 1-byte lengths
      if (i + 2 + len > b.length) break;
      const type = (b[i] as number) >> 4;
      if (type === 2) this.onConnack();
      else if (type === 4) {
        const id = b.readUInt16BE(i + 2);
        if (id !== this.#id) throw new Error(`PUBACK for ${id}, expected ${this.#id}`);
        this.#send();
      } else throw new Error(`unexpected packet type ${type}`);
      i += 2 + len;
    }
    this.#pending = i < b.length ? Buffer.from(b.subarray(i)) : null;
  }

  close(): void {
    this.#sock.destroy();
  }
}

async function runChild(): Promise<void> {
  const n = Number(args.publishers);
  const payload = Buffer.alloc(Number(args.payload), 0x61);
  const pubs: Publisher[] = [];
  let connacks = 0;
  for (let p = 0; p < n; p++) {
    const topic = args['topic-per-publisher'] ? `/ais/${p}` : '/ais';
    const pub = new Publisher(Number(args.port), `bench-${process.pid}-${p}`, topic, payload);
    pub.onConnack = () => {
      if (++connacks === n) process.send?.({ ready: true } satisfies FromChild);
    };
    pubs.push(pub);
  }
  process.on('message', (m: ToChild) => {
    let idle = 0;
    const per = Math.ceil(m.go / n);
    for (const pub of pubs) {
      pub.onIdle = () => {
        if (++idle < n) return;
        process.send?.({ done: per * n } satisfies FromChild, () => {
          for (const q of pubs) q.close();
          process.disconnect();
        });
      };
      pub.start(per);
    }
  });
}

// ---------------------------------------------------------------- mosquitto (reference)

/** Mosquitto on a free port; its CPU from /proc/<pid>/stat (utime, stime in clock ticks of 10 ms). */
async function startMosquitto() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const proc = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (i === 50) throw new Error('mosquitto did not start (is it installed?)');
    await new Promise((r) => setTimeout(r, 100));
  }
  const tick = 1e6 / 100;
  return {
    label: 'mosquitto',
    port,
    cpu() {
      const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return { user: Number(f[11]) * tick, system: Number(f[12]) * tick };
    },
    messagesIn: () => null,
    async close() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

// ---------------------------------------------------------------- broker (this process)

async function runParent(): Promise<void> {
  const { startMqttBroker } = await import('../src/index.ts');
  type Start = typeof startMqttBroker;
  // --variant 'label={"fastPublish":false}' (repeatable): brokers with different settings, run in turn
  const variants = (args.variant ?? ['default={}']).map((v) => {
    const eq = v.indexOf('=');
    const config = (eq < 0 ? {} : JSON.parse(v.slice(eq + 1))) as { $src?: string };
    return { label: eq < 0 ? v : v.slice(0, eq), config };
  });
  interface Target {
    label: string;
    port: number;
    /** CPU time of the process serving the target, µs. */
    cpu(): { user: number; system: number };
    /** Messages it counted in, or null when it cannot say. */
    messagesIn(): number | null;
    close(): Promise<void>;
  }
  const targets: Target[] = [];
  if (args.mosquitto) targets.push(await startMosquitto());
  for (const v of variants) {
    // "$src": another copy of src/index.ts to load (e.g. the previous commit's, to compare)
    const { $src, ...config } = v.config;
    const start = $src
      ? ((await import(resolve($src))) as { startMqttBroker: Start }).startMqttBroker
      : startMqttBroker;
    const broker = await start({ port: 0, host: '127.0.0.1', limits: { maxConnections: 10_000 }, ...config });
    targets.push({
      label: v.label,
      port: broker.port as number,
      cpu: () => process.cpuUsage(),
      messagesIn: () => broker.stats().messagesIn,
      close: () => broker.close(),
    });
    if (args['no-gate']) continue;
    if (args['ack-now']) broker.ingest.attach('/ais/#', (_m, done) => done());
    else {
      // the bridge's shape: acknowledge everything gathered in a turn at once
      let batch: ((err?: Error) => void)[] = [];
      const flush = () => {
        const b = batch;
        batch = [];
        for (let i = 0; i < b.length; i++) (b[i] as () => void)();
      };
      broker.ingest.attach('/ais/#', (_m, done) => {
        if (batch.length === 0) {
          if (args['ack-timer']) setTimeout(flush, 0);
          else setImmediate(flush);
        }
        batch.push(done);
      });
    }
  }
  const session = args['cpu-prof'] ? new Session() : null;
  session?.connect();

  type Result = { rate: number; usPerMsg: number; userUs: number; sysUs: number };
  async function once_(target: Target, messages: number, profile: string | null): Promise<Result> {
    const child = fork(
      import.meta.filename,
      [
        '--child',
        '--port',
        String(target.port),
        '--publishers',
        args.publishers,
        '--payload',
        args.payload,
        ...(args['topic-per-publisher'] ? ['--topic-per-publisher'] : []),
      ],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const [ready] = (await once(child, 'message')) as [FromChild];
    if (!('ready' in ready)) throw new Error('child did not connect');
    if (profile && session) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    const before = target.messagesIn();
    const cpu0 = target.cpu();
    const t0 = process.hrtime.bigint();
    child.send({ go: messages } satisfies ToChild);
    const [done] = (await once(child, 'message')) as [FromChild];
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu1 = target.cpu();
    const cpu = { user: cpu1.user - cpu0.user, system: cpu1.system - cpu0.system };
    if (profile && session) {
      const { profile: p } = await session.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(p));
    }
    if (!('done' in done)) throw new Error('child did not finish');
    const after = target.messagesIn();
    if (before !== null && after !== null && after - before !== done.done) {
      throw new Error(`broker counted ${after - before} messages, publishers were acked ${done.done}`);
    }
    await once(child, 'exit');
    return {
      rate: done.done / seconds,
      usPerMsg: (cpu.user + cpu.system) / done.done,
      userUs: cpu.user / done.done,
      sysUs: cpu.system / done.done,
    };
  }

  for (const t of targets) if (Number(args.warmup) > 0) await once_(t, Number(args.warmup), null);
  const results = new Map<string, Result[]>();
  const runs = Number(args.runs);
  for (let r = 0; r < runs; r++) {
    for (const t of targets) {
      const label = t.label;
      // with --cpu-prof only the last run of each variant is profiled
      const prof =
        args['cpu-prof'] && r === runs - 1
          ? args['cpu-prof'].replace(/(\.cpuprofile)?$/, `-${label}.cpuprofile`)
          : null;
      const res = await once_(t, Number(args.messages), prof);
      results.set(label, [...(results.get(label) ?? []), res]);
      process.stdout.write(
        `run ${r + 1} ${label}: ${Math.round(res.rate)} msg/s, ${res.usPerMsg.toFixed(2)} broker CPU µs/msg ` +
          `(user ${res.userUs.toFixed(2)}, system ${res.sysUs.toFixed(2)})\n`,
      );
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  process.stdout.write(
    `medians of ${runs} (${args.publishers} publishers, ${args.payload} B, ${args.messages} messages, ` +
      `${args['no-gate'] ? 'no gate' : args['ack-now'] ? 'gate acks at once' : args['ack-timer'] ? 'gate acks per timer' : 'gate acks per turn'}):\n`,
  );
  for (const [label, rs] of results) {
    process.stdout.write(
      `  ${label}: ${Math.round(med(rs.map((r) => r.rate)))} msg/s, ${med(rs.map((r) => r.usPerMsg)).toFixed(2)} µs/msg ` +
        `(user ${med(rs.map((r) => r.userUs)).toFixed(2)}, system ${med(rs.map((r) => r.sysUs)).toFixed(2)})\n`,
    );
  }
  session?.disconnect();
  for (const t of targets) await t.close();
}

if (args.child) await runChild();
else await runParent();
