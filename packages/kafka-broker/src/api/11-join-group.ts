// JoinGroup (key 11), versions 0-9 (classic protocol).
// v1: rebalanceTimeoutMs (v0 uses the session timeout). v2: throttleTimeMs. v4: a member joining
// without an id gets MEMBER_ID_REQUIRED plus an id and must join again with it (KIP-394).
// v5: groupInstanceId (static membership, KIP-345: a restarted instance takes over its old member's
// assignment without a rebalance; the old member id is fenced). v6: flexible.
// v7: protocolType in the answer. v8: reason. v9: skipAssignment (true only for a static leader that
// rejoins a Stable group: the group keeps its assignment).
// Authorization (SASL on, ../acl/authorizer.ts): READ on the group, else GROUP_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeGroup, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 11;
export const minVersion = 0;
export const maxVersion = 9;

export async function handle(req: RequestBody<11>, ctx: RequestContext) {
  if (!authorizeGroup(ctx, Operation.READ, req.groupId)) {
    const protocolName = ctx.version < 7 ? '' : null;
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      generationId: -1,
      protocolName,
      leader: '',
      memberId: req.memberId,
      members: [],
    };
  }
  const r = await ctx.broker.groups.joinGroup({
    groupId: req.groupId,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.version >= 1 && req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    clientId: ctx.header.clientId ?? '',
    clientHost: `/${ctx.connection.remote.replace(/:\d+$/, '')}`,
    requireKnownMemberId: ctx.version >= 4,
  });
  return {
    throttleTimeMs: 0,
    ...r,
    // before v7 protocolName is not nullable
    protocolName: ctx.version < 7 ? (r.protocolName ?? '') : r.protocolName,
  };
}
