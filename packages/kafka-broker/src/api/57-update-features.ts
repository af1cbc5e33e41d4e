// UpdateFeatures (key 57), versions 0-2, answered truthfully: this broker's feature levels are fixed
// by what the build serves (./features.ts), so a request that keeps a feature at its finalized level
// succeeds (nothing changes) and any real change or unknown feature fails with INVALID_UPDATE_VERSION
// and a message saying why. validateOnly (v1+) gives the same answers.
// v0: allowDowngrade per feature. v1: upgradeType replaces it, validateOnly. v2: no per-feature
// results. As Kafka: one failing feature fails the whole request, answered with the top-level error
// (the first failure) and no per-feature results; a success lists every feature with error 0 (v0-1).
// Authorization (SASL on): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED (top level).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';
import { brokerFeatures } from './features.ts';

export const apiKey = 57;
export const minVersion = 0;
export const maxVersion = 2;

export function handle(req: RequestBody<57>, ctx: RequestContext) {
  if (!authorizeCluster(ctx, Operation.ALTER)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, results: [] };
  }
  const features = brokerFeatures(ctx.broker.apiVersions);
  const nodeId = ctx.broker.opts.nodeId;
  let errorCode: number = ErrorCode.NONE;
  let errorMessage: string | null = null;
  const results = req.featureUpdates.map((u) => {
    const f = features.find((x) => x.name === u.feature);
    let code: number = ErrorCode.NONE;
    let message: string | null = null;
    const level = Math.max(u.maxVersionLevel, 0);
    if (!f) {
      code = ErrorCode.INVALID_UPDATE_VERSION;
      message = `Invalid update version ${level} for feature ${u.feature}. Broker ${nodeId} does not support this feature.`;
    } else if (level < f.minVersion || level > f.maxVersion) {
      code = ErrorCode.INVALID_UPDATE_VERSION;
      message = `Invalid update version ${level} for feature ${u.feature}. Broker ${nodeId} only supports versions ${f.minVersion}-${f.maxVersion}.`;
    } else if (level !== f.finalized) {
      code = ErrorCode.INVALID_UPDATE_VERSION;
      message =
        `Invalid update version ${level} for feature ${u.feature}: it stays at version level ${f.finalized}, ` +
        "the embedded broker's feature levels follow the APIs it serves.";
    }
    if (code !== ErrorCode.NONE && errorCode === ErrorCode.NONE) {
      errorCode = code;
      errorMessage = `The update failed for all features since the following feature had an error: ${message}`;
    }
    return { feature: u.feature, errorCode: code, errorMessage: message };
  });
  // as Kafka: a failure answers only the top-level error (no per-feature results)
  return { throttleTimeMs: 0, errorCode, errorMessage, results: errorCode === ErrorCode.NONE ? results : [] };
}
