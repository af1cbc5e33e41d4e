// Heartbeat (key 12), versions 0-4.
// v1: throttleTimeMs. v3: groupInstanceId (FENCED_INSTANCE_ID when another member id holds it).
// v4: flexible. Member, then generation, then state, as Kafka checks them: UNKNOWN_MEMBER_ID,
// ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS while the group prepares a rebalance (rejoin).

import type { RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 12;
export const minVersion = 0;
export const maxVersion = 4;

export function handle(req: RequestBody<12>, ctx: RequestContext) {
  return {
    throttleTimeMs: 0,
    errorCode: ctx.broker.groups.heartbeat(req.groupId, req.memberId, req.groupInstanceId, req.generationId),
  };
}
