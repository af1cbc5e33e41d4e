// Runs the AIS generator CLI (packages/ais) as a child process and parses its closing JSON summary.
// The harness samples the child's CPU and memory while it runs.
import type { GeneratorSummary } from '@seaway/ais';
import { BenchError } from './errors.ts';
import { type LoadClient, loadClientCommand } from './load-clients.ts';
import { AIS_CLI, REPO } from './paths.ts';
import { type Proc, spawnProc } from './procs.ts';
import { cpuPerMessage, type ProcUsage, round } from './sampler.ts';

export interface Load {
  messages: number;
  workers: number;
  inflight: number;
  /** avro (the seed's schema), fdd, confluent, json or nmea: the payload-size sweep changes this. */
  format: string;
  qos?: 0 | 1 | 2;
  /** Topic to publish to (default /ais). */
  origin?: string;
  /** Who makes the load (default generator, ours); mqttjs and paho are clients we did not write. */
  client?: LoadClient;
}

export function generatorArgs(port: number, load: Load): string[] {
  return [
    '-server',
    `127.0.0.1:${port}`,
    '-origin',
    load.origin ?? '/ais',
    '-messages',
    String(load.messages),
    '-workers',
    String(load.workers),
    '-inflight',
    String(load.inflight),
    '-qos',
    String(load.qos ?? 1),
    '-format',
    load.format,
    '--json',
    '--no-progress',
    // log lines on stderr: "connected N workers ..." marks the end of its preparation
    '-log',
    '-',
  ];
}

/**
 * Resolves once every generator has connected its workers and starts publishing (its "connected"
 * log line), or once one of them has exited. Used to start the CPU window after their set-up.
 */
export function whenPublishing(gens: readonly Proc[]): Promise<void> {
  const seen = new Set<Proc>();
  let exited = false;
  for (const g of gens) void g.exited.then(() => (exited = true));
  return new Promise((resolve) => {
    const tick = () => {
      for (const g of gens) if (!seen.has(g) && /connected \d+ workers/.test(g.stderrTail())) seen.add(g);
      if (seen.size === gens.length || exited) resolve();
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * Starts the load client `load.client` (default: our AIS generator) as a child process. Every client
 * speaks the same contract (load/README.md), so whenPublishing and generatorResult work for all.
 */
export function startGenerator(port: number, load: Load, name = 'generator'): Proc {
  if (load.client && load.client !== 'generator') {
    const [cmd, ...args] = loadClientCommand(load.client, {
      server: `127.0.0.1:${port}`,
      topic: load.origin ?? '/ais',
      messages: load.messages,
      workers: load.workers,
      inflight: load.inflight,
      qos: load.qos ?? 1,
    });
    return spawnProc(name, cmd as string, args, { cwd: REPO });
  }
  return spawnProc(name, process.execPath, ['--import', 'tsx', AIS_CLI, ...generatorArgs(port, load)], {
    cwd: REPO,
  });
}

/** How long a run may take before the harness calls it stalled: 60 s plus 1 ms per message. */
export function stallTimeoutMs(messages: number): number {
  return 60_000 + messages;
}

export interface GeneratorOutcome extends GeneratorSummary {
  /** Set when the generator had to be stopped because acknowledgements stopped coming. */
  stalled?: string;
}

/**
 * Wait for the generator to exit and return its summary (also when it counted errors). After
 * `timeoutMs` it is stopped with SIGTERM, which makes it print the summary of what was acknowledged.
 */
export async function generatorResult(proc: Proc, timeoutMs = 600_000): Promise<GeneratorOutcome> {
  let stalled: string | undefined;
  const timer = setTimeout(() => {
    stalled = `generator still running after ${Math.round(timeoutMs / 1000)} s; stopped it`;
    void proc.stop('SIGTERM', 5000);
  }, timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  const line = proc
    .stdout()
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) {
    throw new BenchError(
      'SEAWAY_BENCH_GENERATOR',
      `generator exited with ${code} and no JSON summary; stderr:\n${proc.stderrTail()}`,
    );
  }
  const parsed = JSON.parse(line) as GeneratorSummary | { error: { code: string; message: string } };
  if ('error' in parsed) {
    throw new BenchError(
      'SEAWAY_BENCH_GENERATOR',
      `generator failed with ${parsed.error.code}: ${parsed.error.message}${stalled ? ` (${stalled})` : ''}`,
    );
  }
  const summary = parsed;
  return stalled
    ? { ...summary, stalled: `${stalled}: ${summary.messages} of ${summary.sent} sent acknowledged` }
    : summary;
}

/** The fields of a RunResult that come from the generator's summary and the CPU window. */
export function generatorRunFields(summary: GeneratorOutcome, usage: ProcUsage[]) {
  return {
    messages: summary.messages,
    errors: summary.errors,
    seconds: summary.seconds,
    msgPerSec: summary.msgPerSec,
    mbPerSec: round(summary.bytes / Math.max(summary.seconds, 1e-9) / 1e6, 2),
    latencyMs: summary.latencyMs,
    usage,
    cpuUsPerMsg: cpuPerMessage(usage, summary.messages),
  };
}
