// Topic admin calls sent with @seaway/kafka-protocol's client on the lab's own Kafka path (the
// embedded broker's in-process transport, or TCP to KAFKA_BROKERS), so the broker's own error
// message reaches the user:
// - IncrementalAlterConfigs (key 44, v0-1): SET and DELETE of single topic configs, validated by the
//   broker (kafkajs only has AlterConfigs, which replaces every dynamic config of the topic at once).
// - DescribeLogDirs (key 35, v1-4): bytes on disk per partition, asked of every broker; a partition's
//   size is its leader's copy (future replicas of a move between directories are left out).
// - CreatePartitions (key 37, v0-3) to any broker (KRaft brokers forward to the controller).
// - DeleteRecords (key 21, v0-2) to each partition's leader; offset -1 means the high watermark.
import { BrokerPool, errorByCode, KafkaClientError, type PoolOptions } from '@seaway/kafka-protocol';
import { ConsoleApiError } from './errors.ts';

const INCREMENTAL_ALTER_CONFIGS = 44;
const DESCRIBE_LOG_DIRS = 35;
const CREATE_PARTITIONS = 37;
const DELETE_RECORDS = 21;
const TOPIC_RESOURCE = 2;
const OP_SET = 0;
const OP_DELETE = 1;

export interface ConfigChange {
  /** Configs to set, name → value. */
  set: Record<string, string>;
  /** Configs to return to the broker default. */
  delete: string[];
  validateOnly: boolean;
}

export class WireAdmin {
  private pool: BrokerPool | null = null;

  constructor(private readonly options: () => PoolOptions | null) {}

  private get(): BrokerPool {
    if (!this.pool) {
      const o = this.options();
      if (!o) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_KAFKA_UNAVAILABLE',
          'the lab gave the console no Kafka address for config changes and sizes; start it through startLab',
        );
      }
      this.pool = new BrokerPool({ clientId: 'seaway-console-admin', requestTimeoutMs: 15_000, ...o });
    }
    return this.pool;
  }

  /** Runs fn on the pool; a network failure drops the pool so the next call reconnects. */
  private async use<T>(fn: (pool: BrokerPool) => Promise<T>): Promise<T> {
    const pool = this.get();
    try {
      return await fn(pool);
    } catch (e) {
      if (e instanceof KafkaClientError && !e.kafkaError) {
        pool.close();
        if (this.pool === pool) this.pool = null;
      }
      throw e;
    }
  }

  /** Changes topic configs; the broker's refusal becomes SEAWAY_CONSOLE_CONFIG_INVALID with its message. */
  alterTopicConfigs(topic: string, change: ConfigChange): Promise<void> {
    const configs = [
      ...Object.entries(change.set).map(([name, value]) => ({ name, configOperation: OP_SET, value })),
      ...change.delete.map((name) => ({ name, configOperation: OP_DELETE, value: null })),
    ];
    return this.use(async (pool) => {
      const conn = await pool.any();
      const v = conn.version(INCREMENTAL_ALTER_CONFIGS, 0, 1);
      const res = await conn.request(INCREMENTAL_ALTER_CONFIGS, v, {
        resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configs }],
        validateOnly: change.validateOnly,
      });
      const r = res.responses[0];
      if (r && r.errorCode !== 0) {
        const err = errorByCode(r.errorCode);
        if (err.name === 'UNKNOWN_TOPIC_OR_PARTITION') {
          throw new ConsoleApiError('SEAWAY_CONSOLE_TOPIC_NOT_FOUND', `topic "${topic}" does not exist`);
        }
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_CONFIG_INVALID',
          `Kafka refused the change (${err.name}): ${r.errorMessage ?? err.message}`,
        );
      }
    });
  }

  /**
   * Bytes on disk per partition of each topic ("topic" → partition → bytes), from the leaders.
   * `topics` null asks for every topic.
   */
  topicSizes(topics: string[] | null): Promise<Map<string, Map<number, number>>> {
    return this.use(async (pool) => {
      const md = await pool.metadata(topics);
      const leaderOf = new Map<string, number>();
      for (const t of md.topics) {
        if (t.name === null) continue;
        for (const p of t.partitions) leaderOf.set(`${t.name}\0${p.partitionIndex}`, p.leaderId);
      }
      const out = new Map<string, Map<number, number>>();
      await Promise.all(
        md.brokers.map(async (b) => {
          const conn = await pool.node(b.nodeId);
          const v = conn.version(DESCRIBE_LOG_DIRS, 1, 4);
          const res = await conn.request(DESCRIBE_LOG_DIRS, v, {
            topics: topics === null ? null : topics.map((topic) => ({ topic, partitions: partitionsOf(md, topic) })),
          });
          for (const dir of res.results) {
            if (dir.errorCode !== 0) continue;
            for (const t of dir.topics) {
              for (const p of t.partitions) {
                if (p.isFutureKey || leaderOf.get(`${t.name}\0${p.partitionIndex}`) !== b.nodeId) continue;
                let m = out.get(t.name);
                if (!m) out.set(t.name, (m = new Map()));
                m.set(p.partitionIndex, Number(p.partitionSize));
              }
            }
          }
        }),
      );
      return out;
    });
  }

  /** Grows the topic to `count` partitions; Kafka's refusal becomes SEAWAY_CONSOLE_KAFKA_REFUSED. */
  createPartitions(topic: string, count: number): Promise<void> {
    return this.use(async (pool) => {
      const conn = await pool.any();
      const v = conn.version(CREATE_PARTITIONS, 0, 3);
      const res = await conn.request(CREATE_PARTITIONS, v, {
        topics: [{ name: topic, count, assignments: null }],
        timeoutMs: 15_000,
        validateOnly: false,
      });
      const r = res.results[0];
      if (r && r.errorCode !== 0) throw refused(topic, r.errorCode, r.errorMessage);
      // Apache Kafka answers before the new partitions have leaders; reads of the topic fail until
      // they do (kafkajs' offsets call with LEADER_NOT_AVAILABLE), so wait for them like
      // createTopics' waitForLeaders does, up to 10 s.
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const md = await pool.metadata([topic]);
        const t = md.topics.find((x) => x.name === topic);
        if (t && t.partitions.length >= count && t.partitions.every((p) => p.leaderId >= 0)) return;
        await new Promise((done) => setTimeout(done, 100));
      }
    });
  }

  /**
   * Deletes the records before `offsets` (partition → offset, -1 for the high watermark) on each
   * partition's leader; answers the new log start offset of each partition.
   */
  deleteRecords(topic: string, offsets: Map<number, bigint>): Promise<Map<number, number>> {
    return this.use(async (pool) => {
      const md = await pool.metadata([topic]);
      const t = md.topics.find((x) => x.name === topic);
      if (!t) throw refused(topic, 3, null);
      if (t.errorCode !== 0) throw refused(topic, t.errorCode, null);
      const byLeader = new Map<number, { partitionIndex: number; offset: bigint }[]>();
      for (const [partitionIndex, offset] of offsets) {
        const p = t.partitions.find((x) => x.partitionIndex === partitionIndex);
        if (!p)
          throw new ConsoleApiError(
            'SEAWAY_CONSOLE_PARTITION_NOT_FOUND',
            `topic "${topic}" has no partition ${partitionIndex}`,
          );
        let list = byLeader.get(p.leaderId);
        if (!list) byLeader.set(p.leaderId, (list = []));
        list.push({ partitionIndex, offset });
      }
      const lows = new Map<number, number>();
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          const conn = await pool.node(leader);
          const v = conn.version(DELETE_RECORDS, 0, 2);
          const res = await conn.request(DELETE_RECORDS, v, {
            topics: [{ name: topic, partitions }],
            timeoutMs: 15_000,
          });
          for (const rt of res.topics)
            for (const rp of rt.partitions) {
              if (rp.errorCode !== 0) throw refused(topic, rp.errorCode, `partition ${rp.partitionIndex}`);
              lows.set(rp.partitionIndex, Number(rp.lowWatermark));
            }
        }),
      );
      return lows;
    });
  }

  close(): void {
    this.pool?.close();
    this.pool = null;
  }
}

function partitionsOf(md: Awaited<ReturnType<BrokerPool['metadata']>>, topic: string): number[] {
  return md.topics.find((t) => t.name === topic)?.partitions.map((p) => p.partitionIndex) ?? [];
}

function refused(topic: string, code: number, message: string | null): ConsoleApiError {
  const err = errorByCode(code);
  if (err.name === 'UNKNOWN_TOPIC_OR_PARTITION' && message === null) {
    return new ConsoleApiError('SEAWAY_CONSOLE_TOPIC_NOT_FOUND', `topic "${topic}" does not exist`);
  }
  return new ConsoleApiError(
    'SEAWAY_CONSOLE_KAFKA_REFUSED',
    `Kafka refused it (${err.name}): ${message ? `${message}. ` : ''}${err.message}`,
  );
}
