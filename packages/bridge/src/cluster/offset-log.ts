// The offsets topic of a cluster (offset.storage.topic, default connect-offsets), as Kafka Connect
// keeps source offsets: key = JSON [connector, partition] (e.g. ["mqtt",{"mqtt.topic":"a/b"}]),
// value = the offset as JSON, null = the partition's offset removed; compacted, 25 partitions
// (offset.storage.partitions), records spread by the key's murmur2 hash (kafkajs' default
// partitioner, the one Connect's producer uses). Every worker follows the topic (the herder's
// TopicTail hands the records to handle()), so GET /connectors/<name>/offsets answers the same on
// every worker; read() first reads the topic to its current end.
import type { Kafka, Producer } from 'kafkajs';
import type { ConnectorOffset, OffsetBackingStore } from '../runtime/worker.ts';

export class OffsetLog implements OffsetBackingStore {
  /** connector → JSON of the partition → entry */
  private readonly committed = new Map<string, Map<string, ConnectorOffset>>();
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    private readonly catchUp: () => Promise<void>,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 5 } });
    await this.producer.connect();
  }

  /** One record of the topic (from the tail). */
  handle(key: string, value: Buffer | null, offset: bigint): void {
    let k: unknown;
    try {
      k = JSON.parse(key);
    } catch {
      k = undefined;
    }
    if (!Array.isArray(k) || typeof k[0] !== 'string' || k[1] === null || typeof k[1] !== 'object') {
      this.log(
        `cluster: ${this.topic} offset ${offset}: key ${JSON.stringify(key)} is not [connector, partition]; skipped`,
      );
      return;
    }
    const [name, partition] = k as [string, Record<string, unknown>];
    const pkey = JSON.stringify(partition);
    let m = this.committed.get(name);
    if (value === null) {
      m?.delete(pkey);
      return;
    }
    let v: unknown;
    try {
      v = JSON.parse(value.toString());
    } catch {
      this.log(`cluster: ${this.topic} offset ${offset}: the value for ${key} is not JSON; skipped`);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (!m) this.committed.set(name, (m = new Map()));
    m.set(pkey, { partition, offset: v as Record<string, unknown> });
  }

  /** Writes the entries in one batch (acks=all) and waits for Kafka; offset null writes a tombstone. */
  async write(name: string, entries: readonly ConnectorOffset[]): Promise<void> {
    if (entries.length === 0) return;
    if (!this.producer) throw new Error(`the offsets topic ${this.topic} is not open yet`);
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: entries.map((e) => ({
        key: JSON.stringify([name, e.partition]),
        value: e.offset === null ? null : JSON.stringify(e.offset),
      })),
    });
  }

  /** Every committed entry of the connector, after reading the topic to its end. */
  async read(name: string): Promise<ConnectorOffset[]> {
    await this.catchUp();
    return [...(this.committed.get(name)?.values() ?? [])];
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => {});
  }
}
