// Cluster state with one writer: the topics (name, uuid, partitions, configs), their partition logs,
// the producer id counter, persisted as <dataDir>/cluster.json (written atomically after each change;
// partition logs live in <dataDir>/logs/<topic>-<partition>). With dataDir null everything is memory.
//
// Only this class mutates topics. Handlers call its methods; waits on appended data go through
// Partition.waitForAppend so long-poll fetches wake up when a producer appends.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, randomUuid } from '@seaway/kafka-protocol';
import type { ResolvedOptions } from '../config.ts';
import { BrokerError, BrokerErrorCode } from '../errors.ts';
import { FileLog, type LogConfig, MemoryLog, type PartitionLog } from '../log/index.ts';
import { PartitionTxns } from '../txn/partition-txns.ts';
import { ProducerStateTable } from './producer-state.ts';
import { TOPIC_CONFIGS } from './topic-configs.ts';

export class Partition {
  readonly topic: string;
  readonly index: number;
  readonly log: PartitionLog;
  readonly producers: ProducerStateTable;
  /** Open and aborted transactions in this partition (LSO, aborted lists for read_committed). */
  readonly txns = new PartitionTxns();
  /** Serialises idempotence check + append per partition. */
  chain: Promise<unknown> = Promise.resolve();
  readonly #waiters = new Set<() => void>();

  constructor(topic: string, index: number, log: PartitionLog, producers: ProducerStateTable) {
    this.topic = topic;
    this.index = index;
    this.log = log;
    this.producers = producers;
  }

  /** Registers a callback for the next append; returns a function that cancels it. */
  onAppend(fn: () => void): () => void {
    this.#waiters.add(fn);
    return () => this.#waiters.delete(fn);
  }

  notifyAppend(): void {
    if (this.#waiters.size === 0) return;
    const fns = [...this.#waiters];
    this.#waiters.clear();
    for (const fn of fns) fn();
  }
}

export interface Topic {
  name: string;
  id: string;
  partitions: Partition[];
  /** Only the configs set on this topic; defaults come from TOPIC_CONFIGS. */
  configs: Record<string, string>;
  internal: boolean;
}

interface PersistedCluster {
  clusterId: string;
  nextProducerId: number;
  topics: Array<{ name: string; id: string; partitions: number; configs: Record<string, string> }>;
}

/** Kafka's internal topics: Metadata reports isInternal, clients cannot produce to or delete them. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);

const TOPIC_RE = /^[a-zA-Z0-9._-]+$/;
/** Upper bound per topic, so one request cannot allocate without limit. */
export const MAX_PARTITIONS = 10_000;

/** Kafka's topic name rules; returns a reason or undefined. */
export function invalidTopicName(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return 'topic name cannot be "." or ".."';
  if (name.length > 249) return 'topic name is longer than 249 characters';
  if (!TOPIC_RE.test(name)) return `topic name ${name} may only contain ASCII letters, digits, '.', '_' and '-'`;
  return undefined;
}

export class ClusterState {
  readonly opts: ResolvedOptions;
  clusterId = '';
  readonly topics = new Map<string, Topic>();
  readonly #byId = new Map<string, Topic>();
  #nextProducerId = 1000;
  #firstFreshProducerId = 1000;
  #saving: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(opts: ResolvedOptions) {
    this.opts = opts;
  }

  static async open(opts: ResolvedOptions): Promise<ClusterState> {
    const c = new ClusterState(opts);
    await c.#load();
    return c;
  }

  get #file(): string | null {
    return this.opts.dataDir === null ? null : join(this.opts.dataDir, 'cluster.json');
  }

  async #load(): Promise<void> {
    const file = this.#file;
    let saved: PersistedCluster | undefined;
    if (file !== null) {
      await mkdir(join(this.opts.dataDir as string, 'logs'), { recursive: true });
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      });
      if (text !== undefined) {
        try {
          saved = JSON.parse(text) as PersistedCluster;
        } catch (e) {
          throw new BrokerError(
            BrokerErrorCode.BAD_METADATA,
            `${file} is not valid JSON (${(e as Error).message}); restore it or move dataDir aside`,
          );
        }
      }
    }
    this.clusterId = this.opts.clusterId || saved?.clusterId || randomBytes(16).toString('base64url').slice(0, 22);
    // leave room: ids handed out before the last save may be ahead of the saved counter
    this.#nextProducerId = (saved?.nextProducerId ?? 0) + 1000;
    this.#firstFreshProducerId = this.#nextProducerId;
    for (const t of saved?.topics ?? []) {
      await this.#addTopic(t.name, t.id, t.partitions, t.configs);
    }
    await this.#save();
  }

  /** The log settings a topic's configs ask for, defaults filled in (at open and after AlterConfigs). */
  #logConfig(configs: Record<string, string>): Required<LogConfig> {
    const num = (k: string, fallback: number) => (configs[k] === undefined ? fallback : Number(configs[k]));
    return {
      retentionMs: num('retention.ms', Number(TOPIC_CONFIGS['retention.ms']!.default)),
      retentionBytes: num('retention.bytes', -1),
      // Kafka's default segment is 1 GiB; ours stays at 128 MiB unless a topic asks
      segmentBytes: num('segment.bytes', 128 * 1024 * 1024),
      segmentMs: num('segment.ms', Number(TOPIC_CONFIGS['segment.ms']!.default)),
      maxBatchBytes: Math.max(this.opts.messageMaxBytes, num('max.message.bytes', 0)) + 1024,
    };
  }

  async #openLog(topic: string, index: number, configs: Record<string, string>): Promise<PartitionLog> {
    const c = this.#logConfig(configs);
    if (this.opts.dataDir === null) return new MemoryLog(c);
    return FileLog.open(join(this.opts.dataDir, 'logs', `${topic}-${index}`), {
      ...c,
      fsync: this.opts.fsync,
      warn: (line) => this.opts.log('warn', line),
    });
  }

  async #addTopic(name: string, id: string, partitions: number, configs: Record<string, string>): Promise<Topic> {
    const topic: Topic = { name, id, partitions: [], configs, internal: INTERNAL_TOPICS.has(name) };
    for (let i = 0; i < partitions; i++) topic.partitions.push(await this.#partition(name, i, configs));
    this.topics.set(name, topic);
    this.#byId.set(id, topic);
    return topic;
  }

  async #partition(name: string, index: number, configs: Record<string, string>): Promise<Partition> {
    const log = await this.#openLog(name, index, configs);
    return new Partition(name, index, log, new ProducerStateTable(this.#firstFreshProducerId));
  }

  #save(): Promise<void> {
    const file = this.#file;
    if (file === null) return Promise.resolve();
    const snapshot: PersistedCluster = {
      clusterId: this.clusterId,
      nextProducerId: this.#nextProducerId,
      topics: [...this.topics.values()].map((t) => ({
        name: t.name,
        id: t.id,
        partitions: t.partitions.length,
        configs: t.configs,
      })),
    };
    const text = `${JSON.stringify(snapshot, null, 1)}\n`;
    const run = this.#saving.then(async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    this.#saving = run.catch((e: Error) => this.opts.log('error', `cannot save ${file}: ${e.message}`));
    return run;
  }

  topicById(id: string): Topic | undefined {
    return this.#byId.get(id);
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  /**
   * Creates a topic; the caller validated name, partitions and configs. Not async on purpose: the
   * first caller and later callers get the same promise, so their continuations run in call order
   * (pipelined Produce requests to a new topic append in request order).
   */
  createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<Topic> {
    const pending = this.#creating.get(name);
    if (pending) return pending;
    const existing = this.topics.get(name);
    if (existing) return Promise.resolve(existing);
    // behind a delete of the same name still removing its files (they share the directory)
    const p = this.#inLane(name, async () => {
      const now = this.topics.get(name);
      if (now) return now;
      const t = await this.#addTopic(name, randomUuid(), partitions, configs);
      await this.#save();
      this.opts.log('info', `created topic ${name} with ${partitions} partition(s)`);
      return t;
    }).finally(() => this.#creating.delete(name));
    this.#creating.set(name, p);
    return p;
  }

  /** Create and delete of one topic name run one at a time, in call order (no racing on its files). */
  readonly #lanes = new Map<string, Promise<unknown>>();
  #inLane<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.#lanes.get(name) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#lanes.set(name, tail);
    void tail.then(() => {
      if (this.#lanes.get(name) === tail) this.#lanes.delete(name);
    });
    return run;
  }
  /** Topics whose creation has not finished; they are in `topics` already but not ready(). */
  readonly #creating = new Map<string, Promise<Topic>>();

  /**
   * A topic that exists and is not being created, synchronously. Produce uses this so that pipelined
   * requests on one connection dispatch their appends in request order.
   */
  ready(name: string): Topic | undefined {
    return this.#creating.has(name) ? undefined : this.topics.get(name);
  }

  /** Auto-creation for Metadata/Produce: a topic, or the Kafka error code why not. */
  async autoCreate(name: string): Promise<Topic | number> {
    const pending = this.#creating.get(name);
    if (pending) return pending;
    const t = this.topics.get(name);
    if (t) return t;
    if (!this.opts.autoCreateTopics) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    if (invalidTopicName(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
    return this.createTopic(name, this.opts.defaultPartitions);
  }

  deleteTopic(name: string): Promise<void> {
    return this.#inLane(name, () => this.#deleteTopic(name));
  }

  async #deleteTopic(name: string): Promise<void> {
    const t = this.topics.get(name);
    if (!t) return;
    this.topics.delete(name);
    this.#byId.delete(t.id);
    for (const p of t.partitions) {
      p.notifyAppend();
      await p.log.close();
      if (this.opts.dataDir !== null) {
        await rm(join(this.opts.dataDir, 'logs', `${name}-${p.index}`), { recursive: true, force: true });
      }
    }
    await this.#save();
    this.opts.log('info', `deleted topic ${name}`);
  }

  async addPartitions(name: string, count: number): Promise<void> {
    const t = this.topics.get(name);
    if (!t) return;
    for (let i = t.partitions.length; i < count; i++) t.partitions.push(await this.#partition(name, i, t.configs));
    await this.#save();
  }

  async setTopicConfigs(name: string, configs: Record<string, string>): Promise<void> {
    const t = this.topics.get(name);
    if (!t) return;
    const logConfig = this.#logConfig(configs);
    for (const p of t.partitions) p.log.reconfigure(logConfig); // throws before anything changed if bad
    t.configs = configs;
    await this.#save();
  }

  allocateProducerId(): number {
    const id = this.#nextProducerId++;
    void this.#save();
    return id;
  }

  /**
   * Periodic log maintenance: retention for cleanup.policy=delete topics, compaction for
   * cleanup.policy=compact topics (both when the policy lists both).
   */
  async maintain(): Promise<void> {
    for (const t of [...this.topics.values()]) {
      const policy = (t.configs['cleanup.policy'] ?? 'delete').split(',').map((x) => x.trim());
      const deleteRetentionMs = Number(
        t.configs['delete.retention.ms'] ?? TOPIC_CONFIGS['delete.retention.ms']!.default,
      );
      for (const p of t.partitions) {
        try {
          if (policy.includes('compact')) {
            const r = await p.log.compact({ deleteRetentionMs });
            if (r.removedRecords > 0)
              this.opts.log('info', `compaction removed ${r.removedRecords} records from ${t.name}-${p.index}`);
          }
          if (policy.includes('delete')) {
            const r = await p.log.applyRetention();
            if (r.deletedUnits > 0)
              this.opts.log('info', `retention removed ${r.deletedBytes} bytes from ${t.name}-${p.index}`);
          }
        } catch (e) {
          if (this.#closed) return;
          this.opts.log('warn', `log maintenance of ${t.name}-${p.index} failed: ${(e as Error).message}`);
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#save().catch(() => undefined);
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        p.notifyAppend();
        await p.log.close().catch(() => undefined);
      }
    }
  }
}
