// EndTxn (key 26), versions 0-5.
// v0-1: transactionalId, producerId/epoch, committed. v2: PRODUCER_FENCED where v0-1 get
// INVALID_PRODUCER_EPOCH (KIP-588). v3: flexible. v4: same layout (KIP-890 error codes). v5
// (transaction.version 2, KIP-890 part 2): the coordinator bumps the epoch at every commit or abort and
// the response carries the producer id and epoch to use next. The commit or abort is complete (markers written, group offsets committed)
// when the answer leaves; a retried EndTxn of a completed transaction answers NONE.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 26;
export const minVersion = 0;
export const maxVersion = 5;

export async function handle(req: RequestBody<26>, ctx: RequestContext) {
  const { txns } = ctx.broker;
  const code = await txns.endTxn(
    req.transactionalId,
    Number(req.producerId),
    req.producerEpoch,
    req.committed,
    ctx.version >= 5,
  );
  const errorCode = code === ErrorCode.PRODUCER_FENCED && ctx.version < 2 ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
  const txn = txns.txns.get(req.transactionalId);
  return {
    throttleTimeMs: 0,
    errorCode,
    producerId: BigInt(txn?.producerId ?? -1),
    producerEpoch: txn?.producerEpoch ?? -1,
  };
}
