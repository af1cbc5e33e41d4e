// HTTP basic auth for every HTTP listener of the lab (WEB_PORT, REGISTRY_PORT, CONNECT_PORT), and the
// small fastify servers that carry the registry and Connect APIs on their own ports behind it.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { applyHttpLimits, fastifyLimitOptions, type HttpLimitStats, type HttpLimits } from './http-limits.ts';

export interface BasicAuth {
  user: string;
  password: string;
}

export function authorized(header: string | undefined, auth: BasicAuth): boolean {
  // the scheme name is case-insensitive (RFC 7235 2.1)
  if (header === undefined || !/^basic +/i.test(header)) return false;
  const given = Buffer.from(header.replace(/^basic +/i, ''), 'base64');
  const want = Buffer.from(`${auth.user}:${auth.password}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Answers 401 with a Basic challenge to any request without the lab's credentials. */
export function requireBasicAuth(app: FastifyInstance, auth: BasicAuth | null): void {
  if (!auth) return;
  app.addHook('onRequest', async (req, reply) => {
    if (!authorized(req.headers.authorization, auth)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Seaway"')
        .send({ error_code: 401, message: 'authentication required' });
    }
  });
}

/** A fastify server on host:port with the lab's auth in front of `register`'s routes. */
export async function startGuardedServer(o: {
  port: number;
  host: string;
  auth: BasicAuth | null;
  limits: HttpLimits;
  register: (app: FastifyInstance) => Promise<void>;
}): Promise<{ app: FastifyInstance; port: number; limits: HttpLimitStats }> {
  const app = Fastify({ logger: false, ...fastifyLimitOptions(o.limits) });
  const limits = limitedServer(app, o.limits);
  requireBasicAuth(app, o.auth);
  await o.register(app);
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  return { app, port: (app.server.address() as AddressInfo).port, limits };
}

/** Applies `l` to the app's server and counts its 413 answers. */
export function limitedServer(app: FastifyInstance, l: HttpLimits): HttpLimitStats {
  const stats = applyHttpLimits(app.server, l);
  app.addHook('onResponse', async (_req, reply) => {
    if (reply.statusCode === 413) stats.bodyTooLarge++;
  });
  return stats;
}
