// DeleteRecords (key 21), versions 0-2.
// v1: same layout. v2: flexible. Moves the log start offset forward; offset -1 means the high
// watermark. Offsets beyond the high watermark answer OFFSET_OUT_OF_RANGE. A topic whose
// cleanup.policy lacks "delete" (compact alone) answers POLICY_VIOLATION before the offset is looked
// at, as Kafka's Partition.deleteRecordsOnLeader does ("Records of partition ... can not be deleted
// due to the configured policy"); compact,delete topics may be cut.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 21;
export const minVersion = 0;
export const maxVersion = 2;

/** Whether a cleanup.policy list (default delete) includes delete. */
function deletePolicy(policy: string | undefined): boolean {
  return (policy ?? 'delete').split(',').some((x) => x.trim().toLowerCase() === 'delete');
}

export async function handle(req: RequestBody<21>, ctx: RequestContext) {
  const topics = [];
  for (const t of req.topics) {
    const topic = ctx.broker.cluster.topics.get(t.name);
    const partitions = [];
    for (const dp of t.partitions) {
      const p = topic?.partitions[dp.partitionIndex];
      if (!p) {
        partitions.push({
          partitionIndex: dp.partitionIndex,
          lowWatermark: -1n,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        });
        continue;
      }
      if (!deletePolicy(topic.configs['cleanup.policy'])) {
        partitions.push({
          partitionIndex: dp.partitionIndex,
          lowWatermark: -1n,
          errorCode: ErrorCode.POLICY_VIOLATION,
        });
        continue;
      }
      const hw = p.log.highWatermark;
      const target = dp.offset === -1n ? hw : Number(dp.offset);
      if (target < 0 || target > hw) {
        partitions.push({
          partitionIndex: dp.partitionIndex,
          lowWatermark: -1n,
          errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
        });
        continue;
      }
      const low = await p.log.deleteRecordsBefore(target);
      partitions.push({ partitionIndex: dp.partitionIndex, lowWatermark: BigInt(low), errorCode: ErrorCode.NONE });
    }
    topics.push({ name: t.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}
