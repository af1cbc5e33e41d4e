// The Confluent Schema Registry REST API as a fastify plugin. The lab mounts it under
// /api/schema-registry on 3030; server.ts mounts it at / on REGISTRY_PORT (8081). It is encapsulated
// (no fastify-plugin wrapper), so its body parsers, error and not-found handlers stay inside it.
// Bodies: application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,
// application/json and application/octet-stream, all parsed as JSON; others get 415, malformed JSON
// 400, bodies over `bodyLimit` 413. An empty body with one of these types is no body (Confluent's
// Java client sends the type on bodiless DELETEs and GETs); routes that need a body answer 400. Answers are application/vnd.schemaregistry.v1+json, errors
// {error_code, message}. Until the registry has read its store to the end, every route answers 503.

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, RegistryError, SeawayCode, SeawayRegistryError, schemaNotFound } from './errors.ts';
import { type RegisterRequest, type SchemaRegistry, view } from './registry.ts';
import { SCHEMA_TYPES, type SchemaReference } from './types.ts';

export interface SchemaRegistryRoutesOptions {
  registry: SchemaRegistry;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
}

export const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPTED = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];

type Params = { subject: string; version: string; id: string };
type Query = Record<string, string | undefined>;
type Req = FastifyRequest<{ Params: Params; Querystring: Query; Body: unknown }>;

const flag = (q: Query, name: string): boolean => q[name] === 'true';
/** deletedOnly, as Confluent's server names it, or deleted_only, as its Python client sends it. */
const deletedOnly = (q: Query): boolean => flag(q, 'deletedOnly') || flag(q, 'deleted_only');

/** Confluent's paging: `offset` (from 0) and `limit` (-1 or absent: all). */
function page<T>(list: T[], q: Query): T[] {
  const offset = Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0);
  const limit = Number.parseInt(q.limit ?? '-1', 10);
  return list.slice(offset, Number.isFinite(limit) && limit >= 0 ? offset + limit : undefined);
}

function badBody(message: string): RegistryError {
  return new RegistryError(400, message, 400);
}

/** Validates a register/lookup/compatibility body; `?normalize=true` is taken from the query. */
function registerRequest(body: unknown, query?: Query): RegisterRequest {
  if (body === undefined) throw badBody('the request body is empty; send a JSON object like {"schema": "..."}');
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badBody('the request body must be a JSON object like {"schema": "..."}');
  const b = body as Record<string, unknown>;
  if (typeof b.schema !== 'string' || b.schema === '')
    throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Invalid schema: "schema" is missing or not a string');
  const req: RegisterRequest = { schema: b.schema };
  if (query && flag(query, 'normalize')) req.normalize = true;
  if (b.schemaType !== undefined && b.schemaType !== null) {
    if (typeof b.schemaType !== 'string')
      throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Invalid schema: "schemaType" must be a string');
    req.schemaType = b.schemaType.toUpperCase() as RegisterRequest['schemaType'];
  }
  if (b.references !== undefined && b.references !== null) {
    if (!Array.isArray(b.references))
      throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Invalid schema: "references" must be an array');
    req.references = b.references.map((r: unknown): SchemaReference => {
      const o = r as Record<string, unknown> | null;
      if (!o || typeof o.name !== 'string' || typeof o.subject !== 'string' || !Number.isInteger(o.version))
        throw new RegistryError(
          ErrorCode.INVALID_SCHEMA,
          'Invalid schema: each reference needs "name" (string), "subject" (string) and "version" (integer)',
        );
      return { name: o.name, subject: o.subject, version: o.version as number };
    });
  }
  if (Number.isInteger(b.id)) req.id = b.id as number;
  if (Number.isInteger(b.version)) req.version = b.version as number;
  return req;
}

function parseId(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) >= 2 ** 31) throw schemaNotFound(`Schema ${text} not found`);
  return Number(text);
}

function errorBody(err: unknown): { status: number; body: { error_code: number; message: string } } {
  if (err instanceof RegistryError) return { status: err.status, body: err.toJSON() };
  if (err instanceof SeawayRegistryError) {
    const status = err.code === SeawayCode.STORE_CLOSED ? 503 : 500;
    return { status, body: { error_code: ErrorCode.STORE_ERROR, message: `${err.code}: ${err.message}` } };
  }
  const e = err as { statusCode?: number; message?: string };
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  return { status, body: { error_code: status, message: e.message ?? 'internal error' } };
}

export const schemaRegistryRoutes: FastifyPluginAsync<SchemaRegistryRoutesOptions> = async (
  app: FastifyInstance,
  opts,
) => {
  const registry = opts.registry;
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ACCEPTED, { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    const text = String(body);
    // Confluent's Java client sends its content type on every request, bodiless DELETEs and GETs
    // included: an empty body is no body, and routes that need one say so themselves.
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(badBody(`the request body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = errorBody(err);
    reply.code(status).type(CONTENT_TYPE).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .type(CONTENT_TYPE)
      .send({ error_code: 404, message: `HTTP 404 Not Found: no schema registry route for ${req.method} ${req.url}` });
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (!registry.ready) {
      const why = registry.failure ? `failed to start: ${registry.failure.message}` : `is ${registry.status}`;
      return reply
        .code(503)
        .type(CONTENT_TYPE)
        .header('retry-after', '1')
        .send({
          error_code: ErrorCode.NOT_READY,
          message: `the schema registry ${why} (reading ${registry.storeDescription})`,
        });
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-type') || String(reply.getHeader('content-type')).startsWith('application/json'))
      reply.type(CONTENT_TYPE);
    return payload;
  });

  const ok = (reply: FastifyReply, body: unknown) => reply.type(CONTENT_TYPE).send(body);
  const raw = (reply: FastifyReply, text: string) => reply.type(CONTENT_TYPE).send(text);

  app.get('/', async (_req, reply) => ok(reply, {}));
  app.get('/schemas/types', async (_req, reply) => ok(reply, [...SCHEMA_TYPES]));
  // one registry, one context: Confluent's default context is "."
  app.get('/contexts', async (_req, reply) => ok(reply, ['.']));

  app.get('/schemas', async (req: Req, reply) => {
    const deleted = flag(req.query, 'deleted');
    const out = registry.subjects(deleted, req.query.subjectPrefix ?? '').flatMap((s) => {
      const versions = registry.state.versions(s, deleted);
      return flag(req.query, 'latestOnly') ? versions.slice(-1) : versions;
    });
    return ok(reply, out.map(view));
  });
  app.get('/schemas/ids/:id', async (req: Req, reply) => {
    const s = registry.schemaById(parseId(req.params.id));
    const out: Record<string, unknown> = {};
    if (s.schemaType !== 'AVRO') out.schemaType = s.schemaType;
    if (s.references.length > 0) out.references = s.references;
    out.schema = registry.formatted(s, req.query.format);
    return ok(reply, out);
  });
  app.get('/schemas/ids/:id/schema', async (req: Req, reply) =>
    raw(reply, registry.schemaById(parseId(req.params.id)).schema),
  );
  app.get('/schemas/ids/:id/subjects', async (req: Req, reply) => {
    const id = parseId(req.params.id);
    registry.schemaById(id);
    return ok(
      reply,
      page([...new Set(registry.state.usesOf(id, flag(req.query, 'deleted')).map((v) => v.subject))], req.query),
    );
  });
  app.get('/schemas/ids/:id/versions', async (req: Req, reply) => {
    const id = parseId(req.params.id);
    registry.schemaById(id);
    return ok(
      reply,
      page(
        registry.state.usesOf(id, flag(req.query, 'deleted')).map((v) => ({ subject: v.subject, version: v.version })),
        req.query,
      ),
    );
  });

  app.get('/subjects', async (req: Req, reply) => {
    const prefix = req.query.subjectPrefix ?? '';
    let subjects = registry.subjects(flag(req.query, 'deleted') || deletedOnly(req.query), prefix);
    if (deletedOnly(req.query)) {
      const live = new Set(registry.subjects(false, prefix));
      subjects = subjects.filter((s) => !live.has(s));
    }
    return ok(reply, page(subjects, req.query));
  });
  app.get('/subjects/:subject/versions', async (req: Req, reply) => {
    const subject = req.params.subject;
    if (!deletedOnly(req.query))
      return ok(reply, page(registry.versionNumbers(subject, flag(req.query, 'deleted')), req.query));
    const live = new Set(registry.state.versions(subject, false).map((v) => v.version));
    return ok(
      reply,
      page(
        registry.versionNumbers(subject, true).filter((v) => !live.has(v)),
        req.query,
      ),
    );
  });
  app.get('/subjects/:subject/versions/:version', async (req: Req, reply) => {
    const v = registry.resolveVersion(req.params.subject, req.params.version, flag(req.query, 'deleted'));
    return ok(reply, { ...view(v), schema: registry.formatted(v, req.query.format) });
  });
  app.get('/subjects/:subject/versions/:version/schema', async (req: Req, reply) =>
    raw(reply, registry.resolveVersion(req.params.subject, req.params.version, flag(req.query, 'deleted')).schema),
  );
  app.get('/subjects/:subject/versions/:version/referencedby', async (req: Req, reply) => {
    const v = registry.resolveVersion(req.params.subject, req.params.version, true);
    return ok(reply, page(registry.state.referencedBy(v.subject, v.version), req.query));
  });
  app.post('/subjects/:subject', async (req: Req, reply) =>
    ok(
      reply,
      view(registry.lookup(req.params.subject, registerRequest(req.body, req.query), flag(req.query, 'deleted'))),
    ),
  );
  app.post('/subjects/:subject/versions', async (req: Req, reply) =>
    ok(reply, await registry.register(req.params.subject, registerRequest(req.body, req.query))),
  );
  app.delete('/subjects/:subject', async (req: Req, reply) =>
    ok(reply, await registry.deleteSubject(req.params.subject, flag(req.query, 'permanent'))),
  );
  app.delete('/subjects/:subject/versions/:version', async (req: Req, reply) =>
    ok(reply, await registry.deleteVersion(req.params.subject, req.params.version, flag(req.query, 'permanent'))),
  );

  const compatibility = (req: Req, reply: FastifyReply, version: string | null) => {
    const messages = registry.testCompatibility(req.params.subject, version, registerRequest(req.body, req.query));
    const out: Record<string, unknown> = { is_compatible: messages.length === 0 };
    if (flag(req.query, 'verbose')) out.messages = messages;
    return ok(reply, out);
  };
  app.post('/compatibility/subjects/:subject/versions/:version', async (req: Req, reply) =>
    compatibility(req, reply, req.params.version),
  );
  app.post('/compatibility/subjects/:subject/versions', async (req: Req, reply) => compatibility(req, reply, null));

  const levelFrom = (body: unknown): unknown => {
    const b = (body ?? {}) as Record<string, unknown>;
    return b.compatibility ?? b.compatibilityLevel;
  };
  app.get('/config', async (_req, reply) => ok(reply, { compatibilityLevel: registry.compatibility(null) }));
  app.put('/config', async (req: Req, reply) =>
    ok(reply, { compatibility: await registry.setCompatibility(null, levelFrom(req.body)) }),
  );
  app.delete('/config', async (_req, reply) =>
    ok(reply, { compatibilityLevel: await registry.deleteCompatibility(null) }),
  );
  app.get('/config/:subject', async (req: Req, reply) => {
    const own = registry.state.configs.get(req.params.subject);
    if (own) return ok(reply, { compatibilityLevel: own });
    if (flag(req.query, 'defaultToGlobal')) return ok(reply, { compatibilityLevel: registry.compatibility(null) });
    throw new RegistryError(
      ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
      `Subject '${req.params.subject}' does not have subject-level compatibility configured`,
    );
  });
  app.put('/config/:subject', async (req: Req, reply) =>
    ok(reply, { compatibility: await registry.setCompatibility(req.params.subject, levelFrom(req.body)) }),
  );
  app.delete('/config/:subject', async (req: Req, reply) =>
    ok(reply, { compatibilityLevel: await registry.deleteCompatibility(req.params.subject) }),
  );

  const modeFrom = (body: unknown): unknown => ((body ?? {}) as Record<string, unknown>).mode;
  app.get('/mode', async (_req, reply) => ok(reply, { mode: registry.mode(null) }));
  app.put('/mode', async (req: Req, reply) =>
    ok(reply, { mode: await registry.setMode(null, modeFrom(req.body), flag(req.query, 'force')) }),
  );
  app.get('/mode/:subject', async (req: Req, reply) => {
    const own = registry.state.modes.get(req.params.subject);
    if (own) return ok(reply, { mode: own });
    if (flag(req.query, 'defaultToGlobal')) return ok(reply, { mode: registry.mode(null) });
    throw new RegistryError(
      ErrorCode.SUBJECT_MODE_NOT_CONFIGURED,
      `Subject '${req.params.subject}' does not have subject-level mode configured`,
    );
  });
  app.put('/mode/:subject', async (req: Req, reply) =>
    ok(reply, { mode: await registry.setMode(req.params.subject, modeFrom(req.body), flag(req.query, 'force')) }),
  );
  app.delete('/mode/:subject', async (req: Req, reply) =>
    ok(reply, { mode: await registry.deleteMode(req.params.subject) }),
  );
};
