// InitProducerId (key 22), versions 0-5.
// v0-1: allocate a producer id (epoch 0). v2: flexible. v3: producerId/producerEpoch given to bump the
// epoch of an existing producer (KIP-360). v4: PRODUCER_FENCED where v0-3 get INVALID_PRODUCER_EPOCH
// (KIP-588). v5: same layout. Without a transactional id, ids come from the cluster's counter,
// persisted so a restart never reuses one. With one, the transaction coordinator (txn/coordinator.ts)
// keeps the id per transactional id and bumps its epoch, aborting an open transaction (fencing the
// previous producer); transactionTimeoutMs above 900000 (transaction.max.timeout.ms) or <= 0 answers
// INVALID_TRANSACTION_TIMEOUT.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 22;
export const minVersion = 0;
export const maxVersion = 5;

export async function handle(req: RequestBody<22>, ctx: RequestContext) {
  if (req.transactionalId !== null && req.transactionalId !== '') {
    const r = await ctx.broker.txns.initProducerId(
      req.transactionalId,
      req.transactionTimeoutMs,
      Number(req.producerId),
      req.producerEpoch,
    );
    const errorCode =
      r.errorCode === ErrorCode.PRODUCER_FENCED && ctx.version < 4 ? ErrorCode.INVALID_PRODUCER_EPOCH : r.errorCode;
    return { throttleTimeMs: 0, errorCode, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
  }
  if (req.producerId >= 0n && req.producerEpoch >= 0) {
    if (req.producerEpoch >= 32766) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        producerId: BigInt(ctx.broker.cluster.allocateProducerId()),
        producerEpoch: 0,
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: req.producerId,
      producerEpoch: req.producerEpoch + 1,
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    producerId: BigInt(ctx.broker.cluster.allocateProducerId()),
    producerEpoch: 0,
  };
}
