// /api/generator/runs: start, watch and stop AIS generator runs (packages/ais startGeneratorRun)
// against the lab's embedded MQTT broker.
//
//   POST   /api/generator/runs       GeneratorRunRequest -> 201 GeneratorRunInfo (429 when MAX_CONCURRENT run)
//   GET    /api/generator/runs       GeneratorRunsResponse (newest first, at most HISTORY kept)
//   GET    /api/generator/runs/:id   GeneratorRunInfo
//   DELETE /api/generator/runs/:id   stops a run (202 with its info); a finished run is removed (204)
//
// Runs are in-process (procs 1) and never write a log file. Every run is stopped when the app closes.
import type { GeneratorRun } from '@seaway/ais';
import {
  type GeneratorRunInfo,
  GeneratorRunRequest,
  type GeneratorRunSummary,
  type GeneratorRunsResponse,
} from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';
import { ConsoleApiError, sendError } from './errors.ts';
import { registryBase } from './map-routes.ts';

export const GeneratorLimits = { maxConcurrent: 2, history: 20 };

interface Entry {
  info: GeneratorRunInfo;
  run: GeneratorRun | null;
  /** What the run had acknowledged when last looked at (for totals after it ends). */
  last: { messages: number; bytes: number };
}

export function generatorMqttUrl(deps: ConsoleApiDeps): string | null {
  if (deps.mqttUrl !== undefined) return deps.mqttUrl;
  return deps.ports.mqtt ? `tcp://127.0.0.1:${deps.ports.mqtt}` : null;
}

function live(e: Entry): boolean {
  return e.info.state === 'preparing' || e.info.state === 'running' || e.info.state === 'stopping';
}

export class GeneratorRuns {
  private readonly entries: Entry[] = [];
  /** Messages and bytes of runs that have ended, so totals never go down when one ends or is trimmed. */
  private readonly retired = { messages: 0, bytes: 0 };

  /** Running totals over every run since the lab started: the Overview's generator hop. */
  totals(): { messages: number; bytes: number } {
    let messages = this.retired.messages;
    let bytes = this.retired.bytes;
    for (const e of this.entries) {
      if (!e.run) continue;
      const s = e.run.stats();
      e.last = { messages: s.messages, bytes: s.bytes };
      messages += s.messages;
      bytes += s.bytes;
    }
    return { messages, bytes };
  }

  private retire(e: Entry, final?: { messages: number; bytes: number }): void {
    const f = final ?? e.last;
    this.retired.messages += f.messages;
    this.retired.bytes += f.bytes;
  }

  constructor(
    private readonly deps: ConsoleApiDeps,
    private readonly localPort: () => number | null,
  ) {}

  async start(params: GeneratorRunRequest): Promise<GeneratorRunInfo> {
    const server = generatorMqttUrl(this.deps);
    if (!server) {
      throw new ConsoleApiError(
        'SEAWAY_CONSOLE_MQTT_DISABLED',
        'the lab runs no MQTT broker (MQTT_PORT=0); start it with MQTT_PORT set to generate',
      );
    }
    const running = this.entries.filter(live).length;
    if (running >= GeneratorLimits.maxConcurrent) {
      throw new ConsoleApiError(
        'SEAWAY_CONSOLE_BUSY',
        `${running} generator runs are going; stop one (DELETE /api/generator/runs/:id) and retry`,
      );
    }
    const registry = registryBase(this.deps, this.localPort);
    // loaded on the first run: the generator is not part of the lab's start-up
    const { startGeneratorRun } = await import('@seaway/ais');
    let run: GeneratorRun;
    try {
      run = startGeneratorRun({
        server,
        origin: params.origin,
        messages: params.messages,
        workers: params.workers,
        inflight: params.inflight,
        rate: params.rate,
        format: params.format,
        qos: params.qos,
        fleet: params.fleet,
        duration: params.duration,
        procs: 1,
        progress: false,
        json: false,
        clientId: `seaway-console-gen-${Date.now().toString(36)}`,
        // confluent format registers its schema; a subject of its own keeps it clear of the bridge's
        // <topic>-value subjects (a different record there fails the compatibility check).
        subject: `generator${params.origin.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}-value`,
        ...(registry ? { registry } : {}),
      });
    } catch (e) {
      throw new ConsoleApiError(
        'SEAWAY_CONSOLE_GENERATOR_FAILED',
        `the generator did not start: ${(e as Error).message}`,
      );
    }
    const info: GeneratorRunInfo = {
      id: run.id,
      state: 'preparing',
      params,
      startedAt: Date.now(),
      endedAt: null,
      progress: { messages: 0, sent: 0, errors: 0, target: params.messages, seconds: 0, msgPerSec: 0 },
      summary: null,
      error: null,
    };
    const entry: Entry = { info, run, last: { messages: 0, bytes: 0 } };
    this.entries.unshift(entry);
    run.done.then(
      (s) => {
        this.snapshot(entry);
        const summary: GeneratorRunSummary = {
          messages: s.messages,
          sent: s.sent,
          errors: s.errors,
          bytes: s.bytes,
          seconds: s.seconds,
          msgPerSec: s.msgPerSec,
          latencyMs: s.latencyMs,
          lastError: s.lastError,
        };
        entry.info = { ...entry.info, state: 'done', endedAt: Date.now(), summary };
        entry.run = null;
        this.retire(entry, { messages: s.messages, bytes: s.bytes });
      },
      (e: Error) => {
        this.snapshot(entry);
        entry.info = { ...entry.info, state: 'failed', endedAt: Date.now(), error: e.message };
        entry.run = null;
        this.retire(entry);
      },
    );
    this.trim();
    return this.snapshot(entry);
  }

  /** Refresh a live entry's state and progress from its run. */
  private snapshot(e: Entry): GeneratorRunInfo {
    if (e.run) {
      const s = e.run.stats();
      e.info = {
        ...e.info,
        state: s.state,
        progress: {
          messages: s.messages,
          sent: s.sent,
          errors: s.errors,
          target: s.target,
          seconds: s.seconds,
          msgPerSec: s.msgPerSec,
        },
      };
    }
    return e.info;
  }

  private trim(): void {
    for (let i = this.entries.length - 1; i >= 0 && this.entries.length > GeneratorLimits.history; i--) {
      if (!live(this.entries[i]!)) this.entries.splice(i, 1);
    }
  }

  list(): GeneratorRunInfo[] {
    return this.entries.map((e) => this.snapshot(e));
  }

  get(id: string): GeneratorRunInfo | null {
    const e = this.entries.find((x) => x.info.id === id);
    return e ? this.snapshot(e) : null;
  }

  /** Stops a live run (returns its info) or forgets a finished one (returns null). */
  stopOrRemove(id: string): GeneratorRunInfo | null | undefined {
    const i = this.entries.findIndex((x) => x.info.id === id);
    const e = this.entries[i];
    if (!e) return undefined;
    if (e.run && live(e)) {
      e.run.stop();
      return this.snapshot(e);
    }
    this.entries.splice(i, 1);
    return null;
  }

  async close(): Promise<void> {
    const runs = this.entries.flatMap((e) => (e.run ? [e.run] : []));
    for (const r of runs) r.stop();
    await Promise.allSettled(runs.map((r) => r.done));
  }
}

export function registerGeneratorRoutes(app: FastifyInstance, deps: ConsoleApiDeps): GeneratorRuns {
  let lastLocalPort: number | null = null;
  const runs = new GeneratorRuns(deps, () => lastLocalPort);
  deps.metrics?.addSource('generator', () => runs.totals());
  app.addHook('onClose', () => runs.close());
  const notFound = (id: string) =>
    new ConsoleApiError(
      'SEAWAY_CONSOLE_RUN_NOT_FOUND',
      `no generator run "${id}"; GET /api/generator/runs lists the recent ones`,
    );

  app.post('/api/generator/runs', async (req, reply) => {
    try {
      lastLocalPort = req.socket.localPort ?? lastLocalPort;
      // no body means the defaults; a body of null (or any non-object) is a bad request
      const parsed = GeneratorRunRequest.safeParse(req.body === undefined ? {} : req.body);
      if (!parsed.success) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `invalid generator run: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      }
      return reply.code(201).send(await runs.start(parsed.data));
    } catch (e) {
      return sendError(reply, e);
    }
  });
  app.get('/api/generator/runs', async () => {
    const body: GeneratorRunsResponse = {
      runs: runs.list(),
      mqttUrl: generatorMqttUrl(deps),
      maxConcurrent: GeneratorLimits.maxConcurrent,
    };
    return body;
  });
  app.get<{ Params: { id: string } }>('/api/generator/runs/:id', async (req, reply) => {
    const info = runs.get(req.params.id);
    return info ?? sendError(reply, notFound(req.params.id));
  });
  app.delete<{ Params: { id: string } }>('/api/generator/runs/:id', async (req, reply) => {
    const r = runs.stopOrRemove(req.params.id);
    if (r === undefined) return sendError(reply, notFound(req.params.id));
    if (r === null) return reply.code(204).send();
    return reply.code(202).send(r);
  });
  return runs;
}
