// startGeneratorRun: the programmatic generator the CLI and the lab (/api/generator) use. One
// process by default; with procs > 1 it forks children (child.ts), gives each a share of the
// workers, messages, rate and fleet, starts them together and merges their counters and
// latency histograms into one summary.
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AisError, type AisErrorCode } from '../errors.ts';
import { defaultSchemaFor } from '../formats/encode.ts';
import { loadSchemaFile } from '../formats/record.ts';
import type { EngineCounters } from './engine.ts';
import { Histogram } from './histogram.ts';
import { type GeneratorOptions, parseServer, resolveOptions } from './options.ts';
import { openLog, prepare, registerSchema, shareOf } from './prepare.ts';

export type RunState = 'preparing' | 'running' | 'stopping' | 'done' | 'failed';

export interface GeneratorStats {
  state: RunState;
  /** Messages acknowledged (QoS 1/2) or written (QoS 0). */
  messages: number;
  sent: number;
  errors: number;
  malformed: number;
  bytes: number;
  seconds: number;
  msgPerSec: number;
  /** Target message count, 0 = unlimited. */
  target: number;
}

export interface GeneratorSummary {
  messages: number;
  sent: number;
  errors: number;
  malformed: number;
  bytes: number;
  seconds: number;
  msgPerSec: number;
  latencyMs: { p50: number; p99: number; max: number } | null;
  server: string;
  topic: string;
  format: string;
  qos: number;
  workers: number;
  inflight: number;
  procs: number;
  client: string;
  source: string;
  /** True when the packet pool or input file was sent more than once. */
  looped: boolean;
  prepareSeconds: number;
  lastError: string | null;
}

export interface GeneratorRun {
  id: string;
  options: GeneratorOptions;
  stats(): GeneratorStats;
  stop(): void;
  /** Resolves with the summary; rejects with an AisError when the run cannot start. */
  done: Promise<GeneratorSummary>;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function summarize(
  o: GeneratorOptions,
  c: EngineCounters,
  hist: Histogram,
  elapsedMs: number,
  extra: { malformed: number; source: string; looped: boolean; prepareMs: number; lastError: string | null },
): GeneratorSummary {
  const seconds = elapsedMs / 1000;
  return {
    messages: c.acked,
    sent: c.sent,
    errors: c.errors,
    malformed: extra.malformed,
    bytes: c.bytes,
    seconds: round(seconds),
    msgPerSec: seconds > 0 ? Math.round(c.acked / seconds) : 0,
    latencyMs:
      hist.count > 0
        ? { p50: round(hist.quantile(0.5) / 1000), p99: round(hist.quantile(0.99) / 1000), max: round(hist.max / 1000) }
        : null,
    server: parseServer(o.server).url,
    topic: o.topicPerVessel ? `${o.origin}/<MMSI>` : o.origin,
    format: o.format,
    qos: o.qos,
    workers: o.workers,
    inflight: o.inflight,
    procs: o.procs,
    client: o.client,
    source: extra.source,
    looped: extra.looped,
    prepareSeconds: round(extra.prepareMs / 1000),
    lastError: extra.lastError,
  };
}

export function startGeneratorRun(partial: Partial<GeneratorOptions>): GeneratorRun {
  const options = resolveOptions(partial);
  return options.procs > 1 ? startMultiProcess(options) : startInProcess(options);
}

function startInProcess(o: GeneratorOptions): GeneratorRun {
  let state: RunState = 'preparing';
  let stopRequested = false;
  let engine: Awaited<ReturnType<typeof prepare>>['engine'] | null = null;
  let malformed = 0;
  const log = openLog(o.log);
  const done = (async () => {
    try {
      const p = await prepare(o, shareOf(o, 0, 1), log);
      engine = p.engine;
      malformed = p.source.malformed;
      state = 'running';
      p.engine.go();
      if (stopRequested) p.engine.stop();
      await p.engine.done;
      state = 'done';
      const s = summarize(o, p.engine.counters, p.engine.hist, p.engine.elapsedMs(), {
        malformed,
        source: p.source.description,
        looped: p.looped,
        prepareMs: p.prepareMs,
        lastError: p.engine.lastError?.message ?? null,
      });
      log(`done: ${JSON.stringify(s)}`);
      return s;
    } catch (err) {
      state = 'failed';
      log(`failed: ${(err as Error).message}`);
      throw err;
    } finally {
      log.close();
    }
  })();
  return {
    id: randomUUID(),
    options: o,
    stop() {
      stopRequested = true;
      if (engine) {
        if (state === 'running') state = 'stopping';
        engine.stop();
      }
    },
    stats() {
      const c = engine?.counters ?? { sent: 0, acked: 0, errors: 0, bytes: 0 };
      const seconds = (engine?.elapsedMs() ?? 0) / 1000;
      return {
        state,
        messages: c.acked,
        sent: c.sent,
        errors: c.errors,
        malformed,
        bytes: c.bytes,
        seconds: round(seconds),
        msgPerSec: seconds > 0 ? Math.round(c.acked / seconds) : 0,
        target: o.messages,
      };
    },
    done,
  };
}

/**
 * The -procs child: ais-child.mjs beside the bundle in the production build (packages/lab/scripts/
 * bundle.mjs writes it), else child.ts through tsx.
 */
function childEntry(): { file: string; execArgv: string[] } {
  const bundled = fileURLToPath(new URL('./ais-child.mjs', import.meta.url));
  if (existsSync(bundled)) return { file: bundled, execArgv: [...process.execArgv] };
  const argv = [...process.execArgv];
  const hasTsx = argv.some((a, i) => a.includes('tsx') || (a === '--import' && argv[i + 1]?.includes('tsx')));
  return {
    file: fileURLToPath(new URL('./child.ts', import.meta.url)),
    execArgv: hasTsx ? argv : [...argv, '--import', 'tsx'],
  };
}

type ChildMessage =
  | { type: 'ready'; malformed: number; source: string; looped: boolean; prepareMs: number }
  | { type: 'progress'; counters: EngineCounters }
  | { type: 'done'; counters: EngineCounters; hist: number[]; max: number; elapsedMs: number; lastError: string | null }
  | { type: 'error'; code: AisErrorCode; message: string };

function startMultiProcess(o: GeneratorOptions): GeneratorRun {
  let state: RunState = 'preparing';
  const children: ChildProcess[] = [];
  const counters: EngineCounters[] = [];
  let startedAt = 0;
  let endedAt = 0;
  let malformed = 0;
  let stopRequested = false;
  const entry = childEntry();
  const done = (async () => {
    // Register once so every child frames with the same schema id.
    let schemaId: number | undefined;
    if (o.format === 'confluent') {
      const schema = o.schema ? loadSchemaFile(o.schema).schema : defaultSchemaFor('confluent');
      schemaId = await registerSchema(o.registry, o.subject, schema);
    } else if (o.schema) loadSchemaFile(o.schema);
    const ready: Array<Promise<Extract<ChildMessage, { type: 'ready' }>>> = [];
    const finished: Array<Promise<Extract<ChildMessage, { type: 'done' }>>> = [];
    for (let i = 0; i < o.procs; i++) {
      const child = fork(entry.file, [], {
        execArgv: entry.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      counters.push({ sent: 0, acked: 0, errors: 0, bytes: 0 });
      let onReady!: (m: Extract<ChildMessage, { type: 'ready' }>) => void;
      let onDone!: (m: Extract<ChildMessage, { type: 'done' }>) => void;
      let onFail!: (e: Error) => void;
      const readyP = new Promise<Extract<ChildMessage, { type: 'ready' }>>((res, rej) => {
        onReady = res;
        onFail = rej;
      });
      const doneP = new Promise<Extract<ChildMessage, { type: 'done' }>>((res, rej) => {
        onDone = res;
        const prev = onFail;
        onFail = (e) => {
          prev(e);
          rej(e);
        };
      });
      readyP.catch(() => {});
      doneP.catch(() => {});
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') onReady(m);
        else if (m.type === 'progress') counters[i] = m.counters;
        else if (m.type === 'done') {
          counters[i] = m.counters;
          onDone(m);
        } else if (m.type === 'error') onFail(new AisError(m.code, m.message.replace(/^[A-Z_]+: /, '')));
      });
      child.on('exit', (code) =>
        onFail(new AisError('SEAWAY_AIS_CONFIG', `generator process ${i} exited with code ${code}`)),
      );
      child.send({ type: 'start', options: { ...o, procs: 1 }, index: i, count: o.procs, schemaId });
      ready.push(readyP);
      finished.push(doneP);
    }
    try {
      const readies = await Promise.all(ready);
      malformed = readies.reduce((n, r) => n + r.malformed, 0) / (o.nmea || o.replay ? o.procs : 1);
      state = 'running';
      startedAt = performance.now();
      for (const c of children) c.send({ type: 'go' });
      if (stopRequested) for (const c of children) c.send({ type: 'stop' });
      const results = await Promise.all(finished);
      endedAt = performance.now();
      state = 'done';
      const hist = new Histogram();
      const total: EngineCounters = { sent: 0, acked: 0, errors: 0, bytes: 0 };
      for (const r of results) {
        hist.merge(r.hist, r.max);
        total.sent += r.counters.sent;
        total.acked += r.counters.acked;
        total.errors += r.counters.errors;
        total.bytes += r.counters.bytes;
      }
      const elapsed = Math.max(...results.map((r) => r.elapsedMs));
      return summarize(o, total, hist, elapsed, {
        malformed,
        source: `${readies[0]!.source} x ${o.procs} processes`,
        looped: readies.some((r) => r.looped),
        prepareMs: Math.max(...readies.map((r) => r.prepareMs)),
        lastError: results.find((r) => r.lastError)?.lastError ?? null,
      });
    } catch (err) {
      state = 'failed';
      for (const c of children) c.kill();
      throw err;
    }
  })();
  return {
    id: randomUUID(),
    options: o,
    stop() {
      stopRequested = true;
      if (state === 'running') state = 'stopping';
      for (const c of children) if (c.connected) c.send({ type: 'stop' });
    },
    stats() {
      const c = counters.reduce(
        (a, b) => ({
          sent: a.sent + b.sent,
          acked: a.acked + b.acked,
          errors: a.errors + b.errors,
          bytes: a.bytes + b.bytes,
        }),
        { sent: 0, acked: 0, errors: 0, bytes: 0 },
      );
      const seconds = startedAt === 0 ? 0 : ((endedAt || performance.now()) - startedAt) / 1000;
      return {
        state,
        messages: c.acked,
        sent: c.sent,
        errors: c.errors,
        malformed,
        bytes: c.bytes,
        seconds: round(seconds),
        msgPerSec: seconds > 0 ? Math.round(c.acked / seconds) : 0,
        target: o.messages,
      };
    },
    done,
  };
}
