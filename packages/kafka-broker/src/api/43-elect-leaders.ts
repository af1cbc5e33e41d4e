// ElectLeaders (key 43), versions 0-2, answered truthfully for one node: every partition has one
// replica, this broker, which already leads it, so no election is ever needed.
// A named partition that exists answers ELECTION_NOT_NEEDED ("Leader election not needed for topic
// partition."), a missing topic or partition UNKNOWN_TOPIC_OR_PARTITION. topicPartitions null (all
// partitions) answers every topic with an empty partition list, as Kafka does when nothing needed
// an election. Preferred (0) and unclean (1) elections get the same answers.
// v1: electionType, top-level errorCode. v2: flexible.
// Authorization (SASL on): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED (top level, v1+;
// per partition in v0).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 43;
export const minVersion = 0;
export const maxVersion = 2;

export function handle(req: RequestBody<43>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const allowed = authorizeCluster(ctx, Operation.ALTER);
  if (!allowed && ctx.version >= 1) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, replicaElectionResults: [] };
  }
  if (req.topicPartitions === null) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      replicaElectionResults: [...cluster.topics.values()].map((t) => ({ topic: t.name, partitionResult: [] })),
    };
  }
  const replicaElectionResults = req.topicPartitions.map((tp) => {
    const t = cluster.topics.get(tp.topic);
    return {
      topic: tp.topic,
      partitionResult: tp.partitions.map((partitionId) => {
        if (!allowed) {
          return { partitionId, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null };
        }
        if (!t) {
          return {
            partitionId,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `No such topic as ${tp.topic}`,
          };
        }
        if (!t.partitions[partitionId]) {
          return {
            partitionId,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `No such partition as ${tp.topic}-${partitionId}`,
          };
        }
        return {
          partitionId,
          errorCode: ErrorCode.ELECTION_NOT_NEEDED,
          errorMessage: 'Leader election not needed for topic partition.',
        };
      }),
    };
  });
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults };
}
