// DeleteAcls (key 31), versions 1-3 (v0 is gone in Kafka 4): removes every ACL matching each filter
// (same matching as DescribeAcls) and answers the removed ones per filter. v1: patternTypeFilter.
// v2: flexible. v3: same as v2. A filter with an unknown pattern type answers INVALID_REQUEST.
// Authorization (SASL on): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED per filter.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { type AclFilter, PatternType } from '../acl/acl-store.ts';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 31;
export const minVersion = 1;
export const maxVersion = 3;

export async function handle(req: RequestBody<31>, ctx: RequestContext) {
  const failed = (errorCode: number, errorMessage: string | null) => ({ errorCode, errorMessage, matchingAcls: [] });
  if (!authorizeCluster(ctx, Operation.ALTER)) {
    return {
      throttleTimeMs: 0,
      filterResults: req.filters.map(() => failed(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null)),
    };
  }
  const valid: AclFilter[] = [];
  const slots = req.filters.map((f) => {
    if (f.patternTypeFilter < PatternType.ANY || f.patternTypeFilter > PatternType.PREFIXED) return -1;
    valid.push(f);
    return valid.length - 1;
  });
  const removed = await ctx.broker.acls.delete(valid);
  const filterResults = slots.map((slot, i) => {
    if (slot < 0)
      return failed(ErrorCode.INVALID_REQUEST, `Unknown pattern type filter ${req.filters[i]?.patternTypeFilter}`);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      matchingAcls: (removed[slot] ?? []).map((b) => ({ errorCode: ErrorCode.NONE, errorMessage: null, ...b })),
    };
  });
  return { throttleTimeMs: 0, filterResults };
}
