// SASL/PLAIN (RFC 4616): token = [authzid] NUL authcid NUL passwd. Returns the user or null.

import { timingSafeEqual } from 'node:crypto';
import type { SaslPlainOptions } from '../config.ts';

export function checkPlainToken(token: Buffer, sasl: SaslPlainOptions | null): string | null {
  if (!sasl) return null;
  const parts = token.toString('utf8').split('\u0000');
  if (parts.length !== 3) return null;
  const [, user, password] = parts as [string, string, string];
  const expected = sasl.users[user];
  if (expected === undefined || !Object.hasOwn(sasl.users, user)) return null;
  const a = Buffer.from(password);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? user : null;
}
