// Waiting out the moment after a topic is created (or a leader moves) on a multi-broker Apache Kafka,
// through kafkajs' admin: a broker does not know the topic yet (UNKNOWN_TOPIC_OR_PARTITION), or
// metadata names a leader that does not serve the partition yet (NOT_LEADER_OR_FOLLOWER on ListOffsets).
import type { Admin } from 'kafkajs';

const LEADERSHIP = new Set(['NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION']);

export const isLeadershipError = (e: unknown): boolean =>
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

/** Resolves once metadata names a leader for every partition of the topic (after a create). */
export async function leadersOf(admin: Admin, topic: string, waitMs = 20_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const [t] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      if (t && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) return;
    } catch (e) {
      if (!isLeadershipError(e)) throw e;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader for every partition after ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
