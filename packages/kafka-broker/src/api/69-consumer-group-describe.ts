// ConsumerGroupDescribe (key 69), version 0: KIP-848 consumer groups with their epochs, assignor,
// members, current and target assignments. A classic group, or an unknown one, answers
// GROUP_ID_NOT_FOUND, which makes the admin client (kafka-consumer-groups --describe) fall back to
// DescribeGroups, as against Kafka. includeAuthorizedOperations is answered "not requested".

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { Assignment } from '../group/assignors.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 69;
export const minVersion = 0;
export const maxVersion = 0;

const NOT_REQUESTED = -2147483648;

export function handle(req: RequestBody<69>, ctx: RequestContext) {
  const { consumer } = ctx.broker.groups;
  const { cluster } = ctx.broker;
  const nameOf = new Map([...cluster.topics.values()].map((t) => [t.id, t.name]));
  const wire = (a: Assignment) => ({
    topicPartitions: [...a]
      .filter(([id]) => nameOf.has(id))
      .map(([topicId, partitions]) => ({ topicId, topicName: nameOf.get(topicId) as string, partitions })),
  });
  return {
    throttleTimeMs: 0,
    groups: req.groupIds.map((groupId) => {
      const g = consumer.groups.get(groupId);
      if (!g) {
        return {
          errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
          errorMessage: ctx.broker.groups.groups.has(groupId)
            ? `Group ${groupId} is not a consumer group.`
            : `Group ${groupId} not found.`,
          groupId,
          groupState: 'Dead',
          groupEpoch: -1,
          assignmentEpoch: -1,
          assignorName: '',
          members: [],
          authorizedOperations: NOT_REQUESTED,
        };
      }
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId,
        groupState: consumer.state(g),
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: g.assignorName,
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          instanceId: m.instanceId,
          rackId: m.rackId,
          memberEpoch: m.memberEpoch,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscribedTopicNames: m.subscribedTopicNames,
          subscribedTopicRegex: m.subscribedTopicRegex,
          assignment: wire(m.assigned),
          targetAssignment: wire(m.target),
        })),
        authorizedOperations: NOT_REQUESTED,
      };
    }),
  };
}
