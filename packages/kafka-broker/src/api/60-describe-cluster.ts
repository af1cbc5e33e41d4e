// DescribeCluster (key 60), versions 0-1.
// v1: endpointType (1 = brokers; 2 = controllers, answered with this same node, which is both).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 60;
export const minVersion = 0;
export const maxVersion = 1;

export function handle(req: RequestBody<60>, ctx: RequestContext) {
  const { opts, cluster } = ctx.broker;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: req.endpointType,
    clusterId: cluster.clusterId,
    controllerId: opts.nodeId,
    brokers: [{ brokerId: opts.nodeId, host: opts.advertisedHost, port: ctx.broker.port(), rack: null }],
    clusterAuthorizedOperations: -2147483648,
  };
}
