// The Kafka verifier: reads a topic from its start to the end offsets taken when it begins (kafkajs
// consumer, a fresh group) and counts records, distinct values (by SHA-1 of the value), missing
// (expected - distinct) and duplicated (records - distinct). Every generated AIS payload carries its
// vessel and its own nanosecond timestamp, so equal values mean the same message delivered twice.
import { createHash } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { BenchError } from './errors.ts';

export interface Verification {
  topic: string;
  partitions: number;
  records: number;
  distinct: number;
  expected: number;
  missing: number;
  duplicated: number;
  bytes: number;
  seconds: number;
}

export async function verifyTopic(
  brokers: string[],
  topic: string,
  expected: number,
  timeoutMs = 120_000,
  /** Count records only (for payloads that are not unique, e.g. kafka-producer-perf-test's). */
  byCount = false,
): Promise<Verification> {
  const t0 = performance.now();
  const kafka = new Kafka({ clientId: 'seaway-bench-verify', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const remaining = new Map<number, number>();
  for (const e of ends) if (Number(e.high) > Number(e.low)) remaining.set(e.partition, Number(e.high));
  const seen = new Map<string, number>();
  let records = 0;
  let bytes = 0;
  if (remaining.size > 0) {
    const consumer = kafka.consumer({
      groupId: `seaway-bench-verify-${process.pid}-${Date.now()}`,
      maxBytes: 16 * 1024 * 1024,
      maxBytesPerPartition: 4 * 1024 * 1024,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let finish!: () => void;
      const done = new Promise<void>((r) => {
        finish = r;
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = remaining.get(batch.partition);
          if (high === undefined) return;
          for (const m of batch.messages) {
            if (Number(m.offset) >= high) break;
            records++;
            const v = m.value ?? Buffer.alloc(0);
            bytes += v.length;
            if (!byCount) {
              const h = createHash('sha1').update(v).digest('base64');
              seen.set(h, (seen.get(h) ?? 0) + 1);
            }
          }
          const last = batch.messages.at(-1);
          if (last && Number(last.offset) + 1 >= high) {
            remaining.delete(batch.partition);
            if (remaining.size === 0) finish();
          }
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BenchError(
                'SEAWAY_BENCH_VERIFY',
                `reading ${topic} back did not reach the end offsets in ${timeoutMs} ms (${records} records read)`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      await consumer.disconnect();
    }
  }
  const distinct = byCount ? Math.min(records, expected) : seen.size;
  return {
    topic,
    partitions: ends.length,
    records,
    distinct,
    expected,
    missing: Math.max(0, expected - distinct),
    duplicated: records - distinct,
    bytes,
    seconds: Math.round((performance.now() - t0) / 10) / 100,
  };
}

export async function createTopic(
  brokers: string[],
  topic: string,
  partitions: number,
  replicationFactor = 1,
): Promise<void> {
  const kafka = new Kafka({ clientId: 'seaway-bench-admin', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
