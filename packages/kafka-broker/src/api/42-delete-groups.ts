// DeleteGroups (key 42), versions 0-2.
// v1: same layout. v2: flexible. Only groups without members can be deleted (NON_EMPTY_GROUP);
// unknown groups answer GROUP_ID_NOT_FOUND. Deleting drops the group's committed offsets.

import type { RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 42;
export const minVersion = 0;
export const maxVersion = 2;

export async function handle(req: RequestBody<42>, ctx: RequestContext) {
  const results = [];
  for (const groupId of req.groupsNames) {
    results.push({ groupId, errorCode: await ctx.broker.groups.deleteGroup(groupId) });
  }
  return { throttleTimeMs: 0, results };
}
