// DescribeTopicPartitions (key 75), version 0 (KIP-966): what kafka-topics --describe of Kafka 4.x
// asks for instead of Metadata. Topics named (or, when the list is empty, every topic, sorted by
// name), each with its partitions: this node leads every one with epoch 0, replicas and ISR [this
// node], eligibleLeaderReplicas and lastKnownElr empty (one replica: nothing is ever out of the
// ISR), no offline replicas. responsePartitionLimit (capped at 2000, as Kafka's
// max.request.partition.size.limit) bounds the partitions in one answer; the rest is reached with
// nextCursor (topic name + first partition index). A named topic that does not exist answers
// UNKNOWN_TOPIC_OR_PARTITION with the zero topic id.
// Authorization (SASL on): DESCRIBE on the topic; all-topics answers leave unauthorized topics out,
// named ones answer TOPIC_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody, ZERO_UUID } from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import type { Topic } from '../state/cluster.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 75;
export const minVersion = 0;
export const maxVersion = 0;

const MAX_PARTITIONS = 2000;

function missing(name: string, errorCode: number) {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: -2147483648,
  };
}

export function handle(req: RequestBody<75>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const all = req.topics.length === 0;
  const names = all
    ? [...cluster.topics.keys()].filter((n) => authorizeTopic(ctx, Operation.DESCRIBE, n))
    : req.topics.map((t) => t.name);
  names.sort();
  let budget = Math.max(1, Math.min(req.responsePartitionLimit, MAX_PARTITIONS));
  const cursor = req.cursor;
  const topics = [];
  let nextCursor: { topicName: string; partitionIndex: number } | null = null;
  for (const name of names) {
    if (cursor !== null && name < cursor.topicName) continue;
    if (!all && !authorizeTopic(ctx, Operation.DESCRIBE, name)) {
      topics.push(missing(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
      continue;
    }
    const t: Topic | undefined = cluster.topics.get(name);
    if (!t) {
      topics.push(missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
      continue;
    }
    if (budget === 0) {
      nextCursor = { topicName: name, partitionIndex: 0 };
      break;
    }
    const from = cursor !== null && name === cursor.topicName ? cursor.partitionIndex : 0;
    const partitions = [];
    for (const p of t.partitions.slice(from)) {
      if (budget === 0) {
        nextCursor = { topicName: name, partitionIndex: p.index };
        break;
      }
      budget--;
      partitions.push({
        errorCode: ErrorCode.NONE,
        partitionIndex: p.index,
        leaderId: opts.nodeId,
        leaderEpoch: 0,
        replicaNodes: [opts.nodeId],
        isrNodes: [opts.nodeId],
        eligibleLeaderReplicas: [],
        lastKnownElr: [],
        offlineReplicas: [],
      });
    }
    topics.push({
      errorCode: ErrorCode.NONE,
      name: t.name,
      topicId: t.id,
      isInternal: t.internal,
      partitions,
      topicAuthorizedOperations: -2147483648,
    });
    if (nextCursor !== null) break;
  }
  return { throttleTimeMs: 0, topics, nextCursor };
}
