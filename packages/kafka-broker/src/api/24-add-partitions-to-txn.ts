// AddPartitionsToTxn (key 24), versions 0-5.
// v0-3 (clients): one transaction, V3AndBelow* fields, results by topic. v1: same layout. v2:
// PRODUCER_FENCED where v0-1 get INVALID_PRODUCER_EPOCH (KIP-588). v3: flexible. v4+ (KIP-890,
// brokers verifying for the partition leader): several transactions per request, verifyOnly to ask
// whether the partitions are in the transaction (TRANSACTION_ABORTABLE when not, as Kafka 4.1 answers
// both v4 and v5), results by transaction,
// a top-level errorCode. v5: same layout. Per partition: UNKNOWN_TOPIC_OR_PARTITION for a partition
// that does not exist (the others OPERATION_NOT_ATTEMPTED, nothing added), CONCURRENT_TRANSACTIONS
// while a transaction ends, INVALID_PRODUCER_ID_MAPPING for an unknown id or producer id.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { PartitionRef } from '../txn/coordinator.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 24;
export const minVersion = 0;
export const maxVersion = 5;

type Topics = ReadonlyArray<{ name: string; partitions: number[] }>;

async function add(
  ctx: RequestContext,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  topics: Topics,
  verifyOnly: boolean,
) {
  const refs: PartitionRef[] = topics.map((t) => ({ topic: t.name, partitions: t.partitions }));
  const codes = await ctx.broker.txns.addPartitions(transactionalId, Number(producerId), epoch, refs, verifyOnly);
  const oldFenced = ctx.version < 2;
  return [...codes].map(([name, pm]) => ({
    name,
    resultsByPartition: [...pm].map(([partitionIndex, code]) => ({
      partitionIndex,
      partitionErrorCode: oldFenced && code === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : code,
    })),
  }));
}

export async function handle(req: RequestBody<24>, ctx: RequestContext) {
  if (ctx.version <= 3) {
    const resultsByTopicV3AndBelow = await add(
      ctx,
      req.v3AndBelowTransactionalId,
      req.v3AndBelowProducerId,
      req.v3AndBelowProducerEpoch,
      req.v3AndBelowTopics,
      false,
    );
    return { throttleTimeMs: 0, resultsByTopicV3AndBelow };
  }
  const resultsByTransaction = await Promise.all(
    req.transactions.map(async (t) => ({
      transactionalId: t.transactionalId,
      topicResults: await add(ctx, t.transactionalId, t.producerId, t.producerEpoch, t.topics, t.verifyOnly),
    })),
  );
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
}
