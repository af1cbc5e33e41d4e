// SyncGroup (key 14), versions 0-5.
// v1: throttleTimeMs. v3: groupInstanceId. v4: flexible. v5: protocolType/protocolName in request
// (checked against the group: INCONSISTENT_GROUP_PROTOCOL) and answer. The leader's assignments are
// handed to every member; followers wait for the leader.

import type { RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 14;
export const minVersion = 0;
export const maxVersion = 5;

export async function handle(req: RequestBody<14>, ctx: RequestContext) {
  const r = await ctx.broker.groups.syncGroup({
    groupId: req.groupId,
    generationId: req.generationId,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    protocolType: req.protocolType,
    protocolName: req.protocolName,
    assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) })),
  });
  return { throttleTimeMs: 0, ...r };
}
