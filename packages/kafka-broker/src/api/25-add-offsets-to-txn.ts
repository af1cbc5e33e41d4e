// AddOffsetsToTxn (key 25), versions 0-4.
// v0-1: transactionalId, producerId/epoch, groupId. v2: PRODUCER_FENCED where v0-1 get
// INVALID_PRODUCER_EPOCH (KIP-588). v3: flexible. v4: same layout (KIP-890 error codes).
// The group's __consumer_offsets partition joins the transaction (DescribeTransactions lists it);
// TxnOffsetCommit for the group is accepted from then on until the transaction ends.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { offsetsPartitionFor } from '../group/offset-store.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 25;
export const minVersion = 0;
export const maxVersion = 4;

export async function handle(req: RequestBody<25>, ctx: RequestContext) {
  if (req.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
  const code = await ctx.broker.txns.addOffsets(
    req.transactionalId,
    Number(req.producerId),
    req.producerEpoch,
    req.groupId,
    offsetsPartitionFor(req.groupId),
  );
  const errorCode = code === ErrorCode.PRODUCER_FENCED && ctx.version < 2 ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
  return { throttleTimeMs: 0, errorCode };
}
