// Shared by AlterConfigs and IncrementalAlterConfigs on a BROKER resource (type 4): this node's dynamic
// configs (resource name = node id) or the cluster-wide dynamic defaults (resource name ""), validated by
// state/broker-configs.ts and stored there. Only names whose value changes are validated, so a config
// that is already stored (e.g. one Kafka does not know) does not block changing another.

import { ErrorCode } from '@seaway/kafka-protocol';
import { brokerConfigProblem } from '../state/broker-configs.ts';
import type { RequestContext } from './context.ts';

export async function applyBrokerConfigs(
  ctx: RequestContext,
  resourceName: string,
  build: (current: Record<string, string>) => Record<string, string> | string,
  validateOnly: boolean,
): Promise<{ errorCode: number; errorMessage: string | null }> {
  const { opts, brokerConfigs: store } = ctx.broker;
  const cluster = resourceName === '';
  if (!cluster && resourceName !== String(opts.nodeId))
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `there is no broker ${resourceName}: this single-node cluster has node ${opts.nodeId} only`,
    };
  const current = { ...(cluster ? store.defaults() : store.node(opts.nodeId)) };
  const next = build({ ...current });
  if (typeof next === 'string') return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: next };
  for (const [name, value] of Object.entries(next)) {
    if (current[name] === value) continue;
    const bad = brokerConfigProblem(name, value);
    if (bad) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: bad };
  }
  if (!validateOnly) await store.set(cluster ? null : opts.nodeId, next);
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}
