// ConsumerGroupHeartbeat (key 68), versions 0-1: KIP-848 consumer groups (group.protocol=consumer).
// v0: join (epoch 0), heartbeat, leave (epoch -1, or -2 for a static member), subscribed topic names,
// server assignor ("uniform" default, "range"; others UNSUPPORTED_ASSIGNOR), owned partitions.
// v1: subscribedTopicRegex (matched as a JavaScript RegExp against whole topic names).
// The coordinator side is group/consumer-groups.ts. A group id held by a classic group with members
// answers GROUP_ID_NOT_FOUND (no online migration between protocols). Rack ids are kept, not used.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 68;
export const minVersion = 0;
export const maxVersion = 1;

export function handle(req: RequestBody<68>, ctx: RequestContext) {
  const { groups } = ctx.broker;
  const classic = groups.groups.get(req.groupId);
  if (classic && classic.members.size > 0) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: `Group ${req.groupId} is not a consumer group.`,
      memberId: null,
      memberEpoch: -1,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
  }
  const r = groups.consumer.heartbeat({
    groupId: req.groupId,
    memberId: req.memberId,
    memberEpoch: req.memberEpoch,
    instanceId: req.instanceId,
    rackId: req.rackId,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs,
    subscribedTopicNames: req.subscribedTopicNames,
    subscribedTopicRegex: ctx.version >= 1 ? req.subscribedTopicRegex : null,
    serverAssignor: req.serverAssignor,
    topicPartitions: req.topicPartitions,
    clientId: ctx.header.clientId ?? '',
    clientHost: `/${ctx.connection.remote.replace(/:\d+$/, '')}`,
  });
  return { throttleTimeMs: 0, ...r };
}
