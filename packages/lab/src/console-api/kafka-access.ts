// Kafka clients for the console routes, and the guards they share.
//
// The console keeps its own admin and producer, made from the lab's kafkajs client. kafkajs
// remembers every topic a client ever asked about and refreshes metadata for all of them; once one
// of those topics is deleted by someone else, every later call fails with
// UNKNOWN_TOPIC_OR_PARTITION. So a call failing that way drops the client and is retried on a
// fresh one (after the route has checked that its own topic exists).
import { isLeadershipError } from '@seaway/bridge';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { ConsoleApiDeps } from './deps.ts';
import { ConsoleApiError } from './errors.ts';
import { WireAdmin } from './wire-admin.ts';

function unavailable(): ConsoleApiError {
  return new ConsoleApiError('SEAWAY_CONSOLE_KAFKA_UNAVAILABLE', 'Kafka is not connected yet; retry in a moment');
}

export function requireKafka(d: Pick<ConsoleApiDeps, 'kafka'>): Kafka {
  const kafka = d.kafka();
  if (!kafka) throw unavailable();
  return kafka;
}

/** One lazily connected client of a kind, replaced when its metadata went stale. */
export class LazyClient<C extends { connect(): Promise<void>; disconnect(): Promise<void> }> {
  private current: Promise<C> | null = null;
  constructor(
    private readonly d: Pick<ConsoleApiDeps, 'kafka'>,
    private readonly make: (k: Kafka) => C,
  ) {}

  private get(): Promise<C> {
    if (!this.current) {
      const c = this.make(requireKafka(this.d));
      const p = c.connect().then(() => c);
      this.current = p;
      p.catch(() => {
        if (this.current === p) this.current = null;
      });
    }
    return this.current;
  }

  private async reset(): Promise<void> {
    const old = this.current;
    this.current = null;
    const c = await old?.catch(() => null);
    await c?.disconnect().catch(() => {});
  }

  /** Run fn with the client; on stale metadata, up to twice more with a fresh client, 250 ms apart. */
  async use<T>(fn: (c: C) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(await this.get());
      } catch (e) {
        // stale metadata: right after partitions were added, Apache Kafka names a leader a moment
        // before that broker serves the partition (NOT_LEADER_FOR_PARTITION on ListOffsets)
        if (!isLeadershipError(e) || attempt === 2) throw e;
        await this.reset();
        if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  close(): Promise<void> {
    return this.reset();
  }
}

export interface ConsoleKafka {
  deps: ConsoleApiDeps;
  admin: LazyClient<Admin>;
  producer: LazyClient<Producer>;
  /** Config changes, partitions, purge and sizes on the lab's own Kafka path (wire-admin.ts). */
  wire: WireAdmin;
}

export function consoleKafka(d: ConsoleApiDeps): ConsoleKafka {
  return {
    deps: d,
    admin: new LazyClient(d, (k) => k.admin()),
    producer: new LazyClient(d, (k) => k.producer({ allowAutoTopicCreation: false })),
    wire: new WireAdmin(() => d.kafkaWire ?? null),
  };
}

export async function requireTopic(admin: Admin, name: string): Promise<void> {
  const names = await admin.listTopics();
  if (!names.includes(name)) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_TOPIC_NOT_FOUND',
      `topic "${name}" does not exist; pick one from the topic list or create it first`,
    );
  }
}

/** Offsets as kafkajs gives them are decimal strings; lag arithmetic stays within Number range here. */
export const num = (s: string): number => Number(s);

/** Map with at most `limit` calls in flight (one request per consumer group adds up on big clusters). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
