// Username/password authentication and per-user topic ACLs. Anonymous access unless users are
// configured. Passwords are kept only as scrypt hashes (node:crypto); plain passwords from
// MQTT_USERS ("user:password,user2:password2") are hashed at start and dropped. Log lines name the
// client id, user name and address, never a password.
//
// CONNACK codes (MQTT 3.1.1 table 3.1): 4 "bad user name or password" for an unknown user or a
// wrong password, 5 "not authorized" when users are configured and the client sent no user name.
// SUBSCRIBE to a filter outside the user's ACL gets 0x80 in the SUBACK [MQTT-3.9.3-2]. A PUBLISH
// outside the ACL is acknowledged and dropped, as [MQTT-3.3.5-2] allows (and Mosquitto does), so a
// persistent publisher does not loop on reconnect-and-redeliver.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { UserSpec } from './config.ts';
import { MqttBrokerError } from './errors.ts';
import { type CompiledFilter, compileFilter, filterCovers, filterProblem, topicMatches } from './topics.ts';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

/** `scrypt$N$r$p$salt$hash` (base64) for a users file. */
export function hashPassword(plain: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(plain, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

interface StoredHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(s: string, username: string): StoredHash {
  const parts = s.split('$');
  const [, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || !n || !r || !p || !salt || !hash) {
    throw new MqttBrokerError('SEAWAY_MQTT_USERS', `user ${username}: password hash is not scrypt$N$r$p$salt$hash`);
  }
  return {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
}

interface Acl {
  patterns: string[];
}

interface User {
  username: string;
  secret: StoredHash;
  publish: Acl | null;
  subscribe: Acl | null;
}

/** "user:password,user2:password2" → user specs without ACLs. */
export function parseUsersString(s: string): UserSpec[] {
  const out: UserSpec[] = [];
  for (const item of s.split(',')) {
    const t = item.trim();
    if (t === '') continue;
    const colon = t.indexOf(':');
    if (colon <= 0) {
      throw new MqttBrokerError(
        'SEAWAY_MQTT_USERS',
        `expected user:password in the users list, got an item without ':'`,
      );
    }
    out.push({ username: t.slice(0, colon), password: t.slice(colon + 1) });
  }
  return out;
}

export function readUsersFile(path: string): UserSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new MqttBrokerError('SEAWAY_MQTT_USERS', `cannot read users file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!Array.isArray(raw)) throw new MqttBrokerError('SEAWAY_MQTT_USERS', `users file ${path} must hold a JSON array`);
  return raw.map((u, i) => {
    if (typeof u?.username !== 'string' || typeof u?.password !== 'string') {
      throw new MqttBrokerError('SEAWAY_MQTT_USERS', `users file ${path}, entry ${i}: needs username and password`);
    }
    return u as UserSpec;
  });
}

function aclOf(username: string, what: string, filters: string[] | undefined): Acl | null {
  if (!filters) return null;
  for (const f of filters) {
    const problem = filterProblem(f.replaceAll('%u', 'u').replaceAll('%c', 'c'));
    if (problem) throw new MqttBrokerError('SEAWAY_MQTT_USERS', `user ${username}, ${what} ACL ${f}: ${problem}`);
  }
  return { patterns: filters };
}

function expand(acl: Acl, username: string, clientId: string): CompiledFilter[] {
  return acl.patterns.map((p) => compileFilter(p.replaceAll('%u', username).replaceAll('%c', clientId)));
}

export interface AuthClient {
  id: string;
}

export class Authenticator {
  readonly #users = new Map<string, User>();
  /** Compiled ACLs per connected client (patterns expanded with its user name and client id). */
  readonly #clientAcl = new WeakMap<
    AuthClient,
    { username: string; publish: CompiledFilter[] | null; subscribe: CompiledFilter[] | null }
  >();
  readonly enabled: boolean;

  constructor(specs: UserSpec[]) {
    for (const s of specs) {
      const secret = s.password.startsWith('scrypt$')
        ? parseHash(s.password, s.username)
        : parseHash(hashPassword(s.password), s.username);
      this.#users.set(s.username, {
        username: s.username,
        secret,
        publish: aclOf(s.username, 'publish', s.publish),
        subscribe: aclOf(s.username, 'subscribe', s.subscribe),
      });
    }
    this.enabled = this.#users.size > 0;
  }

  /** Calls back with null (accepted) or an error carrying the CONNACK returnCode. */
  check(
    client: AuthClient,
    username: string | undefined,
    password: Buffer | undefined,
    cb: (err: MqttBrokerError | null) => void,
  ): void {
    if (!this.enabled) {
      cb(null);
      return;
    }
    const fail = (code: 'SEAWAY_MQTT_AUTH_FAILED' | 'SEAWAY_MQTT_NOT_AUTHORIZED', why: string) => {
      const err = new MqttBrokerError(code, why);
      err.returnCode = code === 'SEAWAY_MQTT_AUTH_FAILED' ? 4 : 5;
      cb(err);
    };
    if (username === undefined) {
      fail('SEAWAY_MQTT_NOT_AUTHORIZED', 'no user name given and anonymous access is off');
      return;
    }
    const user = this.#users.get(username);
    const given = password ?? Buffer.alloc(0);
    // unknown users cost a hash too, so timing does not tell which names exist
    const secret = user?.secret ?? { N, r: R, p: P, salt: Buffer.alloc(16), hash: Buffer.alloc(KEYLEN) };
    scrypt(
      given,
      secret.salt,
      secret.hash.length,
      { N: secret.N, r: secret.r, p: secret.p, maxmem: 256 * secret.N * secret.r },
      (err, derived) => {
        if (err) return fail('SEAWAY_MQTT_AUTH_FAILED', `password check failed: ${err.message}`);
        if (!user || !timingSafeEqual(derived, secret.hash))
          return fail('SEAWAY_MQTT_AUTH_FAILED', 'bad user name or password');
        this.#clientAcl.set(client, {
          username,
          publish: user.publish && expand(user.publish, username, client.id),
          subscribe: user.subscribe && expand(user.subscribe, username, client.id),
        });
        cb(null);
      },
    );
  }

  usernameOf(client: AuthClient): string | null {
    return this.#clientAcl.get(client)?.username ?? null;
  }

  mayPublish(client: AuthClient, topic: string): boolean {
    const acl = this.#clientAcl.get(client)?.publish;
    if (!acl) return true;
    for (const f of acl) if (topicMatches(f, topic)) return true;
    return false;
  }

  maySubscribe(client: AuthClient, filter: string): boolean {
    const acl = this.#clientAcl.get(client)?.subscribe;
    if (!acl) return true;
    const req = compileFilter(filter);
    for (const f of acl) if (filterCovers(f, req)) return true;
    return false;
  }
}
