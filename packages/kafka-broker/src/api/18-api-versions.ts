// ApiVersions (key 18), versions 0-4.
// v1: throttleTimeMs. v2: same layout. v3: flexible, request carries client software name/version,
// response may carry features (KIP-584; none reported here). v4: same as v3 (KIP-511 follow-up).
// A request above v4 never reaches this handler: the connection answers it with a v0
// UNSUPPORTED_VERSION response carrying the full list so the client can retry lower.

import { ErrorCode } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 18;
export const minVersion = 0;
export const maxVersion = 4;

export function handle(_req: unknown, ctx: RequestContext) {
  return { errorCode: ErrorCode.NONE, apiKeys: ctx.broker.apiVersions, throttleTimeMs: 0 };
}
