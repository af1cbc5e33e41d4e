// QoS 1 ingest benchmark: N publishers on raw sockets writing pre-encoded PUBLISH packets with a
// window of W unacknowledged messages each, one QoS 1 subscriber (raw socket, acks every message),
// against the Seaway broker (own process; with and without an ingest-gate handler) and Mosquitto.
//
//   node --import tsx bench/qos1-ingest.ts [--seconds 5] [--publishers 64] [--payload 100] [--reps 1]
//        [--targets seaway,seaway-gate,seaway-nocoalesce,mosquitto] [--windows 1,16] [--no-sub] [--cpu-prof DIR]
// Targets run interleaved, --reps times each; the summary gives the median of each. On a shared
// machine single runs vary a lot: compare medians from the same invocation only.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { frame, str } from './raw-packets.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    publishers: { type: 'string', default: '64' },
    payload: { type: 'string', default: '100' },
    targets: { type: 'string', default: 'seaway,seaway-gate,mosquitto' },
    reps: { type: 'string', default: '1' },
    windows: { type: 'string', default: '1,16' },
    'no-sub': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const PUBLISHERS = Number(args.publishers);
const PAYLOAD = Buffer.alloc(Number(args.payload), 0x61);

const connectPacket = (id: string) => frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 60]), str(id)]));

/** Calls onPacket(type, flags, body) for each complete MQTT packet in the stream. */
function packetReader(onPacket: (type: number, flags: number, buf: Buffer, start: number, end: number) => void) {
  let pending: Buffer | null = null;
  return (chunk: Buffer) => {
    let b = pending ? Buffer.concat([pending, chunk]) : chunk;
    let i = 0;
    while (i < b.length) {
      let mult = 1;
      let len = 0;
      let j = i + 1;
      let byte = 128;
      while (byte & 128) {
        if (j >= b.length) break;
        byte = b[j++] as number;
        len += (byte & 127) * mult;
        mult *= 128;
      }
      if (byte & 128 || j + len > b.length) break;
      const first = b[i] as number;
      onPacket(first >> 4, first & 15, b, j, j + len);
      i = j + len;
    }
    pending = i < b.length ? b.subarray(i) : null;
    if (pending && pending.length > 0 && i > 0) pending = Buffer.from(pending);
    b = Buffer.alloc(0);
  };
}

async function open(port: number, id: string): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.setNoDelay(true);
  await once(s, 'connect');
  s.write(connectPacket(id));
  return s;
}

interface Result {
  acked: number;
  delivered: number;
  seconds: number;
}

async function load(port: number, window: number, withSub: boolean): Promise<Result> {
  let delivered = 0;
  let sub: Socket | null = null;
  if (withSub) {
    sub = await open(port, 'bench-sub');
    // acks for one incoming chunk leave in one write
    let acks: number[] = [];
    const read = packetReader((type, flags, buf, start) => {
      if (type === 3) {
        delivered++;
        if ((flags >> 1) & 3) {
          const tl = buf.readUInt16BE(start);
          acks.push(buf.readUInt16BE(start + 2 + tl));
        }
      }
    });
    sub.on('data', (chunk: Buffer) => {
      read(chunk);
      if (acks.length === 0) return;
      const out = Buffer.allocUnsafe(acks.length * 4);
      for (let k = 0; k < acks.length; k++) {
        out[k * 4] = 0x40;
        out[k * 4 + 1] = 2;
        out.writeUInt16BE(acks[k] as number, k * 4 + 2);
      }
      acks = [];
      sub?.write(out);
    });
    sub.write(frame(0x82, Buffer.concat([Buffer.from([0, 1]), str('bench/#'), Buffer.from([1])])));
    await new Promise((r) => setTimeout(r, 200));
  }
  let acked = 0;
  let running = true;
  const pubs: Socket[] = [];
  for (let p = 0; p < PUBLISHERS; p++) {
    const s = await open(port, `bench-pub-${p}`);
    pubs.push(s);
    const tmpl = frame(0x32, Buffer.concat([str(`bench/${p % 8}`), Buffer.from([0, 0]), PAYLOAD]));
    const idOff = tmpl.length - PAYLOAD.length - 2;
    let nextId = 1;
    const send = (n: number) => {
      const batch = Buffer.allocUnsafe(tmpl.length * n);
      for (let k = 0; k < n; k++) {
        tmpl.copy(batch, k * tmpl.length);
        batch.writeUInt16BE(nextId, k * tmpl.length + idOff);
        nextId = nextId === 65535 ? 1 : nextId + 1;
      }
      s.write(batch);
    };
    let connected = false;
    let owed = 0;
    const read = packetReader((type) => {
      if (type === 2 && !connected) {
        connected = true;
        owed += window;
      } else if (type === 4) {
        acked++;
        if (running) owed++;
      }
    });
    // one write per incoming chunk: as many new messages as acknowledgements arrived
    s.on('data', (chunk: Buffer) => {
      read(chunk);
      if (owed > 0) {
        send(owed);
        owed = 0;
      }
    });
  }
  // warm-up, then measure
  await new Promise((r) => setTimeout(r, 1000));
  const a0 = acked;
  const d0 = delivered;
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = { acked: acked - a0, delivered: delivered - d0, seconds };
  running = false;
  for (const s of pubs) s.destroy();
  sub?.destroy();
  return res;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startTarget(target: string, label: string): Promise<{ port: number; proc: ChildProcess }> {
  if (target === 'mosquitto') {
    const port = await freePort();
    const proc = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const ok = await new Promise<boolean>((r) => {
        const s = connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (ok) return { port, proc };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('mosquitto did not start');
  }
  // one directory per run: tsx's loader thread writes a profile of its own beside the main one
  const prof = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(args['cpu-prof'], label)] : [];
  const proc = spawn(
    process.execPath,
    [
      ...prof,
      '--import',
      'tsx',
      join(import.meta.dirname, 'broker-process.ts'),
      target === 'seaway-gate' ? 'gate' : 'nogate',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SEAWAY_BENCH_COALESCE: target === 'seaway-nocoalesce' ? '0' : '1' },
    },
  );
  const [line] = (await once(proc.stdout as NodeJS.EventEmitter, 'data')) as [Buffer];
  return { port: Number(line.toString().trim()), proc };
}

const results = new Map<string, { acked: number[]; delivered: number[]; cpu: number[] }>();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (let rep = 0; rep < Number(args.reps); rep++) {
  for (const window of args.windows.split(',').map(Number)) {
    for (const target of args.targets.split(',')) {
      const label = `${target}-w${window}${args['no-sub'] ? '-nosub' : ''}`;
      const { port, proc } = await startTarget(target, label);
      let tail = '';
      const r = await load(port, window, !args['no-sub']);
      proc.stdout?.on('data', (d: Buffer) => {
        tail += d.toString();
      });
      proc.kill('SIGTERM');
      await once(proc, 'exit');
      const cpu = /cpuUsPerMsg=([\d.]+)/.exec(tail)?.[1];
      const dropped = /droppedSlow=(\d+)/.exec(tail)?.[1];
      const rate = Math.round(r.acked / r.seconds);
      const out = Math.round(r.delivered / r.seconds);
      const e = results.get(label) ?? { acked: [], delivered: [], cpu: [] };
      e.acked.push(rate);
      e.delivered.push(out);
      if (cpu !== undefined) e.cpu.push(Number(cpu));
      results.set(label, e);
      const extra = cpu === undefined ? '' : ` broker-cpu-us/msg=${cpu} dropped-to-slow-sub=${dropped}`;
      process.stdout.write(`run ${rep + 1}: ${label.padEnd(26)} acked/s=${rate} delivered/s=${out}${extra}\n`);
    }
  }
}
process.stdout.write(
  `\nmedians (${args.reps} runs, ${PUBLISHERS} publishers, ${PAYLOAD.length} B payload, ${SECONDS} s each):\n`,
);
for (const [label, e] of results) {
  process.stdout.write(
    `${label.padEnd(26)} acked/s=${median(e.acked)} delivered/s=${median(e.delivered)}` +
      (e.cpu.length > 0 ? ` broker-cpu-us/msg=${median(e.cpu)}` : '') +
      `  (acked runs: ${e.acked.join(' ')})\n`,
  );
}
