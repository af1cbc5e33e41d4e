// Earliest and latest offsets of many partitions in a few requests: one Metadata for the topics,
// then per leader one ListOffsets for the latest (-1) and one for the earliest (-2) offsets. The lab's
// Kafka hop polls this once a second; per-topic admin calls cost a round trip per topic.

import type { ListOffsetsRequestListOffsetsTopic } from '../messages/types.generated.ts';
import { ClientErrorCodes, KafkaClientError } from './errors.ts';
import { BrokerPool, type PoolOptions } from './pool.ts';

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** First offset still in the log. */
  low: number;
  /** Offset the next record gets (high watermark). */
  high: number;
}

const LIST_OFFSETS = 2;
const LATEST = -1n;
const EARLIEST = -2n;

export class OffsetsReader {
  private readonly pool: BrokerPool;

  constructor(o: PoolOptions) {
    this.pool = new BrokerPool({ clientId: 'seaway-offsets', ...o });
  }

  /** Offsets of every partition of the topics `include` accepts (default: all but internal ones). */
  async read(include: (topic: string) => boolean = () => true): Promise<PartitionOffsets[]> {
    const md = await this.pool.metadata(null);
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const t of md.topics) {
      if (t.errorCode !== 0 || t.isInternal || t.name === null || !include(t.name)) continue;
      for (const p of t.partitions) {
        if (p.leaderId < 0) continue;
        let topics = byLeader.get(p.leaderId);
        if (!topics) byLeader.set(p.leaderId, (topics = new Map()));
        let parts = topics.get(t.name);
        if (!parts) topics.set(t.name, (parts = []));
        parts.push(p.partitionIndex);
      }
    }
    const out: PartitionOffsets[] = [];
    await Promise.all(
      [...byLeader].map(async ([leader, topics]) => {
        const conn = await this.pool.node(leader);
        const v = conn.version(LIST_OFFSETS, 1, 7);
        const ask = (timestamp: bigint) => {
          const req: ListOffsetsRequestListOffsetsTopic[] = [];
          for (const [name, parts] of topics)
            req.push({
              name,
              partitions: parts.map((partitionIndex) => ({
                partitionIndex,
                currentLeaderEpoch: -1,
                timestamp,
                maxNumOffsets: 1,
              })),
            });
          return conn.request(LIST_OFFSETS, v, { replicaId: -1, isolationLevel: 0, topics: req, timeoutMs: 30_000 });
        };
        const [hi, lo] = await Promise.all([ask(LATEST), ask(EARLIEST)]);
        const low = new Map<string, number>();
        for (const t of lo.topics)
          for (const p of t.partitions)
            if (p.errorCode === 0) low.set(`${t.name}\0${p.partitionIndex}`, Number(p.offset));
        for (const t of hi.topics)
          for (const p of t.partitions) {
            if (p.errorCode !== 0) continue;
            const l = low.get(`${t.name}\0${p.partitionIndex}`);
            if (l === undefined) continue;
            out.push({ topic: t.name, partition: p.partitionIndex, low: l, high: Number(p.offset) });
          }
      }),
    ).catch((e: unknown) => {
      throw e instanceof KafkaClientError
        ? e
        : new KafkaClientError(ClientErrorCodes.NETWORK, `reading offsets: ${(e as Error).message}`);
    });
    return out;
  }

  close(): void {
    this.pool.close();
  }
}
