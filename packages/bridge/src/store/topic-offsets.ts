// Low and high offsets of a topic's partitions through kafkajs' admin, waiting out the moment after a
// topic is created (or a leader moves) on a multi-broker Apache Kafka: metadata already names a leader
// that does not serve the partition yet, and ListOffsets answers NOT_LEADER_OR_FOLLOWER.
import type { Admin } from 'kafkajs';

const LEADERSHIP = new Set(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION']);

const isLeadershipError = (e: unknown): boolean =>
  LEADERSHIP.has((e as { type?: string })?.type ?? '') ||
  /not the leader|does not host this topic-partition|leader not available/i.test(String((e as Error)?.message));

export async function topicOffsets(
  admin: Admin,
  topic: string,
  waitMs = 20_000,
): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (e) {
      if (!isLeadershipError(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
      // a fresh look at who leads what before the next try
      await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    }
  }
}
