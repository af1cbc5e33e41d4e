// InitProducerId (key 22), versions 0-5.
// v0-1: allocate a producer id (epoch 0). v2: flexible. v3: producerId/producerEpoch given to bump the
// epoch of an existing producer (KIP-360). v4-5: same layout. Ids come from the cluster's counter,
// persisted so a restart never reuses one. Transactional ids get an id too, but no transaction APIs
// are advertised, so transactional producers stop at their next step.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 22;
export const minVersion = 0;
export const maxVersion = 5;

export function handle(req: RequestBody<22>, ctx: RequestContext) {
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
