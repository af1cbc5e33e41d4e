// LeaveGroup (key 13), versions 0-5.
// v1: throttleTimeMs. v3: batched members with groupInstanceId (KIP-345). v4: flexible. v5: reason.
// A leave triggers a rebalance of the remaining members, or empties the group. A member given by
// groupInstanceId is the static member holding it (memberId "" = whichever; another id = FENCED_INSTANCE_ID).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 13;
export const minVersion = 0;
export const maxVersion = 5;

export function handle(req: RequestBody<13>, ctx: RequestContext) {
  const ids =
    ctx.version >= 3
      ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
      : [{ memberId: req.memberId, groupInstanceId: null }];
  const r = ctx.broker.groups.leaveGroup(req.groupId, ids);
  const errorCode = ctx.version >= 3 ? r.errorCode : (r.members[0] ?? ErrorCode.NONE);
  return {
    throttleTimeMs: 0,
    errorCode,
    members: req.members.map((m, i) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode: r.members[i] ?? 0,
    })),
  };
}
