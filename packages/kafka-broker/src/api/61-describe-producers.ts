// DescribeProducers (key 61), version 0 (flexible; KIP-664, kafka-transactions describe-producers).
// Per partition: the idempotent/transactional producers that appended to it since this broker
// started (their epoch, last sequence, last append time), with currentTxnStartOffset the first
// offset of the producer's open transaction there (-1 when none) and coordinatorEpoch 0 for a
// producer of a transactional id (-1 otherwise). Producers of an earlier process run are not listed
// (Kafka restores them from producer snapshots; this broker keeps producer state in memory), except
// those with a transaction still open in the partition (rebuilt from the log at start).
// Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 61;
export const minVersion = 0;
export const maxVersion = 0;

export function handle(req: RequestBody<61>, ctx: RequestContext) {
  const { cluster, txns } = ctx.broker;
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((index) => {
        const p = cluster.partition(t.name, index);
        if (p === undefined) {
          return {
            partitionIndex: index,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: null,
            activeProducers: [],
          };
        }
        const seen = new Set<number>();
        const activeProducers = [];
        for (const v of p.producers.active()) {
          seen.add(v.producerId);
          activeProducers.push({
            producerId: BigInt(v.producerId),
            producerEpoch: v.epoch,
            lastSequence: v.lastSeq,
            lastTimestamp: BigInt(v.lastTimestamp),
            coordinatorEpoch: txns.byProducerId(v.producerId) ? 0 : -1,
            currentTxnStartOffset: BigInt(p.txns.ongoing.get(v.producerId) ?? -1),
          });
        }
        for (const [producerId, first] of p.txns.ongoing) {
          if (seen.has(producerId)) continue;
          activeProducers.push({
            producerId: BigInt(producerId),
            producerEpoch: txns.byProducerId(producerId)?.producerEpoch ?? -1,
            lastSequence: -1,
            lastTimestamp: -1n,
            coordinatorEpoch: 0,
            currentTxnStartOffset: BigInt(first),
          });
        }
        return { partitionIndex: index, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
      }),
    })),
  };
}
