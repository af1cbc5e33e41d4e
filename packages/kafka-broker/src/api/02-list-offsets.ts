// ListOffsets (key 2), versions 1-7.
// v1: one offset per partition (timestamp -1 latest, -2 earliest, or the first offset whose timestamp
// is >= the given one). v2: isolationLevel (read_committed: latest is the last stable offset). v4:
// currentLeaderEpoch, leaderEpoch in the answer (always 0). v6: flexible. v7: timestamp -3 = the
// record with the largest timestamp (KIP-734). Skipped: -4/-5 (tiered storage, v8+), v0.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 2;
export const minVersion = 1;
export const maxVersion = 7;

export async function handle(req: RequestBody<2>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const topics = [];
  for (const t of req.topics) {
    const topic = cluster.topics.get(t.name);
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
      if (ts < -3 || (ts === -3 && ctx.version < 7)) {
        out.errorCode = ErrorCode.UNSUPPORTED_VERSION;
        continue;
      }
      if (ts === -1 && req.isolationLevel === 1) {
        out.offset = BigInt(p.txns.lastStableOffset(p.log.highWatermark));
        out.leaderEpoch = 0;
        continue;
      }
      const hit = await p.log.offsetForTimestamp(ts);
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
