// CreatePartitions (key 37), versions 0-3.
// v1: same layout. v2: flexible. v3: same. Only growth is allowed (INVALID_PARTITIONS otherwise);
// assignments must name this broker. Internal topics keep their count (INVALID_REQUEST): a group's
// __consumer_offsets partition is its hash modulo that count.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { MAX_PARTITIONS } from '../state/cluster.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 37;
export const minVersion = 0;
export const maxVersion = 3;

export async function handle(req: RequestBody<37>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const results = [];
  for (const t of req.topics) {
    const topic = cluster.topics.get(t.name);
    if (!topic) {
      results.push({
        name: t.name,
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `The topic '${t.name}' does not exist.`,
      });
      continue;
    }
    if (topic.internal) {
      results.push({
        name: t.name,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `${t.name} is an internal topic; its partition count cannot change`,
      });
      continue;
    }
    const have = topic.partitions.length;
    if (t.count > MAX_PARTITIONS) {
      results.push({
        name: t.name,
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `a topic may have at most ${MAX_PARTITIONS} partitions`,
      });
      continue;
    }
    if (t.count <= have) {
      results.push({
        name: t.name,
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `Topic currently has ${have} partitions, which is higher than the requested ${t.count}.`,
      });
      continue;
    }
    if (
      t.assignments &&
      (t.assignments.length !== t.count - have || t.assignments.some((a) => a.brokerIds.some((b) => b !== opts.nodeId)))
    ) {
      results.push({
        name: t.name,
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        errorMessage: `assign new partitions to broker ${opts.nodeId}`,
      });
      continue;
    }
    if (!req.validateOnly) await cluster.addPartitions(t.name, t.count);
    results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
  }
  return { throttleTimeMs: 0, results };
}
