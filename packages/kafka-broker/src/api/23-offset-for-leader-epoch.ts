// OffsetForLeaderEpoch (key 23), versions 2-4.
// v2: currentLeaderEpoch, throttleTimeMs. v3: replicaId. v4: flexible.
// Every partition has had one leader epoch, 0, since it was created, so any requested epoch >= 0
// ends at the high watermark; epochs above the current one answer UNKNOWN_LEADER_EPOCH... as the
// client asked for a future epoch, which Kafka answers with epoch -1 / offset -1.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 23;
export const minVersion = 2;
export const maxVersion = 4;

export function handle(req: RequestBody<23>, ctx: RequestContext) {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => {
      const topic = ctx.broker.cluster.topics.get(t.topic);
      return {
        topic: t.topic,
        partitions: t.partitions.map((lp) => {
          const p = topic?.partitions[lp.partition];
          if (!p)
            return {
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              partition: lp.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          if (lp.currentLeaderEpoch > 0)
            return {
              errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH,
              partition: lp.partition,
              leaderEpoch: -1,
              endOffset: -1n,
            };
          if (lp.leaderEpoch > 0)
            return { errorCode: ErrorCode.NONE, partition: lp.partition, leaderEpoch: -1, endOffset: -1n };
          return {
            errorCode: ErrorCode.NONE,
            partition: lp.partition,
            leaderEpoch: 0,
            endOffset: BigInt(p.log.highWatermark),
          };
        }),
      };
    }),
  };
}
