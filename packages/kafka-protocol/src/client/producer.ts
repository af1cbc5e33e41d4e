// A lean Kafka producer: one call sends a map of topic → records with acks=all and resolves once every
// partition leader acknowledged. Made for the bridge's hot path, where kafkajs cost a third of the
// lab's CPU per message.
//
// - Metadata: bootstrap brokers are tried in turn; topics are looked up (and auto-created when the
//   broker allows it) on first use, and refreshed when a produce answers with a stale-leader error.
// - Partitioning: a keyed record goes where the Java client's default partitioner puts it
//   (murmur2); records without a key go to one partition per call per topic, rotating from call to
//   call (Kafka's sticky partitioning, one batch at a time).
// - One ProduceRequest per leader per call, one uncompressed v2 batch per partition, written by
//   writeRecordBatch without per-record allocations. Retriable errors (stale leader, not enough
//   replicas, timeouts, broken connections) are retried for the failed partitions only, up to
//   `retries` times with a growing pause; then the call rejects and nothing of it counts as sent.
//   A retry can duplicate records a broker stored before failing (at-least-once, as acks=all
//   without idempotence in any Kafka client).

import { errorByCode } from '../errors.ts';
import type { ProduceRequestTopicProduceData, ProduceResponse } from '../messages/types.generated.ts';
import { ZERO_UUID } from '../primitives/uuid.ts';
import { Writer } from '../primitives/writer.ts';
import { type ProducerRecord, writeRecordBatch } from '../records/batch-writer.ts';
import { ClientErrorCodes, KafkaClientError } from './errors.ts';
import { partitionForKey } from './murmur2.ts';
import { BrokerPool } from './pool.ts';
import type { KafkaTransport, OpenTransport } from './transport.ts';

export interface ProducerOptions {
  /** host:port pairs to bootstrap from. */
  brokers: readonly string[];
  clientId?: string;
  /** Produce request timeout given to the broker, and the client's wait per request (+5 s). */
  requestTimeoutMs?: number;
  retries?: number;
  /** Ask the broker to create unknown topics (it still decides: auto.create.topics.enable). */
  allowAutoTopicCreation?: boolean;
  /** How to reach a broker; TCP (KafkaConnection.open) unless given, e.g. an embedded broker's in-process transport. */
  transport?: OpenTransport;
}

export interface TopicMeta {
  partitions: number;
  /** Leader node id per partition (-1 when there is none). */
  leaders: Int32Array;
  /** Next partition for records without a key. */
  next: number;
}

const PRODUCE = 0;
export const LEADER_ERRORS = new Set([3, 5, 6, 9, 74, 75]);

export class KafkaProducer {
  protected readonly timeoutMs: number;
  private readonly retries: number;
  protected readonly pool: BrokerPool;
  protected readonly topics = new Map<string, TopicMeta>();
  protected readonly writer = new Writer(64 * 1024);
  protected closed = false;

  constructor(protected readonly o: ProducerOptions) {
    this.timeoutMs = o.requestTimeoutMs ?? 30_000;
    this.retries = o.retries ?? 5;
    this.pool = new BrokerPool({
      brokers: o.brokers,
      clientId: o.clientId ?? 'seaway-producer',
      requestTimeoutMs: this.timeoutMs + 5000,
      ...(o.transport ? { transport: o.transport } : {}),
    });
  }

  /** Connects to a bootstrap broker (fails fast when none answers). */
  async connect(): Promise<void> {
    await this.pool.any();
  }

  /** Writes every record of `byTopic`; resolves when all are acknowledged by their leaders (acks=all). */
  async send(byTopic: ReadonlyMap<string, readonly ProducerRecord[]>): Promise<void> {
    let todo = new Map<string, Map<number, ProducerRecord[]>>();
    for (const [topic, records] of byTopic) {
      if (records.length === 0) continue;
      const meta = this.topics.get(topic) ?? (await this.lookup([topic])).get(topic);
      if (!meta) throw new KafkaClientError(ClientErrorCodes.METADATA, `no metadata for topic ${topic}`);
      todo.set(topic, this.partition(meta, records));
    }
    for (let attempt = 0; ; attempt++) {
      const failed = await this.produceOnce(todo);
      if (failed.size === 0) return;
      const errors = [...failed.values()];
      const err = errors.find((e) => !e.retriable) ?? (errors[0] as KafkaClientError);
      if (!err.retriable || attempt >= this.retries || this.closed) throw err;
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
      const retry = new Map<string, Map<number, ProducerRecord[]>>();
      for (const key of failed.keys()) {
        const [topic, p] = splitKey(key);
        const records = todo.get(topic)?.get(p);
        if (!records) continue;
        let m = retry.get(topic);
        if (!m) retry.set(topic, (m = new Map()));
        m.set(p, records);
      }
      await this.lookup([...retry.keys()]).catch(() => {});
      todo = retry;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pool.close();
  }

  // ---- internals ----

  protected partition(meta: TopicMeta, records: readonly ProducerRecord[]): Map<number, ProducerRecord[]> {
    const out = new Map<number, ProducerRecord[]>();
    const sticky = meta.next;
    meta.next = (meta.next + 1) % meta.partitions;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as ProducerRecord;
      const p = r.key === null ? sticky : partitionForKey(r.key, meta.partitions);
      let list = out.get(p);
      if (!list) out.set(p, (list = []));
      list.push(r);
    }
    return out;
  }

  /** One round: a request per leader. Returns the failures per "topic\0partition". */
  private async produceOnce(todo: Map<string, Map<number, ProducerRecord[]>>): Promise<Map<string, KafkaClientError>> {
    const failed = new Map<string, KafkaClientError>();
    const byLeader = new Map<number, Map<string, Map<number, ProducerRecord[]>>>();
    for (const [topic, parts] of todo) {
      const meta = this.topics.get(topic);
      for (const [p, records] of parts) {
        const leader = meta && p < meta.partitions ? (meta.leaders[p] as number) : -1;
        if (leader < 0 || !this.pool.nodes.has(leader)) {
          failed.set(
            key(topic, p),
            new KafkaClientError(ClientErrorCodes.PRODUCE, `${topic}-${p} has no leader`, 'LEADER_NOT_AVAILABLE', true),
          );
          continue;
        }
        let t = byLeader.get(leader);
        if (!t) byLeader.set(leader, (t = new Map()));
        let m = t.get(topic);
        if (!m) t.set(topic, (m = new Map()));
        m.set(p, records);
      }
    }
    // Connections first; then, with no await in between, each leader's batches are written into the
    // shared writer and copied into its request frame, so concurrent sends never share the writer.
    const leaders = [...byLeader.keys()];
    const conns = await Promise.all(
      leaders.map((l) => this.pool.node(l).catch((e: unknown) => asClientError(e, `broker ${l}`))),
    );
    const calls: Promise<void>[] = [];
    const now = Date.now();
    this.writer.reset();
    for (let i = 0; i < leaders.length; i++) {
      const topics = byLeader.get(leaders[i] as number) as Map<string, Map<number, ProducerRecord[]>>;
      const conn = conns[i] as KafkaTransport | KafkaClientError;
      if (conn instanceof KafkaClientError) {
        for (const [topic, parts] of topics) for (const p of parts.keys()) failed.set(key(topic, p), conn);
        continue;
      }
      const topicData: ProduceRequestTopicProduceData[] = [];
      for (const [topic, parts] of topics) {
        const partitionData = [];
        for (const [p, records] of parts) {
          const start = writeRecordBatch(this.writer, records, now);
          partitionData.push({ index: p, records: this.writer.buf.subarray(start, this.writer.pos) });
        }
        topicData.push({ name: topic, topicId: ZERO_UUID, partitionData }); // by name: Produce v3-11
      }
      calls.push(this.produceTo(conn, topicData, failed));
    }
    this.writer.shrink(16 * 1024 * 1024, 64 * 1024);
    await Promise.all(calls);
    return failed;
  }

  private async produceTo(
    conn: KafkaTransport,
    topicData: ProduceRequestTopicProduceData[],
    failed: Map<string, KafkaClientError>,
  ): Promise<void> {
    let res: ProduceResponse;
    try {
      const v = conn.version(PRODUCE, 3, 11);
      // request() encodes the frame (copying the records) before it returns
      res = await conn.request(PRODUCE, v, { transactionalId: null, acks: -1, timeoutMs: this.timeoutMs, topicData });
    } catch (e) {
      const err = asClientError(e, conn.address);
      for (const t of topicData) for (const pd of t.partitionData) failed.set(key(t.name, pd.index), err);
      return;
    }
    for (const t of res.responses) {
      for (const pr of t.partitionResponses) {
        if (pr.errorCode === 0) continue;
        const e = errorByCode(pr.errorCode);
        if (LEADER_ERRORS.has(e.code)) this.topics.delete(t.name);
        failed.set(
          key(t.name, pr.index),
          new KafkaClientError(
            ClientErrorCodes.PRODUCE,
            `Kafka refused records for ${t.name}-${pr.index}: ${e.name}${pr.errorMessage ? ` (${pr.errorMessage})` : ''}: ${e.message}`,
            e.name,
            e.retriable,
          ),
        );
      }
    }
  }

  /** Fetches metadata for `names`; waits while freshly created topics have no leader yet. */
  protected async lookup(names: string[]): Promise<Map<string, TopicMeta>> {
    const found = new Map<string, TopicMeta>();
    const deadline = Date.now() + this.timeoutMs;
    let want = names;
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      const res = await this.pool.metadata(want, this.o.allowAutoTopicCreation ?? true);
      const waiting: string[] = [];
      let lastError = '';
      for (const t of res.topics) {
        const name = t.name ?? '';
        const leaders = new Int32Array(t.partitions.length).fill(-1);
        for (const p of t.partitions) if (p.partitionIndex < leaders.length) leaders[p.partitionIndex] = p.leaderId;
        const ready = t.errorCode === 0 && t.partitions.length > 0 && leaders.every((l) => l >= 0);
        if (ready) {
          const meta: TopicMeta = {
            partitions: leaders.length,
            leaders,
            next: this.topics.get(name)?.next ?? Math.floor(Math.random() * leaders.length),
          };
          if (meta.next >= meta.partitions) meta.next = 0;
          this.topics.set(name, meta);
          found.set(name, meta);
          continue;
        }
        const e = errorByCode(t.errorCode);
        lastError = `${name}: ${t.errorCode === 0 ? 'a partition has no leader' : `${e.name}: ${e.message}`}`;
        if (t.errorCode !== 0 && !e.retriable)
          throw new KafkaClientError(ClientErrorCodes.METADATA, `no metadata for topic ${lastError}`, e.name, false);
        waiting.push(name);
      }
      if (waiting.length === 0) return found;
      if (Date.now() + pause > deadline)
        throw new KafkaClientError(
          ClientErrorCodes.METADATA,
          `topic ${waiting.join(', ')} has no leader after ${this.timeoutMs} ms (${lastError})`,
          undefined,
          true,
        );
      await new Promise((r) => setTimeout(r, pause));
      want = waiting;
    }
  }
}

const key = (topic: string, p: number) => `${topic}\0${p}`;
function splitKey(k: string): [string, number] {
  const i = k.lastIndexOf('\0');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

function asClientError(e: unknown, where: string): KafkaClientError {
  if (e instanceof KafkaClientError) return e;
  return new KafkaClientError(ClientErrorCodes.NETWORK, `produce to ${where}: ${(e as Error).message}`);
}
