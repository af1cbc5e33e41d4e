// Ways to run the registry: createSchemaRegistry() builds one over Kafka (or any RegistryStore) for
// mounting with schemaRegistryRoutes; startSchemaRegistry() also serves it on its own port
// (REGISTRY_PORT, 8081) and resolves once the store was read to the end.

import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { SeawayCode, SeawayRegistryError } from './errors.ts';
import { SchemaRegistry } from './registry.ts';
import { schemaRegistryRoutes } from './routes.ts';
import { createKafkaStore } from './store/kafka-store.ts';
import type { RegistryStore } from './store/store.ts';

export interface SchemaRegistryOptions {
  /** Kafka bootstrap servers holding the topic; ignored when `store` is given. */
  brokers?: string[];
  /** Topic for schemas, configs and modes (default _schemas). */
  topic?: string;
  /** Another store (e.g. createMemoryStore()) instead of Kafka. */
  store?: RegistryStore;
  /** An existing registry to serve (e.g. one the lab also mounts on 3030): one writer per topic. */
  registry?: SchemaRegistry;
  /** SASL/PLAIN credentials for the Kafka store. */
  sasl?: { mechanism: 'plain'; username: string; password: string };
}

/** A registry over Kafka or the given store; call start() (or let startSchemaRegistry do it). */
export function createSchemaRegistry(o: SchemaRegistryOptions): SchemaRegistry {
  if (o.registry) return o.registry;
  if (o.store) return new SchemaRegistry(o.store);
  if (!o.brokers || o.brokers.length === 0)
    throw new SeawayRegistryError(
      SeawayCode.CONFIG,
      'schema registry needs Kafka brokers (e.g. ["127.0.0.1:9092"]) or a store; set KAFKA_BROKERS or pass store',
    );
  return new SchemaRegistry(
    createKafkaStore({
      brokers: o.brokers,
      ...(o.topic ? { topic: o.topic } : {}),
      ...(o.sasl ? { sasl: o.sasl } : {}),
    }),
  );
}

export interface StartSchemaRegistryOptions extends SchemaRegistryOptions {
  port: number;
  host?: string;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * true (default): resolve once the store was read to the end, reject if it cannot be.
   * false: resolve as soon as the port listens; routes answer 503 until ready, and a start failure
   * is kept in `registry.status === 'failed'` / `registry.failure` (for the lab's /api/health).
   */
  waitUntilReady?: boolean;
}

export interface RunningSchemaRegistry {
  port: number;
  url: string;
  registry: SchemaRegistry;
  app: FastifyInstance;
  /** Stops serving; also closes the registry unless it was passed in as `registry`. */
  close(): Promise<void>;
}

/** Serves the registry API on host:port (port 0 picks one) once the store was read to the end. */
export async function startSchemaRegistry(o: StartSchemaRegistryOptions): Promise<RunningSchemaRegistry> {
  const registry = createSchemaRegistry(o);
  // a registry passed in belongs to the caller, who closes it
  const owned = !o.registry;
  const host = o.host ?? '127.0.0.1';
  const app = Fastify({ logger: false, bodyLimit: o.bodyLimit ?? 1024 * 1024 });
  await app.register(schemaRegistryRoutes, { registry, ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}) });
  try {
    await app.listen({ port: o.port, host });
    if (o.waitUntilReady === false) registry.start().catch(() => undefined);
    else await registry.start();
  } catch (e) {
    await app.close().catch(() => undefined);
    if (owned) await registry.close().catch(() => undefined);
    throw e;
  }
  const port = (app.server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    registry,
    app,
    async close() {
      await app.close();
      if (owned) await registry.close();
    },
  };
}
