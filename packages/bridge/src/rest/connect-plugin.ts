// The Kafka Connect REST API as a fastify plugin, with Apache Kafka's paths, shapes and status codes
// (ConnectorsResource, ConnectorPluginsResource, RootResource). The lab mounts it at / on
// CONNECT_PORT and under /api/connect on 3030. Errors are {"error_code", "message"} like Connect's
// ConnectExceptionMapper; an invalid config is a 400 whose message lists every key's error.
// Connect 4.1 behaviour kept on purpose: a body-less request with Content-Type: application/json is
// fine (curl -X PUT -H 'Content-Type: application/json' …/pause); each route's 404 text is the one
// Connect's herder gives (e.g. "Unknown connector x" for pause, "No status found for connector x");
// GET …/topics and PUT …/topics/reset of an unknown connector answer 200 / 202 as Connect does.
// The full contract, with the Kafka source of each row, is in ../../CONNECT-REST.md.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { PLUGIN_VERSION } from '../connector/config-def.ts';
import { validateMqttSourceConfig } from '../connector/validate.ts';
import { BridgeError, type BridgeErrorCode, BridgeErrorCodes } from '../errors.ts';
import type { ConnectorOffset, ConnectWorker } from '../runtime/worker.ts';
import { type LogLevels, pinoLevel } from './loggers.ts';
import { pluginConfig, pluginList, resolveConnectorClass } from './plugins.ts';

export interface ConnectPluginOptions {
  worker: ConnectWorker;
  version?: string;
  commit?: string;
  /** Kafka cluster id shown by GET /, resolved lazily. */
  clusterId?: () => Promise<string> | string;
  /** Log levels for /admin/loggers (default: the worker's). */
  loggers?: LogLevels;
  /**
   * A cluster worker (cluster/herder.ts): the answer of the worker that must handle a request (the
   * leader, or the one running a task), or undefined to handle it here. `path` is below the plugin's prefix.
   */
  forward?: (
    method: string,
    path: string,
    body: unknown,
    forwarded: boolean,
  ) => Promise<{ status: number; body: string; contentType: string } | undefined>;
}

const STATUS_OF: Partial<Record<BridgeErrorCode, number>> = {
  [BridgeErrorCodes.CONNECTOR_NOT_FOUND]: 404,
  [BridgeErrorCodes.TASK_NOT_FOUND]: 404,
  [BridgeErrorCodes.CONNECTOR_EXISTS]: 409,
  [BridgeErrorCodes.CONFIG_INVALID]: 400,
  [BridgeErrorCodes.BAD_REQUEST]: 400,
  [BridgeErrorCodes.PLUGIN_NOT_FOUND]: 400,
  [BridgeErrorCodes.PLUGIN_UNKNOWN]: 404,
  [BridgeErrorCodes.LOGGER_NOT_FOUND]: 404,
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

function notFound(message: string): never {
  throw new BridgeError(BridgeErrorCodes.CONNECTOR_NOT_FOUND, message);
}

export const connectRestPlugin: FastifyPluginAsync<ConnectPluginOptions> = async (app: FastifyInstance, opts) => {
  const w = opts.worker;
  const loggers = opts.loggers ?? w.loggers;
  /** Throw Connect's 404 text for this route unless the connector exists. */
  const need = (name: string, message: string) => {
    if (!w.has(name)) notFound(message);
  };

  // Connect (Jersey) treats an empty body as no entity, whatever the Content-Type says.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new BridgeError(
        BridgeErrorCodes.BAD_REQUEST,
        `Cannot parse the request body as JSON: ${(e as Error).message}`,
      );
      done(err, undefined);
    }
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof BridgeError) {
      const status = STATUS_OF[err.code] ?? 500;
      return reply.code(status).send({ error_code: status, message: err.message });
    }
    const e = err as { statusCode?: number; message: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
    return reply.code(status).send({ error_code: status, message: e.message });
  });
  const forward = opts.forward;
  if (forward) {
    app.addHook('preHandler', async (req, reply) => {
      const path = req.url.slice(app.prefix.length) || '/';
      const answer = await forward(req.method, path, req.body, req.headers['x-seaway-forwarded'] === '1');
      if (!answer) return;
      return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
    });
  }
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

  app.get<{ Querystring: { connectorsOnly?: string } }>('/connector-plugins', async (req) =>
    pluginList(req.query.connectorsOnly !== 'false'),
  );

  app.get<{ Params: { cls: string } }>('/connector-plugins/:cls/config', async (req) => {
    const defs = pluginConfig(req.params.cls);
    if (!defs) throw new BridgeError(BridgeErrorCodes.PLUGIN_UNKNOWN, `Unknown plugin ${req.params.cls}.`);
    return defs;
  });

  app.put<{ Params: { cls: string } }>('/connector-plugins/:cls/config/validate', async (req) => {
    const cls = resolveConnectorClass(req.params.cls);
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

  app.get<{ Params: { name: string } }>('/connectors/:name/status', async (req) => {
    need(req.params.name, `No status found for connector ${req.params.name}`);
    return w.status(req.params.name);
  });
  app.get<{ Params: { name: string } }>('/connectors/:name/tasks', async (req) => w.taskConfigs(req.params.name));
  app.get<{ Params: { name: string; id: string } }>('/connectors/:name/tasks/:id/status', async (req) => {
    const id = taskId(req.params.id);
    if (!w.hasTask(req.params.name, id))
      throw new BridgeError(BridgeErrorCodes.TASK_NOT_FOUND, `No status found for task ${req.params.name}-${id}`);
    return w.taskStatus(req.params.name, id);
  });

  app.post<{ Params: { name: string }; Querystring: { includeTasks?: string; onlyFailed?: string } }>(
    '/connectors/:name/restart',
    async (req, reply: FastifyReply) => {
      const includeTasks = flag(req.query.includeTasks);
      const onlyFailed = flag(req.query.onlyFailed);
      need(req.params.name, `Unknown connector: ${req.params.name}`);
      // Connect answers with the plan (what restarts shows RESTARTING) and restarts asynchronously;
      // here the restart is done by the time the answer goes out.
      const plan = await w.serial(async () => {
        const p = w.restartPlan(req.params.name, includeTasks, onlyFailed);
        await w.restart(req.params.name, includeTasks, onlyFailed);
        return p;
      });
      if (!includeTasks && !onlyFailed) return reply.code(204).send();
      return reply.code(202).send(plan);
    },
  );

  app.post<{ Params: { name: string; id: string } }>('/connectors/:name/tasks/:id/restart', async (req, reply) => {
    const id = taskId(req.params.id);
    need(req.params.name, `Unknown connector: ${req.params.name}`);
    if (!w.hasTask(req.params.name, id))
      throw new BridgeError(BridgeErrorCodes.TASK_NOT_FOUND, `Unknown task: ${req.params.name}-${id}`);
    await w.serial(() => w.restartTask(req.params.name, id));
    return reply.code(204).send();
  });

  app.put<{ Params: { name: string } }>('/connectors/:name/pause', async (req, reply) => {
    need(req.params.name, `Unknown connector ${req.params.name}`);
    await w.serial(() => w.pause(req.params.name));
    return reply.code(202).send();
  });
  app.put<{ Params: { name: string } }>('/connectors/:name/resume', async (req, reply) => {
    need(req.params.name, `Unknown connector ${req.params.name}`);
    await w.serial(() => w.resume(req.params.name));
    return reply.code(202).send();
  });
  app.put<{ Params: { name: string } }>('/connectors/:name/stop', async (req, reply) => {
    need(req.params.name, `Unknown connector ${req.params.name}`);
    await w.serial(() => w.stop(req.params.name));
    return reply.code(204).send();
  });
  app.delete<{ Params: { name: string } }>('/connectors/:name', async (req, reply) => {
    await w.serial(() => w.remove(req.params.name));
    return reply.code(204).send();
  });

  app.get<{ Params: { name: string } }>('/connectors/:name/topics', async (req) => ({
    [req.params.name]: { topics: w.has(req.params.name) ? w.topics(req.params.name) : [] },
  }));
  app.put<{ Params: { name: string } }>('/connectors/:name/topics/reset', async (req, reply) => {
    if (w.has(req.params.name)) w.resetTopics(req.params.name);
    return reply.code(202).send();
  });

  // KIP-875. The MQTT source tracks the last message per MQTT topic and each task's MQTT session
  // (see worker.ts); they can be altered or reset only while the connector is STOPPED.
  app.get<{ Params: { name: string } }>('/connectors/:name/offsets', async (req) => ({
    offsets: await w.storedOffsets(req.params.name),
  }));
  app.patch<{ Params: { name: string } }>('/connectors/:name/offsets', async (req) => {
    const entries = offsetEntries(req.body);
    await w.serial(() => w.changeOffsets(req.params.name, entries));
    return { message: 'The offsets for this connector have been altered successfully' };
  });
  app.delete<{ Params: { name: string } }>('/connectors/:name/offsets', async (req) => {
    await w.serial(() => w.clearOffsets(req.params.name));
    return { message: 'The offsets for this connector have been reset successfully' };
  });

  // KIP-495 / KIP-976: log levels of the lab's components.
  app.get('/admin/loggers', async () => loggers.list());
  app.get<{ Params: { logger: string } }>('/admin/loggers/:logger', async (req) => {
    const l = loggers.get(req.params.logger);
    if (!l) throw new BridgeError(BridgeErrorCodes.LOGGER_NOT_FOUND, `Logger ${req.params.logger} not found.`);
    return l;
  });
  app.put<{ Params: { logger: string }; Querystring: { scope?: string } }>(
    '/admin/loggers/:logger',
    async (req, reply) => {
      const body = req.body as { level?: unknown } | undefined;
      if (!body || typeof body !== 'object' || body.level === undefined || body.level === null)
        bad("Desired 'level' parameter was not specified in request.");
      const level = pinoLevel(String(body.level));
      if (!level)
        throw new BridgeError(BridgeErrorCodes.LOGGER_NOT_FOUND, `invalid log level '${String(body.level)}'.`);
      const changed = loggers.set(req.params.logger, level);
      // One worker is the whole cluster: scope=cluster applies here and answers 204 as Connect does.
      if ((req.query.scope ?? '').toLowerCase() === 'cluster') return reply.code(204).send();
      return changed;
    },
  );
};

/** The body of PATCH …/offsets: {"offsets": [{"partition": {…}, "offset": {…} | null}, …]}. */
function offsetEntries(body: unknown): ConnectorOffset[] {
  const list = (body as { offsets?: unknown } | undefined)?.offsets;
  if (!Array.isArray(list) || list.length === 0)
    bad('Partitions / offsets need to be provided for an alter offsets request');
  return list.map((e: unknown) => {
    const entry = e as { partition?: unknown; offset?: unknown } | null;
    const partition = entry?.partition;
    if (!partition || typeof partition !== 'object' || Array.isArray(partition))
      bad('Partition objects cannot be null');
    const p = partition as Record<string, unknown>;
    const offset = entry?.offset ?? null;
    if (offset !== null && (typeof offset !== 'object' || Array.isArray(offset)))
      bad('Offset objects must be JSON objects or null');
    if (typeof p['mqtt.topic'] === 'string') return { partition: p, offset: offset as Record<string, unknown> | null };
    if (typeof p['mqtt.session'] === 'string') {
      if (offset !== null) bad('An MQTT session cannot be positioned: use "offset": null to discard it');
      return { partition: p, offset: null };
    }
    return bad("Partition objects should contain the key 'mqtt.topic' or 'mqtt.session'");
  });
}

function taskId(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) bad(`Task id ${raw} is not a non-negative integer`);
  return n;
}
