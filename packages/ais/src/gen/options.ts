// Generator options: the seed generator's flags (-server, -origin, -schema, -nmea, -messages,
// -workers, -log) with their meanings, plus Seaway's. Parsing accepts Go-style `-flag value`,
// `-flag=value` and `--flag`; bad values fail with SEAWAY_AIS_CONFIG naming the flag.
import { AisError } from '../errors.ts';
import { FORMATS, type FormatName, isFormat } from '../formats/names.ts';
import { MAX_FLEET } from '../sim/limits.ts';

export interface GeneratorOptions {
  /** MQTT server, host:port with optional tcp:// (seed: -server). */
  server: string;
  /** Topic, or topic prefix with topicPerVessel (seed: -origin). */
  origin: string;
  topicPerVessel: boolean;
  /** Avro schema file the records are written with (seed: -schema). */
  schema?: string;
  /** Replay AIVDM sentences from a file, types 1-3, looped (seed: -nmea). */
  nmea?: string;
  /** Replay fast-data-dev's ais.txt.gz lines, looped. */
  replay?: string;
  /** Messages to send; 0 = until -duration or stop() (seed: -messages, 100000). */
  messages: number;
  /** MQTT connections in parallel (seed: -workers, 64). */
  workers: number;
  /** Write a log of events and errors to this file ("-" = stderr) (seed: -log). */
  log?: string;
  /** Messages per second over all workers; 0 = as fast as possible. */
  rate: number;
  /** Unacknowledged PUBLISHes per worker; 1 = stop-and-wait as the seed. */
  inflight: number;
  qos: 0 | 1 | 2;
  format: FormatName;
  /** Vessels in the simulated fleet. */
  fleet: number;
  /** Sail the fleet in real time: each report is sent when it is due (-rate becomes a cap). */
  realtime: boolean;
  seed: number;
  /** Seconds to run; 0 = until -messages are sent. */
  duration: number;
  username?: string;
  password?: string;
  /** Processes to spread the workers over. */
  procs: number;
  /** Print the closing summary as JSON. */
  json: boolean;
  /** Schema registry for -format confluent. */
  registry: string;
  /** Registry subject for -format confluent. */
  subject: string;
  /** raw: hand-encoded MQTT on net.Socket (fast); mqttjs: the mqtt package (for comparison). */
  client: 'raw' | 'mqttjs';
  /** Pre-encoded packets kept in memory when running flat out; larger runs loop over them. */
  pool: number;
  /** Progress bar on a terminal (default: when stderr is a TTY and not --json). */
  progress?: boolean;
  clientId: string;
  connectTimeoutMs: number;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  server: 'tcp://127.0.0.1:1883',
  origin: '/ais',
  topicPerVessel: false,
  messages: 100_000,
  workers: 64,
  rate: 0,
  inflight: 1,
  qos: 1,
  format: 'avro',
  fleet: 300,
  realtime: false,
  seed: 1,
  duration: 0,
  procs: 1,
  json: false,
  registry: 'http://127.0.0.1:8081',
  subject: 'position-reports-value',
  client: 'raw',
  pool: 200_000,
  clientId: 'seaway-ais',
  connectTimeoutMs: 5000,
};

export { USAGE } from './usage.ts';

const BOOLEAN_FLAGS = new Set(['json', 'realtime', 'topic-per-vessel', 'progress', 'no-progress', 'help', 'h']);

function int(flag: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AisError(
      'SEAWAY_AIS_CONFIG',
      `-${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

function num(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    throw new AisError('SEAWAY_AIS_CONFIG', `-${flag} must be a number >= ${min}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Parse CLI arguments; returns null options with help=true for -h/--help. */
export function parseGeneratorArgs(argv: readonly string[]): { options: GeneratorOptions; help: boolean } {
  const o: GeneratorOptions = { ...DEFAULT_OPTIONS };
  let help = false;
  let messagesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-'))
      throw new AisError('SEAWAY_AIS_CONFIG', `unexpected argument ${JSON.stringify(arg)}; see --help`);
    let name = arg.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (BOOLEAN_FLAGS.has(name)) {
      const on = value === undefined || value === 'true' || value === '1';
      if (name === 'json') o.json = on;
      else if (name === 'topic-per-vessel') o.topicPerVessel = on;
      else if (name === 'realtime') o.realtime = on;
      else if (name === 'progress') o.progress = on;
      else if (name === 'no-progress') o.progress = false;
      else help = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new AisError('SEAWAY_AIS_CONFIG', `-${name} needs a value; see --help`);
    }
    switch (name) {
      case 'server':
        o.server = value;
        break;
      case 'origin':
        o.origin = value;
        break;
      case 'schema':
        o.schema = value;
        break;
      case 'nmea':
        o.nmea = value;
        break;
      case 'replay':
        o.replay = value;
        break;
      case 'messages':
        o.messages = int(name, value, 0);
        messagesGiven = true;
        break;
      case 'workers':
        o.workers = int(name, value, 1, 10_000);
        break;
      case 'log':
        o.log = value;
        break;
      case 'rate':
        o.rate = num(name, value, 0);
        break;
      case 'inflight':
        o.inflight = int(name, value, 1, 1000);
        break;
      case 'qos':
        o.qos = int(name, value, 0, 2) as 0 | 1 | 2;
        break;
      case 'format':
        if (!isFormat(value)) {
          throw new AisError(
            'SEAWAY_AIS_CONFIG',
            `-format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(value)}`,
          );
        }
        o.format = value;
        break;
      case 'fleet':
        o.fleet = int(name, value, 1, MAX_FLEET);
        break;
      case 'seed':
        o.seed = int(name, value, 0);
        break;
      case 'duration':
        o.duration = num(name, value, 0);
        break;
      case 'username':
        o.username = value;
        break;
      case 'password':
        o.password = value;
        break;
      case 'procs':
        o.procs = int(name, value, 1, 64);
        break;
      case 'registry':
        o.registry = value;
        break;
      case 'subject':
        o.subject = value;
        break;
      case 'client':
        if (value !== 'raw' && value !== 'mqttjs')
          throw new AisError('SEAWAY_AIS_CONFIG', `-client must be raw or mqttjs, got ${JSON.stringify(value)}`);
        o.client = value;
        break;
      case 'pool':
        o.pool = int(name, value, 1);
        break;
      case 'client-id':
        o.clientId = value;
        break;
      default:
        throw new AisError('SEAWAY_AIS_CONFIG', `unknown flag -${name}; see --help`);
    }
  }
  if (o.duration > 0 && !messagesGiven) o.messages = 0;
  return { options: o, help };
}

/** Validate a whole options object (for programmatic callers) and fill defaults. */
export function resolveOptions(partial: Partial<GeneratorOptions>): GeneratorOptions {
  const o: GeneratorOptions = { ...DEFAULT_OPTIONS, ...partial };
  if (partial.duration && partial.messages === undefined) o.messages = 0;
  if (o.nmea && o.replay) throw new AisError('SEAWAY_AIS_CONFIG', 'use -nmea or -replay, not both');
  if (!isFormat(o.format)) throw new AisError('SEAWAY_AIS_CONFIG', `-format must be one of ${FORMATS.join(', ')}`);
  if (o.messages === 0 && o.duration === 0 && partial.messages === 0 && !partial.duration) {
    // Unlimited on purpose (the lab stops it); fine.
  }
  if (o.procs > o.workers) o.procs = o.workers;
  parseServer(o.server);
  return o;
}

/** host and port from host:port, tcp://host:port or mqtt://host:port. */
export function parseServer(server: string): { host: string; port: number; url: string } {
  const m = /^(?:(?:tcp|mqtt):\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(server.trim());
  if (!m) {
    throw new AisError(
      'SEAWAY_AIS_CONFIG',
      `-server must be host:port (tcp:// optional), got ${JSON.stringify(server)}`,
    );
  }
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : 1883;
  if (port < 1 || port > 65535) throw new AisError('SEAWAY_AIS_CONFIG', `-server port out of range in ${server}`);
  return { host, port, url: `tcp://${m[1]}:${port}` };
}
