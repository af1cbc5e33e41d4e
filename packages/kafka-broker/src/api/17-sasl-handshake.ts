// SaslHandshake (key 17), versions 0-1.
// v0: after a successful handshake the client sends the SASL token as a bare frame (no Kafka header);
// the connection reads it next. v1: tokens travel in SaslAuthenticate requests.
// Only PLAIN is offered, and only when the broker is configured with sasl; otherwise every mechanism
// answers UNSUPPORTED_SASL_MECHANISM with an empty list... as Kafka without SASL listeners would close,
// this keeps the answer readable instead.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 17;
export const minVersion = 0;
export const maxVersion = 1;

export function handle(req: RequestBody<17>, ctx: RequestContext) {
  const offered = ctx.broker.opts.sasl ? ['PLAIN'] : [];
  if (!offered.includes(req.mechanism)) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: offered };
  if (ctx.connection.principal !== null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: offered };
  ctx.connection.saslMechanism = req.mechanism;
  if (ctx.version === 0) ctx.connection.rawSaslNext = true;
  return { errorCode: ErrorCode.NONE, mechanisms: offered };
}
