// A load client built on mqtt.js (not our code): W connections, each publishing its share of N
// unique payloads of S bytes at QoS Q with at most I unacknowledged. Speaks the harness's load
// contract (load/README.md): "connected N workers" on stderr once every connection is up, then one
// JSON summary line on stdout. Used by `pnpm bench -- --load mqttjs` beside the AIS generator.
import mqtt from 'mqtt';

interface Args {
  server: string;
  topic: string;
  messages: number;
  workers: number;
  inflight: number;
  qos: 0 | 1 | 2;
  size: number;
  protocol: 4 | 5;
}

function parse(argv: string[]): Args {
  const a: Args = {
    server: '127.0.0.1:1883',
    topic: '/bench',
    messages: 100_000,
    workers: 64,
    inflight: 1,
    qos: 1,
    size: 100,
    protocol: 4,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]?.replace(/^--?/, '');
    const v = argv[++i];
    if (v === undefined) throw new Error(`--${flag} needs a value`);
    switch (flag) {
      case 'server':
        a.server = v;
        break;
      case 'topic':
        a.topic = v;
        break;
      case 'messages':
      case 'workers':
      case 'inflight':
      case 'size':
        a[flag] = Number(v);
        break;
      case 'qos':
        a.qos = Number(v) as 0 | 1 | 2;
        break;
      case 'protocol':
        a.protocol = Number(v) === 5 ? 5 : 4;
        break;
      default:
        throw new Error(`unknown flag --${flag}`);
    }
  }
  return a;
}

/** `worker:seq:` padded with 'x' to `size` bytes: unique per message so the verifier can count. */
function payload(worker: number, seq: number, size: number): Buffer {
  const head = `${worker}:${seq}:`;
  const b = Buffer.alloc(Math.max(size, head.length), 0x78);
  b.write(head, 0, 'latin1');
  return b;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

const args = parse(process.argv.slice(2));
const [host, port] = args.server.split(':');
const latencies = new Float64Array(args.messages);
let acked = 0;
let sent = 0;
let errors = 0;
let bytes = 0;
let lastError: string | null = null;

const clients = await Promise.all(
  Array.from(
    { length: args.workers },
    (_, w) =>
      new Promise<mqtt.MqttClient>((resolve, reject) => {
        const c = mqtt.connect({
          host,
          port: Number(port),
          protocolVersion: args.protocol,
          clientId: `mqttjs-load-${process.pid}-${w}`,
          clean: true,
          reconnectPeriod: 0,
          keepalive: 60,
        });
        c.once('connect', () => resolve(c));
        c.once('error', reject);
      }),
  ),
);
process.stderr.write(`connected ${clients.length} workers\n`);

const start = process.hrtime.bigint();
await Promise.all(
  clients.map(
    (c, w) =>
      new Promise<void>((resolve) => {
        const share = Math.floor(args.messages / args.workers) + (w < args.messages % args.workers ? 1 : 0);
        let next = 0;
        let outstanding = 0;
        const pump = () => {
          while (outstanding < args.inflight && next < share) {
            const seq = next++;
            const body = payload(w, seq, args.size);
            const t0 = process.hrtime.bigint();
            outstanding++;
            sent++;
            c.publish(args.topic, body, { qos: args.qos }, (err) => {
              outstanding--;
              if (err) {
                errors++;
                lastError = err.message;
              } else {
                latencies[acked++] = Number(process.hrtime.bigint() - t0) / 1e6;
                bytes += body.length;
              }
              if (next >= share && outstanding === 0) resolve();
              else pump();
            });
          }
          if (share === 0) resolve();
        };
        pump();
      }),
  ),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await Promise.all(clients.map((c) => c.endAsync()));

const sorted = latencies.subarray(0, acked).sort();
const round = (x: number) => Math.round(x * 1000) / 1000;
console.log(
  JSON.stringify({
    client: `mqtt.js ${args.protocol === 5 ? 'v5' : 'v3.1.1'}`,
    messages: acked,
    sent,
    errors,
    malformed: 0,
    bytes,
    seconds: round(seconds),
    msgPerSec: Math.round(acked / Math.max(seconds, 1e-9)),
    latencyMs: acked
      ? {
          p50: round(percentile(sorted, 0.5)),
          p99: round(percentile(sorted, 0.99)),
          max: round(sorted[acked - 1] ?? 0),
        }
      : null,
    server: args.server,
    topic: args.topic,
    format: `bytes${args.size}`,
    qos: args.qos,
    workers: args.workers,
    inflight: args.inflight,
    procs: 1,
    source: 'unique padded payloads',
    looped: false,
    prepareSeconds: 0,
    lastError,
  }),
);
