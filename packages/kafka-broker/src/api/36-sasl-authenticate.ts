// SaslAuthenticate (key 36), versions 0-2.
// v1: sessionLifetimeMs (0: no re-authentication required). v2: flexible.
// Requires a prior SaslHandshake v1 choosing PLAIN. A wrong user or password answers
// SASL_AUTHENTICATION_FAILED; the client then closes, as with Kafka.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { checkPlainToken } from '../server/sasl.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 36;
export const minVersion = 0;
export const maxVersion = 2;

const EMPTY = Buffer.alloc(0);

export function handle(req: RequestBody<36>, ctx: RequestContext) {
  const c = ctx.connection;
  if (c.saslMechanism !== 'PLAIN' || c.principal !== null) {
    return {
      errorCode: ErrorCode.ILLEGAL_SASL_STATE,
      errorMessage: 'send SaslHandshake with PLAIN first',
      authBytes: EMPTY,
      sessionLifetimeMs: 0n,
    };
  }
  const user = checkPlainToken(req.authBytes, ctx.broker.opts.sasl);
  if (user === null) {
    return {
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
      errorMessage: 'Authentication failed: Invalid username or password',
      authBytes: EMPTY,
      sessionLifetimeMs: 0n,
    };
  }
  c.principal = user;
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: EMPTY, sessionLifetimeMs: 0n };
}
