// WriteTxnMarkers (key 27), versions 0-1 (v1: flexible).
// Kafka's coordinators send it to partition leaders; clients send it through Admin.abortTransaction
// (kafka-transactions abort, for a hanging transaction). Each marker appends a COMMIT
// (transactionResult true) or ABORT control batch with the given producer id and epoch to each
// listed partition in which that producer has a transaction open, closing it there (the LSO moves
// on; an ABORT joins the aborted list read_committed fetches get). A partition where the producer
// has nothing open answers NONE and is left alone. Unknown partitions: UNKNOWN_TOPIC_OR_PARTITION;
// internal topics: INVALID_TOPIC_EXCEPTION.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { writeMarker } from '../txn/partition-txns.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 27;
export const minVersion = 0;
export const maxVersion = 1;

export async function handle(req: RequestBody<27>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const markers = [];
  for (const m of req.markers) {
    const topics = [];
    for (const t of m.topics) {
      const topic = cluster.topics.get(t.name);
      const partitions = await Promise.all(
        t.partitionIndexes.map(async (partitionIndex) => {
          const p = topic?.partitions[partitionIndex];
          if (p === undefined) return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (topic?.internal) return { partitionIndex, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION };
          await writeMarker(p, Number(m.producerId), m.producerEpoch, m.transactionResult, m.coordinatorEpoch);
          return { partitionIndex, errorCode: ErrorCode.NONE };
        }),
      );
      topics.push({ name: t.name, partitions });
    }
    markers.push({ producerId: m.producerId, topics });
  }
  return { markers };
}
