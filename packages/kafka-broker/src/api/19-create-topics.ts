// CreateTopics (key 19), versions 2-7.
// v2: throttleTimeMs. v3-4: same layout. v4: numPartitions/replicationFactor -1 use broker defaults.
// v5: flexible; the answer carries numPartitions, replicationFactor and configs. v6: same. v7: topicId.
// Replication factor must be 1 or -1 (one broker); manual assignments must name this broker.
// validateOnly checks everything and creates nothing.
// Authorization (SASL on, ../acl/authorizer.ts): CREATE on the cluster or the topic, else TOPIC_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody, ZERO_UUID } from '@seaway/kafka-protocol';
import { authorizeCluster, authorizeTopic, Operation } from '../acl/authorizer.ts';
import { invalidTopicName, MAX_PARTITIONS, type Topic } from '../state/cluster.ts';
import { TOPIC_CONFIGS, validateTopicConfig } from '../state/topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 19;
export const minVersion = 2;
export const maxVersion = 7;

export function effectiveConfigs(configs: Record<string, string>) {
  return Object.entries(TOPIC_CONFIGS).map(([name, def]) => ({
    name,
    value: configs[name] ?? def.default,
    readOnly: false,
    configSource: name in configs ? 1 : 5,
    isSensitive: false,
  }));
}

export async function handle(req: RequestBody<19>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const seen = new Set<string>();
  const topics = [];
  for (const t of req.topics) {
    const fail = (errorCode: number, errorMessage: string) => ({
      name: t.name,
      topicId: ZERO_UUID,
      errorCode,
      errorMessage,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    });
    const badName = invalidTopicName(t.name);
    if (badName) {
      topics.push(fail(ErrorCode.INVALID_TOPIC_EXCEPTION, badName));
      continue;
    }
    if (seen.has(t.name)) {
      topics.push(fail(ErrorCode.INVALID_REQUEST, `topic ${t.name} appears twice in the request`));
      continue;
    }
    seen.add(t.name);
    if (!authorizeCluster(ctx, Operation.CREATE) && !authorizeTopic(ctx, Operation.CREATE, t.name)) {
      topics.push(fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.'));
      continue;
    }
    if (cluster.topics.has(t.name)) {
      topics.push(fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`));
      continue;
    }
    let partitions = t.numPartitions === -1 ? opts.defaultPartitions : t.numPartitions;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
        topics.push(fail(ErrorCode.INVALID_REQUEST, 'give either assignments or numPartitions/replicationFactor'));
        continue;
      }
      if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== opts.nodeId)) {
        topics.push(fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `every replica must be broker ${opts.nodeId}`));
        continue;
      }
      partitions = t.assignments.length;
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      topics.push(fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be from 1 to ${MAX_PARTITIONS}.`));
      continue;
    }
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
      topics.push(
        fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${t.replicationFactor} time(s): The target replication factor of ${t.replicationFactor} cannot be reached because only 1 broker(s) are registered.`,
        ),
      );
      continue;
    }
    const configs: Record<string, string> = {};
    let configError: string | undefined;
    for (const c of t.configs) {
      configError = validateTopicConfig(c.name, c.value);
      if (configError) break;
      if (c.value !== null) configs[c.name] = c.value;
    }
    if (configError) {
      topics.push(fail(ErrorCode.INVALID_CONFIG, configError));
      continue;
    }
    let created: Topic | undefined;
    if (!req.validateOnly) created = await cluster.createTopic(t.name, partitions, configs);
    topics.push({
      name: t.name,
      topicId: created?.id ?? ZERO_UUID,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: partitions,
      replicationFactor: 1,
      configs: effectiveConfigs(configs),
    });
  }
  return { throttleTimeMs: 0, topics };
}
