// The Kafka Connect REST API as a fastify plugin, with Apache Kafka's paths, shapes and status codes
// (ConnectorsResource, ConnectorPluginsResource, RootResource). The lab mounts it at / on
// CONNECT_PORT and under /api/connect on 3030. Errors are {"error_code", "message"} like Connect's
// ConnectExceptionMapper; an invalid config is a 400 whose message lists every key's error.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { MQTT_SOURCE_CLASSES, validateMqttSourceConfig } from '../connector/validate.ts';
import { BridgeError, type BridgeErrorCode, BridgeErrorCodes } from '../errors.ts';
import type { ConnectWorker } from '../runtime/worker.ts';

export interface ConnectPluginOptions {
  worker: ConnectWorker;
  version?: string;
  commit?: string;
  /** Kafka cluster id shown by GET /, resolved lazily. */
  clusterId?: () => Promise<string> | string;
}

const PLUGIN_VERSION = '4.1.1-seaway';

const STATUS_OF: Partial<Record<BridgeErrorCode, number>> = {
  [BridgeErrorCodes.CONNECTOR_NOT_FOUND]: 404,
  [BridgeErrorCodes.TASK_NOT_FOUND]: 404,
  [BridgeErrorCodes.CONNECTOR_EXISTS]: 409,
  [BridgeErrorCodes.CONFIG_INVALID]: 400,
  [BridgeErrorCodes.BAD_REQUEST]: 400,
  [BridgeErrorCodes.PLUGIN_NOT_FOUND]: 400,
  [BridgeErrorCodes.KCQL_PARSE]: 400,
};

function bad(message: string): never {
  throw new BridgeError(BridgeErrorCodes.BAD_REQUEST, message);
}

/** Connect takes config values as strings; JSON numbers and booleans are accepted and stringified. */
function asConfig(body: unknown, what: string): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    bad(`${what} must be a JSON object of string values`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') bad(`${what}: value of ${k} must be a string`);
    out[k] = String(v);
  }
  return out;
}

function flag(v: unknown): boolean {
  return v === true || v === 'true';
}

function resolvePluginClass(cls: string): string | undefined {
  if ((MQTT_SOURCE_CLASSES as readonly string[]).includes(cls)) return cls;
  if (cls === 'MqttSourceConnector' || cls === 'MqttSource') return MQTT_SOURCE_CLASSES[0];
  return undefined;
}

export const connectRestPlugin: FastifyPluginAsync<ConnectPluginOptions> = async (app: FastifyInstance, opts) => {
  const w = opts.worker;

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof BridgeError) {
      const status = STATUS_OF[err.code] ?? 500;
      return reply.code(status).send({ error_code: status, message: err.message });
    }
    const e = err as { statusCode?: number; message: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
    return reply.code(status).send({ error_code: status, message: e.message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }));

  app.get('/', async () => ({
    version: opts.version ?? PLUGIN_VERSION,
    commit: opts.commit ?? 'seaway',
    kafka_cluster_id: opts.clusterId ? await opts.clusterId() : 'seaway',
  }));

  app.get('/health', async () => ({
    status: 'healthy',
    message: 'Worker has completed startup and is ready to handle requests.',
  }));

  app.get('/connector-plugins', async () =>
    MQTT_SOURCE_CLASSES.map((cls) => ({ class: cls, type: 'source', version: PLUGIN_VERSION })),
  );

  app.put<{ Params: { cls: string } }>('/connector-plugins/:cls/config/validate', async (req) => {
    const cls = resolvePluginClass(req.params.cls);
    if (!cls)
      throw new BridgeError(
        BridgeErrorCodes.PLUGIN_NOT_FOUND,
        `Failed to find any class that implements Connector and which name matches ${req.params.cls}`,
      );
    const config = asConfig(req.body, 'the config to validate');
    const inBody = config['connector.class'];
    if (inBody !== undefined && inBody !== cls && !inBody.endsWith(req.params.cls)) {
      bad(`Included connector type ${inBody} does not match request type ${req.params.cls}`);
    }
    return validateMqttSourceConfig(config, cls).infos;
  });

  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', async (req) => {
    const expand = new Set([req.query.expand ?? []].flat());
    if (expand.size === 0) return w.names();
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of w.names()) {
      const entry: Record<string, unknown> = {};
      if (expand.has('status')) entry.status = w.status(name);
      if (expand.has('info')) entry.info = w.info(name);
      out[name] = entry;
    }
    return out;
  });

  app.post('/connectors', async (req, reply) => {
    const body = req.body as { name?: unknown; config?: unknown } | null;
    if (!body || typeof body !== 'object') bad('Request body must be a JSON object {"name": …, "config": {…}}');
    const config = asConfig(body.config ?? {}, 'config');
    const name = typeof body.name === 'string' ? body.name : config.name;
    if (!name) bad('Connector name must be given as "name" (or config.name)');
    if (config.name !== undefined && config.name !== name)
      bad(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`);
    if (!/^[^/\\]+$/.test(name) || name.trim() !== name)
      bad(
        `Connector name ${JSON.stringify(name)} is invalid: it must not be empty, contain / or \\, or start or end with whitespace`,
      );
    const initial = (body as { initial_state?: unknown }).initial_state;
    if (initial !== undefined && initial !== 'RUNNING' && initial !== 'PAUSED' && initial !== 'STOPPED') {
      bad(`initial_state must be RUNNING, PAUSED or STOPPED, not ${String(initial)}`);
    }
    const target = initial === 'PAUSED' ? 'PAUSED' : initial === 'STOPPED' ? 'STOPPED' : 'STARTED';
    const info = await w.serial(() => w.create(name, config, target));
    return reply
      .code(201)
      .header('location', `/connectors/${encodeURIComponent(name)}`)
      .send(info);
  });

  app.get<{ Params: { name: string } }>('/connectors/:name', async (req) => w.info(req.params.name));
  app.get<{ Params: { name: string } }>('/connectors/:name/config', async (req) => w.config(req.params.name));

  app.put<{ Params: { name: string } }>('/connectors/:name/config', async (req, reply) => {
    const config = asConfig(req.body, 'config');
    if (config.name !== undefined && config.name !== req.params.name) {
      bad(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${req.params.name})`);
    }
    const { created, info } = await w.serial(() => w.putConfig(req.params.name, config));
    if (created) reply.header('location', `/connectors/${encodeURIComponent(req.params.name)}`);
    return reply.code(created ? 201 : 200).send(info);
  });

  app.patch<{ Params: { name: string } }>('/connectors/:name/config', async (req) => {
    const body = req.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) bad('config patch must be a JSON object');
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(body)) patch[k] = v === null ? null : String(v);
    if (patch.name !== undefined && patch.name !== null && patch.name !== req.params.name) {
      bad(`Connector name configuration (${patch.name}) doesn't match connector name in the URL (${req.params.name})`);
    }
    return w.serial(() => w.patchConfig(req.params.name, patch));
  });

  app.get<{ Params: { name: string } }>('/connectors/:name/status', async (req) => w.status(req.params.name));
  app.get<{ Params: { name: string } }>('/connectors/:name/tasks', async (req) => w.taskConfigs(req.params.name));
  app.get<{ Params: { name: string; id: string } }>('/connectors/:name/tasks/:id/status', async (req) =>
    w.taskStatus(req.params.name, taskId(req.params.id)),
  );

  app.post<{ Params: { name: string }; Querystring: { includeTasks?: string; onlyFailed?: string } }>(
    '/connectors/:name/restart',
    async (req, reply: FastifyReply) => {
      const includeTasks = flag(req.query.includeTasks);
      const onlyFailed = flag(req.query.onlyFailed);
      await w.serial(() => w.restart(req.params.name, includeTasks, onlyFailed));
      if (!includeTasks && !onlyFailed) return reply.code(204).send();
      return reply.code(202).send(w.status(req.params.name));
    },
  );

  app.post<{ Params: { name: string; id: string } }>('/connectors/:name/tasks/:id/restart', async (req, reply) => {
    await w.serial(() => w.restartTask(req.params.name, taskId(req.params.id)));
    return reply.code(204).send();
  });

  app.put<{ Params: { name: string } }>('/connectors/:name/pause', async (req, reply) => {
    await w.serial(() => w.pause(req.params.name));
    return reply.code(202).send();
  });
  app.put<{ Params: { name: string } }>('/connectors/:name/resume', async (req, reply) => {
    await w.serial(() => w.resume(req.params.name));
    return reply.code(202).send();
  });
  app.put<{ Params: { name: string } }>('/connectors/:name/stop', async (req, reply) => {
    await w.serial(() => w.stop(req.params.name));
    return reply.code(204).send();
  });
  app.delete<{ Params: { name: string } }>('/connectors/:name', async (req, reply) => {
    await w.serial(() => w.remove(req.params.name));
    return reply.code(204).send();
  });

  app.get<{ Params: { name: string } }>('/connectors/:name/topics', async (req) => ({
    [req.params.name]: { topics: w.topics(req.params.name) },
  }));
  app.put<{ Params: { name: string } }>('/connectors/:name/topics/reset', async (req, reply) => {
    w.resetTopics(req.params.name);
    return reply.code(202).send();
  });

  // MQTT source records carry no source offsets (as in Stream Reactor): the MQTT session is the cursor.
  app.get<{ Params: { name: string } }>('/connectors/:name/offsets', async (req) => {
    w.info(req.params.name);
    return { offsets: [] };
  });
};

function taskId(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) bad(`Task id ${raw} is not a non-negative integer`);
  return n;
}
