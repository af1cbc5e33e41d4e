// DescribeAcls (key 29), versions 1-3 (v0 is gone in Kafka 4): the ACLs in the store (../acl/acl-store.ts)
// matching the filter, grouped by resource (type, name, pattern type). v1: patternTypeFilter
// (ANY, MATCH, LITERAL, PREFIXED; MATCH = every ACL that applies to the literal name given).
// v2: flexible. v3: same as v2 (USER resources).
// A filter with an unknown pattern type answers INVALID_REQUEST.
// Authorization (SASL on): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { type AclBinding, PatternType } from '../acl/acl-store.ts';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 29;
export const minVersion = 1;
export const maxVersion = 3;

export function groupByResource(bindings: readonly AclBinding[]) {
  const byResource = new Map<
    string,
    { resourceType: number; resourceName: string; patternType: number; acls: object[] }
  >();
  for (const b of bindings) {
    const k = `${b.resourceType}\u0000${b.resourceName}\u0000${b.patternType}`;
    let r = byResource.get(k);
    if (!r) {
      r = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] };
      byResource.set(k, r);
    }
    r.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType });
  }
  return [...byResource.values()];
}

export function handle(req: RequestBody<29>, ctx: RequestContext) {
  if (!authorizeCluster(ctx, Operation.DESCRIBE)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, resources: [] };
  }
  if (req.patternTypeFilter < PatternType.ANY || req.patternTypeFilter > PatternType.PREFIXED) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unknown pattern type filter ${req.patternTypeFilter}`,
      resources: [],
    };
  }
  const resources = groupByResource(ctx.broker.acls.list(req));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources };
}
