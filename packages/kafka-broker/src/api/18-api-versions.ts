// ApiVersions (key 18), versions 0-4.
// v1: throttleTimeMs. v2: same layout. v3: flexible, request carries client software name/version,
// response carries feature flags as tagged fields (KIP-584): SupportedFeatures, FinalizedFeaturesEpoch,
// FinalizedFeatures, ZkMigrationReady (false), from ./features.ts. v4: same layout; supported features
// whose minimum is 0 are only sent from v4 on (KIP-1022), as Kafka does.
// A request above v4 never reaches this handler: the connection answers it with a v0
// UNSUPPORTED_VERSION response carrying the full list so the client can retry lower.

import { ErrorCode } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';
import { featureFields } from './features.ts';

export const apiKey = 18;
export const minVersion = 0;
export const maxVersion = 4;

export function handle(_req: unknown, ctx: RequestContext) {
  const apis = ctx.broker.apiVersions;
  if (ctx.version < 3) return { errorCode: ErrorCode.NONE, apiKeys: apis, throttleTimeMs: 0 };
  return { errorCode: ErrorCode.NONE, apiKeys: apis, throttleTimeMs: 0, ...featureFields(apis, ctx.version) };
}
