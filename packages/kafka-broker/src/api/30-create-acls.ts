// CreateAcls (key 30), versions 1-3 (v0 is gone in Kafka 4): stores each creation in the ACL store
// (persisted in <dataDir>/acls.json). v1: resourcePatternType (LITERAL or PREFIXED). v2: flexible.
// v3: same as v2. An invalid creation (resource type, pattern type, operation or permission out of
// range, empty name, a CLUSTER resource not named kafka-cluster, a principal not "Type:name")
// answers INVALID_REQUEST with the reason for that creation; the others are stored. Adding an ACL
// that already exists succeeds and changes nothing.
// Authorization (SASL on): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every creation.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { type AclBinding, invalidBinding } from '../acl/acl-store.ts';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 30;
export const minVersion = 1;
export const maxVersion = 3;

export async function handle(req: RequestBody<30>, ctx: RequestContext) {
  if (!authorizeCluster(ctx, Operation.ALTER)) {
    return {
      throttleTimeMs: 0,
      results: req.creations.map(() => ({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null })),
    };
  }
  const valid: AclBinding[] = [];
  const results = req.creations.map((c) => {
    const b: AclBinding = {
      resourceType: c.resourceType,
      resourceName: c.resourceName,
      patternType: c.resourcePatternType,
      principal: c.principal,
      host: c.host,
      operation: c.operation,
      permissionType: c.permissionType,
    };
    const why = invalidBinding(b);
    if (why !== null) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: why };
    valid.push(b);
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  });
  if (valid.length > 0) await ctx.broker.acls.add(valid);
  return { throttleTimeMs: 0, results };
}
