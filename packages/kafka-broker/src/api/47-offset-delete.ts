// OffsetDelete (key 47), version 0 (kafka-consumer-groups --delete-offsets, KIP-496).
// Unknown or dead group: GROUP_ID_NOT_FOUND at the top. A partition of a topic that a member of the
// group subscribes to answers GROUP_SUBSCRIBED_TO_TOPIC (classic members: from their consumer
// protocol subscription; consumer groups: subscribed topic names); unknown partitions
// UNKNOWN_TOPIC_OR_PARTITION; the others lose their committed offset (a tombstone in __consumer_offsets).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 47;
export const minVersion = 0;
export const maxVersion = 0;

/** Topic names of a ConsumerProtocolSubscription (int16 version, int32 count, int16-length strings). */
function subscribedTopics(metadata: Buffer): string[] {
  try {
    const n = metadata.readInt32BE(2);
    const out: string[] = [];
    let p = 6;
    for (let i = 0; i < n; i++) {
      const len = metadata.readInt16BE(p);
      out.push(metadata.toString('utf8', p + 2, p + 2 + len));
      p += 2 + len;
    }
    return out;
  } catch {
    return [];
  }
}

export async function handle(req: RequestBody<47>, ctx: RequestContext) {
  const { groups, cluster } = ctx.broker;
  const classic = groups.groups.get(req.groupId);
  const consumer = groups.consumer.groups.get(req.groupId);
  if ((!classic && !consumer) || classic?.state.kind === 'Dead') {
    return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, throttleTimeMs: 0, topics: [] };
  }
  const subscribed = new Set<string>();
  for (const m of consumer?.members.values() ?? []) for (const t of m.subscribedTopicNames) subscribed.add(t);
  if (!consumer && classic?.protocolType === 'consumer') {
    for (const m of classic.members.values())
      for (const t of subscribedTopics(classic.metadataFor(m))) subscribed.add(t);
  }
  const drop: Array<{ topic: string; partition: number }> = [];
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map(({ partitionIndex }) => {
      let errorCode: number = ErrorCode.NONE;
      if (!cluster.topics.get(t.name)?.partitions[partitionIndex]) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (subscribed.has(t.name)) errorCode = ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
      else drop.push({ topic: t.name, partition: partitionIndex });
      return { partitionIndex, errorCode };
    }),
  }));
  await groups.offsets.deleteOffsets(req.groupId, drop);
  return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics };
}
