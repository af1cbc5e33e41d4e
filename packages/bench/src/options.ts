// Command-line options of `pnpm bench`: defaults for the standard run, --smoke and --full presets,
// and the sweep selection. Bad flags fail with SEAWAY_BENCH_CONFIG naming the flag.
import { BenchError } from './errors.ts';
import { LOAD_CLIENTS, type LoadClient } from './load-clients.ts';

export const SWEEPS = ['workers', 'inflight', 'partitions', 'tasks', 'replication', 'payload', 'converter'] as const;
export type SweepName = (typeof SWEEPS)[number];

export interface BenchOptions {
  smoke: boolean;
  full: boolean;
  messages: number;
  workers: number;
  inflight: number;
  repeat: number;
  /** Which Kafkas the seed scenario and the direct peer run on. */
  kafka: ('lab' | 'embedded' | 'apache')[];
  peers: boolean;
  /** Load clients for the seed scenario and the Mosquitto peer, each run in turn. */
  load: LoadClient[];
  /** Also run Apache Kafka's Java kafka-producer-perf-test as a direct peer (needs Java). */
  java: boolean;
  sweeps: SweepName[];
  sweepMessages: number;
  workerCounts: number[];
  inflightCounts: number[];
  profile: boolean;
  /** Messages in an unrecorded warm-up run after each lab start (0 = none). */
  warmup: number;
  out?: string;
  /** Compare against this results.json or baseline.json instead of the newest earlier run. */
  baseline?: string;
  /** Write this run's seed figures to baseline.json (committed reference). */
  record: boolean;
  help: boolean;
}

export const USAGE = `pnpm bench [-- flags]

Runs the seed experiment (generator -> Seaway MQTT -> bridge -> Kafka) with peers in the same run
(Mosquitto only, direct to Kafka, embedded vs Apache Kafka), sweeps and footprint, and writes
results.json, report.md and SVG charts to packages/bench/results/<timestamp>/.

  --smoke                tiny counts, embedded Kafka only, no sweeps (a minute at most)
  --full                 every sweep, 3 repeats, both Kafkas, CPU profile
  --messages N           messages in the seed scenario and peers (default 100000)
  --workers N            generator connections (default 64)
  --inflight N           unacknowledged messages per connection (default 1, stop-and-wait)
  --repeat N             repeats of the seed scenario and peers (default 2)
  --kafka LIST           lab,embedded,apache (default all three; smoke: embedded). lab = the lab's own
                         embedded broker in its process, as "pnpm start" runs it; embedded = the same
                         broker in a process of its own ("seaway kafka"); apache = Apache Kafka 4.1.1
  --no-peers             skip Mosquitto and direct-to-Kafka
  --load LIST            load clients for the seed scenario and Mosquitto: ${LOAD_CLIENTS.join(',')}
                         (default paho,mqttjs,generator; smoke: mqttjs,generator). Only generator is
                         ours; the others publish unique 100-byte payloads (BytesConverter)
  --no-java              skip the Java kafka-producer-perf-test peer
  --sweep LIST           ${SWEEPS.join(',')} or none (default workers)
  --sweep-messages N     messages per sweep point (default 20000)
  --worker-counts LIST   default 1,4,16,64,256,1024
  --inflight-counts LIST default 1,4,16,64
  --warmup N             unrecorded warm-up messages after each lab start (default 10000; smoke 0)
  --profile              also run the seed scenario with node --cpu-prof on the lab and summarise it
  --out DIR              results directory (default packages/bench/results/<timestamp>)
  --baseline FILE        compare the seed figures with this results.json or baseline.json (default:
                         the newest earlier run in results/, else the committed baseline.json)
  --record               write this run's seed figures to packages/bench/baseline.json
`;

function int(flag: string, v: string | undefined, min = 1): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min) {
    throw new BenchError('SEAWAY_BENCH_CONFIG', `--${flag} needs a whole number >= ${min}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function list(flag: string, v: string | undefined): number[] {
  if (!v) throw new BenchError('SEAWAY_BENCH_CONFIG', `--${flag} needs a comma list of numbers`);
  return v.split(',').map((x) => int(flag, x));
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = {
    smoke: false,
    full: false,
    messages: 100_000,
    workers: 64,
    inflight: 1,
    repeat: 2,
    kafka: ['lab', 'embedded', 'apache'],
    peers: true,
    load: ['paho', 'mqttjs', 'generator'],
    java: true,
    sweeps: ['workers'],
    sweepMessages: 20_000,
    // The seed's 1..1024; the bench raises the lab's MQTT_MAX_CONNECTIONS_PER_ADDRESS for it.
    workerCounts: [1, 4, 16, 64, 256, 1024],
    inflightCounts: [1, 4, 16, 64],
    profile: false,
    warmup: 10_000,
    record: false,
    help: false,
  };
  const given = new Set<string>();
  const args = argv.filter((a) => a !== '--');
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s) as [string, string | undefined];
    const value = () => inline ?? args[++i];
    given.add(name);
    switch (name) {
      case 'smoke':
        o.smoke = true;
        break;
      case 'full':
        o.full = true;
        break;
      case 'messages':
        o.messages = int(name, value());
        break;
      case 'workers':
        o.workers = int(name, value());
        break;
      case 'inflight':
        o.inflight = int(name, value());
        break;
      case 'repeat':
        o.repeat = int(name, value());
        break;
      case 'kafka': {
        const v = (value() ?? '').split(',');
        if (!v.every((k) => k === 'lab' || k === 'embedded' || k === 'apache')) {
          throw new BenchError('SEAWAY_BENCH_CONFIG', `--kafka takes lab, embedded and apache, got ${v.join(',')}`);
        }
        o.kafka = v as ('lab' | 'embedded' | 'apache')[];
        break;
      }
      case 'load': {
        const v = (value() ?? '').split(',');
        for (const c of v) {
          if (!(LOAD_CLIENTS as readonly string[]).includes(c)) {
            throw new BenchError('SEAWAY_BENCH_CONFIG', `--load takes ${LOAD_CLIENTS.join(', ')}; got ${c}`);
          }
        }
        o.load = v as LoadClient[];
        break;
      }
      case 'no-java':
        o.java = false;
        break;
      case 'no-peers':
        o.peers = false;
        break;
      case 'sweep': {
        const v = value() ?? '';
        const names = v === 'none' ? [] : v === 'all' ? [...SWEEPS] : v.split(',');
        for (const s of names) {
          if (!(SWEEPS as readonly string[]).includes(s)) {
            throw new BenchError('SEAWAY_BENCH_CONFIG', `--sweep takes ${SWEEPS.join(', ')}, all or none; got ${s}`);
          }
        }
        o.sweeps = names as SweepName[];
        break;
      }
      case 'sweep-messages':
        o.sweepMessages = int(name, value());
        break;
      case 'worker-counts':
        o.workerCounts = list(name, value());
        break;
      case 'inflight-counts':
        o.inflightCounts = list(name, value());
        break;
      case 'profile':
        o.profile = true;
        break;
      case 'warmup':
        o.warmup = int(name, value(), 0);
        break;
      case 'out':
        o.out = value();
        break;
      case 'baseline':
        o.baseline = value();
        break;
      case 'record':
        o.record = true;
        break;
      case 'help':
      case 'h':
        o.help = true;
        break;
      default:
        throw new BenchError('SEAWAY_BENCH_CONFIG', `unknown flag ${a}; see --help`);
    }
  }
  if (o.smoke) {
    if (!given.has('messages')) o.messages = 2000;
    if (!given.has('workers')) o.workers = 16;
    if (!given.has('repeat')) o.repeat = 1;
    if (!given.has('kafka')) o.kafka = ['embedded'];
    if (!given.has('sweep')) o.sweeps = [];
    if (!given.has('warmup')) o.warmup = 0;
    if (!given.has('load')) o.load = ['mqttjs', 'generator'];
    o.java = given.has('java') ? o.java : false;
  }
  if (o.full) {
    if (!given.has('repeat')) o.repeat = 3;
    if (!given.has('sweep')) o.sweeps = [...SWEEPS];
    if (!given.has('sweep-messages')) o.sweepMessages = 50_000;
    o.profile = true;
  }
  return o;
}
