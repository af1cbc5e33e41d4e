// DescribeTransactions (key 65), version 0 (flexible; KIP-664, kafka-transactions describe).
// Per transactional id: its state (Kafka's names: Empty, Ongoing, PrepareCommit, PrepareAbort,
// CompleteCommit, CompleteAbort), timeout, start time of the current or last transaction (-1 before
// the first and after InitProducerId, as Kafka keeps it),
// producer id and epoch, and the partitions in the transaction (a group's __consumer_offsets
// partition after AddOffsetsToTxn). Unknown id: TRANSACTIONAL_ID_NOT_FOUND.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 65;
export const minVersion = 0;
export const maxVersion = 0;

export function handle(req: RequestBody<65>, ctx: RequestContext) {
  const { txns } = ctx.broker;
  return {
    throttleTimeMs: 0,
    transactionStates: req.transactionalIds.map((transactionalId) => {
      const t = txns.txns.get(transactionalId);
      if (t === undefined) {
        return {
          errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND,
          transactionalId,
          transactionState: '',
          transactionTimeoutMs: 0,
          transactionStartTimeMs: -1n,
          producerId: -1n,
          producerEpoch: -1,
          topics: [],
        };
      }
      return {
        errorCode: ErrorCode.NONE,
        transactionalId,
        transactionState: t.state,
        transactionTimeoutMs: t.timeoutMs,
        transactionStartTimeMs: BigInt(t.startMs),
        producerId: BigInt(t.producerId),
        producerEpoch: t.producerEpoch,
        topics: [...t.partitions].map(([topic, ps]) => ({ topic, partitions: [...ps].sort((a, b) => a - b) })),
      };
    }),
  };
}
