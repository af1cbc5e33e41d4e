// Shared by AlterConfigs and IncrementalAlterConfigs: validate and apply a new topic config map.
// Broker resources go to alter-broker-configs.ts.

import { ErrorCode } from '@seaway/kafka-protocol';
import type { ClusterState } from '../state/cluster.ts';
import { validateTopicConfig } from '../state/topic-configs.ts';

export async function applyTopicConfigs(
  cluster: ClusterState,
  resourceType: number,
  resourceName: string,
  build: (current: Record<string, string>) => Record<string, string> | string,
  validateOnly: boolean,
): Promise<{ errorCode: number; errorMessage: string | null }> {
  if (resourceType !== 2)
    return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${resourceType} is not supported` };
  const t = cluster.topics.get(resourceName);
  if (!t)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${resourceName} does not exist` };
  const next = build({ ...t.configs });
  if (typeof next === 'string') return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: next };
  for (const [k, v] of Object.entries(next)) {
    const bad = validateTopicConfig(k, v);
    if (bad) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: bad };
  }
  if (!validateOnly) await cluster.setTopicConfigs(resourceName, next);
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}
