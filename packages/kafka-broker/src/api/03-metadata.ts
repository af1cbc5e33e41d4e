// Metadata (key 3), versions 0-13.
// v0: topics array, empty = all. v1: null = all, controllerId, rack, isInternal. v2: clusterId.
// v3: throttleTimeMs. v4: allowAutoTopicCreation (before v4 requests always auto-create).
// v5: offlineReplicas. v7: leaderEpoch. v8-10: authorized operations (reported as "not requested").
// v9: flexible. v10: topic ids. v12: topics may be asked for by id alone (name null).
// v13: top-level errorCode (KIP-1102; REBOOTSTRAP_REQUIRED is for brokers that lost the cluster: always 0 here).
// One broker (this one) leads every partition with leader epoch 0.
// Authorization (SASL on, ../acl/authorizer.ts): topics the principal may not DESCRIBE are left out
// of an all-topics answer and answer TOPIC_AUTHORIZATION_FAILED when named; auto-creation needs
// CREATE on the cluster or the topic (without it a missing topic is UNKNOWN_TOPIC_OR_PARTITION).

import { ErrorCode, type RequestBody, ZERO_UUID } from '@seaway/kafka-protocol';
import { authorizeCluster, authorizeTopic, Operation } from '../acl/authorizer.ts';
import type { Topic } from '../state/cluster.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 3;
export const minVersion = 0;
export const maxVersion = 13;

export function topicMetadata(t: Topic, nodeId: number) {
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: t.internal,
    partitions: t.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: nodeId,
      leaderEpoch: 0,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  };
}

function denied(name: string | null) {
  return { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, name, topicId: ZERO_UUID, partitions: [] };
}

export async function handle(req: RequestBody<3>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const v = ctx.version;
  const all = req.topics === null || (v === 0 && req.topics.length === 0);
  const autoCreate = v < 4 || req.allowAutoTopicCreation;
  const topics = [];
  if (all) {
    for (const t of cluster.topics.values()) {
      if (authorizeTopic(ctx, Operation.DESCRIBE, t.name)) topics.push(topicMetadata(t, opts.nodeId));
    }
  } else {
    for (const want of req.topics ?? []) {
      let t: Topic | undefined;
      if (want.name === null) {
        t = cluster.topicById(want.topicId);
        if (!t) {
          topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: want.topicId, partitions: [] });
          continue;
        }
      } else {
        if (!authorizeTopic(ctx, Operation.DESCRIBE, want.name)) {
          topics.push(denied(want.name));
          continue;
        }
        const mayCreate =
          autoCreate && (authorizeCluster(ctx, Operation.CREATE) || authorizeTopic(ctx, Operation.CREATE, want.name));
        const found = mayCreate ? await cluster.autoCreate(want.name) : cluster.topics.get(want.name);
        if (found === undefined || typeof found === 'number') {
          topics.push({
            errorCode: found ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            name: want.name,
            topicId: ZERO_UUID,
            partitions: [],
          });
          continue;
        }
        t = found;
      }
      if (want.name === null && !authorizeTopic(ctx, Operation.DESCRIBE, t.name)) {
        topics.push({ ...denied(null), topicId: want.topicId });
        continue;
      }
      topics.push(topicMetadata(t, opts.nodeId));
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: opts.nodeId, host: opts.advertisedHost, port: ctx.broker.port(), rack: null }],
    clusterId: cluster.clusterId,
    controllerId: opts.nodeId,
    topics,
    clusterAuthorizedOperations: -2147483648,
    errorCode: ErrorCode.NONE,
  };
}
