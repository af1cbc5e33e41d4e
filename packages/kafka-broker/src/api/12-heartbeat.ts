// Heartbeat (key 12), versions 0-4.
// v1: throttleTimeMs. v3: groupInstanceId. v4: flexible. Answers REBALANCE_IN_PROGRESS while the group
// prepares a rebalance (the member must rejoin), ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID as Kafka does.

import type { RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 12;
export const minVersion = 0;
export const maxVersion = 4;

export function handle(req: RequestBody<12>, ctx: RequestContext) {
  return { throttleTimeMs: 0, errorCode: ctx.broker.groups.heartbeat(req.groupId, req.memberId, req.generationId) };
}
