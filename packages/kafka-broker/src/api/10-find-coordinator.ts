// FindCoordinator (key 10), versions 0-6.
// v1: keyType (0 group, 1 transaction), throttleTimeMs, errorMessage. v3: flexible.
// v4: batched coordinatorKeys (KIP-699). v5-6: same layout (new error codes, share groups; unused).
// This broker coordinates everything.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 10;
export const minVersion = 0;
export const maxVersion = 6;

export function handle(req: RequestBody<10>, ctx: RequestContext) {
  const { opts } = ctx.broker;
  const node = { nodeId: opts.nodeId, host: opts.advertisedHost, port: ctx.broker.port() };
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    ...node,
    coordinators: req.coordinatorKeys.map((key) => ({ key, ...node, errorCode: ErrorCode.NONE, errorMessage: null })),
  };
}
