// The schema registry the lab uses: SCHEMA_REGISTRY_URL (external), or the embedded one stored in
// the _schemas topic of the lab's Kafka, served on REGISTRY_PORT and under /api/schema-registry.
import { BridgeError, BridgeErrorCodes, type SchemaRegistry as BridgeRegistry } from '@seaway/bridge';
import {
  createSchemaRegistry,
  RegistryError,
  type SchemaRegistry,
  schemaRegistryRoutes,
} from '@seaway/schema-registry';
import type { FastifyInstance } from 'fastify';
import { type BasicAuth, startGuardedServer } from '../auth-http.ts';
import { httpLimits, type LabConfig } from '../config.ts';
import type { HttpLimitStats } from '../http-limits.ts';

export interface RegistryService {
  /** Where clients (and the bridge) reach the registry over HTTP. */
  url: string;
  external: boolean;
  port: number | null;
  /** The embedded registry as the bridge's converters use it, in process; null for an external one. */
  client: BridgeRegistry | null;
  /** Mounts the embedded registry's API under /api/schema-registry (no-op for an external one). */
  mount(app: FastifyInstance): Promise<void>;
  ready(): boolean;
  /** Its own port's connection limits at work (null without one). */
  limits: HttpLimitStats | null;
  close(): Promise<void>;
}

export async function startRegistryService(
  cfg: LabConfig,
  brokers: string[],
  auth: BasicAuth | null = null,
  /** SASL/PLAIN for the _schemas store (the embedded broker with auth on). */
  kafkaSasl?: { mechanism: 'plain'; username: string; password: string },
): Promise<RegistryService> {
  if (cfg.SCHEMA_REGISTRY_URL) {
    return {
      url: cfg.SCHEMA_REGISTRY_URL.replace(/\/$/, ''),
      external: true,
      port: null,
      limits: null,
      client: null,
      mount: async () => {},
      ready: () => true,
      close: async () => {},
    };
  }
  const registry: SchemaRegistry = createSchemaRegistry({
    brokers,
    topic: cfg.REGISTRY_TOPIC,
    ...(kafkaSasl ? { sasl: kafkaSasl } : {}),
  });
  await registry.start();
  let server: Awaited<ReturnType<typeof startGuardedServer>> | null = null;
  if (cfg.REGISTRY_PORT !== 0) {
    // Served by the lab (not startSchemaRegistry) so the lab's basic auth guards this port too.
    try {
      server = await startGuardedServer({
        port: cfg.REGISTRY_PORT,
        host: cfg.BIND_HOST,
        auth,
        limits: httpLimits(cfg, 'registry'),
        register: async (app) => {
          await app.register(schemaRegistryRoutes, { registry, bodyLimit: cfg.REGISTRY_BODY_LIMIT });
        },
      });
    } catch (e) {
      await registry.close();
      throw e;
    }
  }
  const url = server ? `http://127.0.0.1:${server.port}` : `http://127.0.0.1:${cfg.WEB_PORT}/api/schema-registry`;
  return {
    url,
    external: false,
    port: server?.port ?? null,
    limits: server?.limits ?? null,
    client: inProcessClient(registry),
    mount: async (app) => {
      await app.register(schemaRegistryRoutes, {
        registry,
        bodyLimit: cfg.REGISTRY_BODY_LIMIT,
        prefix: '/api/schema-registry',
      });
    },
    ready: () => registry.status === 'ready',
    close: async () => {
      await server?.app.close();
      await registry.close();
    },
  };
}

/**
 * The converters register schemas in process, so connectors work before (and without) any HTTP
 * listener; a refusal keeps the shape of an HTTP 4xx so the bridge dead-letters it the same way.
 */
function inProcessClient(registry: SchemaRegistry): BridgeRegistry {
  const ids = new Map<string, number>();
  return {
    async register(subject, schema) {
      const key = `${subject}\u0000${schema}`;
      const known = ids.get(key);
      if (known !== undefined) return known;
      try {
        const { id } = await registry.register(subject, { schema });
        ids.set(key, id);
        return id;
      } catch (e) {
        if (e instanceof RegistryError && e.status < 500) {
          const body = JSON.stringify({ error_code: e.errorCode, message: e.message });
          throw new BridgeError(BridgeErrorCodes.REGISTRY, `schema registry refused subject ${subject}: ${e.message}`, {
            status: e.status,
            body,
          });
        }
        throw new BridgeError(BridgeErrorCodes.REGISTRY, `schema registry failed: ${(e as Error).message}`, undefined, {
          cause: e,
        });
      }
    },
  };
}
