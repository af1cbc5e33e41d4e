// AlterPartitionReassignments (key 45), versions 0-1 (flexible; KIP-455, kafka-reassign-partitions
// --execute / --cancel), answered truthfully for one node: every partition has one replica, this
// broker. Asking for exactly that is accepted and completes at once; any other broker id is not alive
// (INVALID_REPLICA_ASSIGNMENT), a replication factor other than 1 cannot be had; cancelling
// (replicas null) finds nothing in progress (NO_REASSIGNMENT_IN_PROGRESS). Missing topics or
// partitions answer UNKNOWN_TOPIC_OR_PARTITION. v1 (KIP-860): allowReplicationFactorChange echoed.
// Authorization (SASL on): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the top.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 45;
export const minVersion = 0;
export const maxVersion = 1;

export function handle(req: RequestBody<45>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const top = { throttleTimeMs: 0, allowReplicationFactorChange: req.allowReplicationFactorChange };
  if (!authorizeCluster(ctx, Operation.ALTER)) {
    return {
      ...top,
      errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      errorMessage: 'Cluster authorization failed.',
      responses: [],
    };
  }
  const node = opts.nodeId;
  const responses = req.topics.map((t) => {
    const topic = cluster.topics.get(t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p) => {
        const answer = (errorCode: number, errorMessage: string | null) => ({
          partitionIndex: p.partitionIndex,
          errorCode,
          errorMessage,
        });
        if (!topic || p.partitionIndex < 0 || p.partitionIndex >= topic.partitions.length)
          return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The topic or partition does not exist.');
        const replicas = p.replicas;
        if (replicas === null)
          return answer(
            ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
            `No ongoing reassignment for ${t.name}-${p.partitionIndex}.`,
          );
        if (replicas.length === 0)
          return answer(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            'The manual partition assignment includes an empty replica list.',
          );
        if (new Set(replicas).size !== replicas.length)
          return answer(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `The manual partition assignment includes the broker ${replicas.find((r, i) => replicas.indexOf(r) !== i)} more than once.`,
          );
        const dead = replicas.filter((r) => r !== node);
        if (dead.length > 0)
          return answer(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `The manual partition assignment includes broker(s) ${dead.join(', ')}, but only brokers ${node} are registered.`,
          );
        return answer(ErrorCode.NONE, null);
      }),
    };
  });
  return { ...top, errorCode: ErrorCode.NONE, errorMessage: null, responses };
}
