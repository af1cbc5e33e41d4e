// DescribeGroups (key 15), versions 0-6.
// v1: throttleTimeMs. v3: includeAuthorizedOperations (answered "not requested"). v4: groupInstanceId.
// v5: flexible. Unknown groups answer state "Dead" with no error before v6; v6 (KIP-1043) answers
// them GROUP_ID_NOT_FOUND with errorMessage "Group <id> not found.", as Kafka 4.1 does.
// Member metadata and assignments are those of the protocol the group chose.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 15;
export const minVersion = 0;
export const maxVersion = 6;

export function handle(req: RequestBody<15>, ctx: RequestContext) {
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((id) => {
      const g = ctx.broker.groups.groups.get(id);
      if (!g) {
        const v6 = ctx.version >= 6;
        return {
          errorCode: v6 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NONE,
          errorMessage: v6 ? `Group ${id} not found.` : null,
          groupId: id,
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: -2147483648,
        };
      }
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId: id,
        groupState: g.state.kind,
        protocolType: g.protocolType ?? '',
        protocolData: g.state.kind === 'Stable' || g.state.kind === 'CompletingRebalance' ? (g.protocolName ?? '') : '',
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: g.metadataFor(m),
          memberAssignment: m.assignment,
        })),
        authorizedOperations: -2147483648,
      };
    }),
  };
}
