// ListOffsets (key 2), versions 1-10.
// v1: one offset per partition (timestamp -1 latest, -2 earliest, or the first offset whose timestamp
// is >= the given one). v2: isolationLevel (read_committed: latest is the last stable offset). v4:
// currentLeaderEpoch, leaderEpoch in the answer (always 0). v6: flexible. v7: timestamp -3 = the
// record with the largest timestamp (KIP-734). v8: -4 = earliest local offset (KIP-405); without
// tiered storage the local log is the whole log, so it answers as -2. v9: -5 = latest tiered offset
// (KIP-1005); nothing is tiered, so offset -1, timestamp -1, leaderEpoch -1 and no error, as Kafka
// answers for a topic without remote storage. v10: timeoutMs for remote lookups (KIP-1075), ignored:
// every answer is local. A special timestamp newer than the request's version allows (e.g. -4 in v7,
// or -6 and below in any version) answers UNSUPPORTED_VERSION for that partition. Skipped: v0.
// Authorization (SASL on): DESCRIBE on the topic, else TOPIC_AUTHORIZATION_FAILED per partition.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 2;
export const minVersion = 1;
export const maxVersion = 10;

/** The oldest special timestamp each version knows: v7 -3, v8 -4, v9+ -5. */
function lowestSpecial(version: number): number {
  return version >= 9 ? -5 : version >= 8 ? -4 : version >= 7 ? -3 : -2;
}

export async function handle(req: RequestBody<2>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const topics = [];
  for (const t of req.topics) {
    const topic = cluster.topics.get(t.name);
    const denied = !authorizeTopic(ctx, Operation.DESCRIBE, t.name);
    const partitions = [];
    for (const lp of t.partitions) {
      const out = {
        partitionIndex: lp.partitionIndex,
        errorCode: ErrorCode.NONE as number,
        timestamp: -1n,
        offset: -1n,
        leaderEpoch: -1,
      };
      partitions.push(out);
      if (denied) {
        out.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        continue;
      }
      const p = topic?.partitions[lp.partitionIndex];
      if (!p) {
        out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        continue;
      }
      if (lp.currentLeaderEpoch > 0) {
        out.errorCode = ErrorCode.UNKNOWN_LEADER_EPOCH;
        continue;
      }
      const ts = Number(lp.timestamp);
      if (ts < lowestSpecial(ctx.version)) {
        out.errorCode = ErrorCode.UNSUPPORTED_VERSION;
        continue;
      }
      if (ts === -5) continue; // nothing tiered: offset -1, timestamp -1, leaderEpoch -1
      if (ts === -1 && req.isolationLevel === 1) {
        out.offset = BigInt(p.txns.lastStableOffset(p.log.highWatermark));
        out.leaderEpoch = 0;
        continue;
      }
      const hit = await p.log.offsetForTimestamp(ts === -4 ? -2 : ts);
      out.leaderEpoch = 0;
      if (hit) {
        out.offset = BigInt(hit.offset);
        out.timestamp = BigInt(hit.timestamp);
      } else {
        // Kafka: no record that new -> offset -1, timestamp -1
        out.leaderEpoch = -1;
      }
    }
    topics.push({ name: t.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}
