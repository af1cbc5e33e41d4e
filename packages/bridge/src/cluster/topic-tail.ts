// Every worker of a cluster reads the config and status topics from the beginning and keeps
// following them, as Kafka Connect's KafkaBasedLog does: configs tell each worker what the leader
// stored (connectors, target states, restart requests), statuses what the other workers run.
// kafkajs consumer in a group of its own (a random id per process: every worker reads everything);
// catchUp() waits until everything up to the topics' current end offsets has been handled.
import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { topicOffsets } from '../store/topic-offsets.ts';

export interface TailRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer | null;
  headers: Record<string, string>;
}

export class TopicTail {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  /** Next offset to handle, per "topic/partition". */
  private readonly next = new Map<string, bigint>();
  private waiters: Array<() => void> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
    private readonly handle: (r: TailRecord) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    const consumer = this.kafka.consumer({
      groupId: `seaway-connect-tail-${randomBytes(6).toString('hex')}`,
      sessionTimeout: 30_000,
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, heartbeat }) => {
        for (const m of batch.messages) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = String(v);
          await this.handle({
            topic: batch.topic,
            partition: batch.partition,
            offset: BigInt(m.offset),
            key: m.key?.toString() ?? '',
            value: m.value,
            headers,
          });
          this.next.set(`${batch.topic}/${batch.partition}`, BigInt(m.offset) + 1n);
        }
        await heartbeat();
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      },
    });
  }

  /** Resolves once every record below the topics' end offsets (as of now) has been handled. */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const admin = this.admin;
    if (!admin) throw new Error('the topic tail is not started');
    const ends: Array<[string, bigint, bigint]> = [];
    for (const topic of this.topics) {
      for (const p of await topicOffsets(admin, topic))
        ends.push([`${topic}/${p.partition}`, BigInt(p.low), BigInt(p.high)]);
    }
    const done = () => ends.every(([k, low, high]) => high <= low || (this.next.get(k) ?? -1n) >= high);
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`the worker did not read ${this.topics.join(', ')} to their end within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }
}
