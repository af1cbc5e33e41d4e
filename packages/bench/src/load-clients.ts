// The load clients the harness can drive the seed scenario with. Only `generator` is ours; mqtt.js
// and Eclipse Paho (Go) are clients nobody here wrote, so a figure they make is not tuned to our
// own load. Each speaks load/README.md's contract; the Paho program is built once with `go build`
// into the cache (the Go module proxy serves github.com/eclipse/paho.mqtt.golang).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchError } from './errors.ts';
import { BENCH_DIR } from './paths.ts';

export const LOAD_CLIENTS = ['generator', 'mqttjs', 'mqttjs5', 'paho'] as const;
export type LoadClient = (typeof LOAD_CLIENTS)[number];

/** The name a report shows for each client. */
export const LOAD_CLIENT_LABEL: Record<LoadClient, string> = {
  generator: 'seaway generator',
  mqttjs: 'mqtt.js 3.1.1',
  mqttjs5: 'mqtt.js 5',
  paho: 'paho Go 3.1.1',
};

export interface LoadArgs {
  server: string;
  topic: string;
  messages: number;
  workers: number;
  inflight: number;
  qos: number;
  /** Payload bytes (default 100). */
  size?: number;
}

const PAHO_DIR = resolve(BENCH_DIR, 'load/paho-go');
const PAHO_BIN = join(process.env.SEAWAY_CACHE ?? join(homedir(), '.cache', 'seaway'), 'bin', 'seaway-paho-load');

/** Builds the Paho load program when it is missing or older than its source; returns its path. */
export function ensurePahoLoad(): string {
  const src = join(PAHO_DIR, 'main.go');
  if (existsSync(PAHO_BIN) && statSync(PAHO_BIN).mtimeMs >= statSync(src).mtimeMs) return PAHO_BIN;
  const go = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new BenchError(
      'SEAWAY_BENCH_LOAD',
      'the paho load client needs Go (go build); install Go or leave paho out of --load',
    );
  }
  mkdirSync(join(PAHO_BIN, '..'), { recursive: true });
  const r = spawnSync(go.stdout.trim(), ['build', '-o', PAHO_BIN, '.'], { cwd: PAHO_DIR, encoding: 'utf8' });
  if (r.status !== 0)
    throw new BenchError('SEAWAY_BENCH_LOAD', `go build of the paho load client failed:\n${r.stderr}`);
  return PAHO_BIN;
}

/** argv (command first) that runs `client` with these arguments. */
export function loadClientCommand(client: Exclude<LoadClient, 'generator'>, a: LoadArgs): string[] {
  const flags = [
    ['server', a.server],
    ['topic', a.topic],
    ['messages', a.messages],
    ['workers', a.workers],
    ['inflight', a.inflight],
    ['qos', a.qos],
    ['size', a.size ?? 100],
  ].flatMap(([k, v]) => [`--${k}`, String(v)]);
  if (client === 'paho') return [ensurePahoLoad(), ...flags];
  return [
    process.execPath,
    '--import',
    'tsx',
    join(BENCH_DIR, 'load/mqttjs-load.ts'),
    ...flags,
    '--protocol',
    client === 'mqttjs5' ? '5' : '4',
  ];
}
