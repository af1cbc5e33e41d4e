// DescribeCluster (key 60), versions 0-2.
// v1: endpointType (1 = brokers; 2 = controllers, answered with this same node, which is both).
// v2: includeFencedBrokers in the request, isFenced per broker (KIP-1073): this node is never fenced,
// so the flag changes nothing and isFenced is false.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 60;
export const minVersion = 0;
export const maxVersion = 2;

export function handle(req: RequestBody<60>, ctx: RequestContext) {
  const { opts, cluster } = ctx.broker;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: req.endpointType,
    clusterId: cluster.clusterId,
    controllerId: opts.nodeId,
    brokers: [
      { brokerId: opts.nodeId, host: opts.advertisedHost, port: ctx.broker.port(), rack: null, isFenced: false },
    ],
    clusterAuthorizedOperations: -2147483648,
  };
}
