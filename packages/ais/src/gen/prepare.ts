// Builds everything one process needs before publishing: the payload encoder (schema file,
// registry registration for Confluent framing), the message source, the packet pool, and the
// engine with its connections. Shared by in-process runs and -procs children.
import { createWriteStream, type WriteStream } from 'node:fs';
import { AisError } from '../errors.ts';
import { createEncoder, defaultSchemaFor, type PayloadEncoder } from '../formats/encode.ts';
import { type FittedSchema, fitSchema, loadSchemaFile } from '../formats/record.ts';
import { FleetSimulator } from '../sim/fleet.ts';
import { Engine, type PoolEntry } from './engine.ts';
import { publishPacket } from './mqtt-packets.ts';
import { type GeneratorOptions, parseServer } from './options.ts';
import { fleetSource, type MessageSource, nmeaFileSource, replayFileSource } from './sources.ts';

export interface Share {
  index: number;
  count: number;
  /** This process's message quota; null = no limit. 0 is a real quota (more processes than messages). */
  messages: number | null;
  workers: number;
  rate: number;
}

export function shareOf(o: GeneratorOptions, index: number, count: number): Share {
  const split = (n: number): number => Math.floor(n / count) + (index < n % count ? 1 : 0);
  return {
    index,
    count,
    messages: o.messages === 0 ? null : split(o.messages),
    workers: Math.max(1, split(o.workers)),
    rate: o.rate / count,
  };
}

export interface Logger {
  (line: string): void;
  close(): void;
}

export function openLog(path: string | undefined): Logger {
  let stream: WriteStream | null = null;
  if (path && path !== '-') stream = createWriteStream(path, { flags: 'a' });
  const log = ((line: string) => {
    if (!path) return;
    const text = `${new Date().toISOString()} ${line}\n`;
    if (stream) stream.write(text);
    else process.stderr.write(text);
  }) as Logger;
  log.close = () => stream?.end();
  return log;
}

/** Register the schema under `subject`; returns the registry's schema id. */
export async function registerSchema(registry: string, subject: string, schema: unknown): Promise<number> {
  const url = `${registry.replace(/\/+$/, '')}/subjects/${encodeURIComponent(subject)}/versions`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new AisError(
      'SEAWAY_AIS_CONFIG',
      `cannot reach the schema registry at ${registry} (-registry): ${(err as Error).message}`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as { id?: number; message?: string };
  if (!res.ok || typeof body.id !== 'number') {
    throw new AisError(
      'SEAWAY_AIS_CONFIG',
      `schema registry ${url} answered ${res.status}: ${body.message ?? 'no id'}`,
    );
  }
  return body.id;
}

export interface Prepared {
  engine: Engine;
  source: MessageSource;
  encoder: PayloadEncoder;
  poolSize: number;
  looped: boolean;
  prepareMs: number;
}

export async function prepare(o: GeneratorOptions, share: Share, log: Logger, schemaId?: number): Promise<Prepared> {
  const t0 = performance.now();
  const server = parseServer(o.server);
  let fitted: FittedSchema | undefined;
  if (o.schema) fitted = loadSchemaFile(o.schema);
  let id = schemaId;
  if (o.format === 'confluent' && id === undefined) {
    id = await registerSchema(o.registry, o.subject, fitted?.schema ?? defaultSchemaFor('confluent'));
    log(`registered schema under ${o.subject} with id ${id}`);
  }
  if (!fitted && o.format !== 'json' && o.format !== 'nmea') fitted = fitSchema(defaultSchemaFor(o.format));
  const encoder = createEncoder({ format: o.format, schema: fitted, schemaId: id });
  const topics = { origin: o.origin, topicPerVessel: o.topicPerVessel };
  const source: MessageSource = o.nmea
    ? nmeaFileSource(o.nmea, encoder, topics)
    : o.replay
      ? replayFileSource(o.replay, encoder, topics)
      : fleetSource(
          new FleetSimulator({ vessels: o.fleet, seed: o.seed, partition: { index: share.index, count: share.count } }),
          encoder,
          topics,
          o.realtime,
        );
  if (source.malformed > 0) log(`${source.malformed} malformed input lines skipped`);
  const entry = (): PoolEntry | null => {
    const m = source.next();
    return m && { topic: m.topic, payload: m.payload, packet: publishPacket(m.topic, m.payload, o.qos) };
  };
  let nextEntry: () => PoolEntry | null = entry;
  let poolSize = 0;
  // A finite input sent more often than it has records is replayed in a loop, as the seed did.
  let looped = source.distinct !== null && (share.messages === null || share.messages > source.distinct);
  if (share.rate === 0 && !o.realtime) {
    // Flat out: pre-encode the packets so publishing does no encoding work.
    const minPool = 4 * share.workers * o.inflight;
    const want = share.messages ?? o.pool;
    poolSize = Math.max(Math.min(want, o.pool), Math.min(want, minPool));
    looped ||= share.messages === null || share.messages > poolSize;
    const pool: PoolEntry[] = new Array(poolSize);
    for (let i = 0; i < poolSize; i++) pool[i] = entry()!;
    let i = 0;
    nextEntry = () => {
      const e = pool[i]!;
      i = i + 1 === poolSize ? 0 : i + 1;
      return e;
    };
  }
  const engine = new Engine(
    {
      host: server.host,
      port: server.port,
      url: server.url,
      workers: share.workers,
      inflight: o.inflight,
      qos: o.qos,
      messages: share.messages,
      durationMs: o.duration * 1000,
      rate: share.rate,
      paced: o.realtime,
      username: o.username,
      password: o.password,
      clientId: o.clientId,
      connectTimeoutMs: o.connectTimeoutMs,
      client: o.client,
      log,
    },
    nextEntry,
  );
  await engine.connect();
  log(`connected ${share.workers} workers to ${server.url}; source: ${source.description}`);
  return { engine, source, encoder, poolSize, looped, prepareMs: performance.now() - t0 };
}
