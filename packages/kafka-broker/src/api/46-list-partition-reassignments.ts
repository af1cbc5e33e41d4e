// ListPartitionReassignments (key 46), version 0 (flexible; KIP-455, kafka-reassign-partitions --list
// and --verify). A single node never has a reassignment in progress (AlterPartitionReassignments
// completes at once), so the answer lists no topics, for all topics or the ones named.
// Authorization (SASL on): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 46;
export const minVersion = 0;
export const maxVersion = 0;

export function handle(_req: RequestBody<46>, ctx: RequestContext) {
  if (!authorizeCluster(ctx, Operation.DESCRIBE))
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      errorMessage: 'Cluster authorization failed.',
      topics: [],
    };
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics: [] };
}
