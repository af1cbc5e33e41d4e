// The MQTT source connector runtime: Kafka Connect's REST API on CONNECT_PORT and under
// /api/connect, connectors reading the embedded broker through its ingest gate (PUBACK after Kafka)
// or any other MQTT broker as a client. With the embedded Kafka broker, task records go to it in
// process (same handlers, no sockets); with KAFKA_BROKERS, over TCP through the idempotent producer
// with several requests in flight per partition.
import { type ConnectRuntime, connectRestPlugin, type SchemaRegistry, startConnect } from '@seaway/bridge';
import type { MqttBroker } from '@seaway/mqtt-broker';
import type { FastifyInstance } from 'fastify';
import { type BasicAuth, startGuardedServer } from '../auth-http.ts';
import { httpLimits, type LabConfig } from '../config.ts';
import type { HttpLimitStats } from '../http-limits.ts';
import type { KafkaTarget } from '../kafka-target.ts';

export interface ConnectService {
  runtime: ConnectRuntime;
  port: number | null;
  mount(app: FastifyInstance): Promise<void>;
  /** Records and bytes written to Kafka by every connector, for the bridge hop. */
  totals(): { messages: number; bytes: number };
  /** Its own port's connection limits at work (null without one). */
  limits: HttpLimitStats | null;
  close(): Promise<void>;
}

export async function startConnectService(
  cfg: LabConfig,
  kafka: KafkaTarget,
  broker: MqttBroker | null,
  registry: { url: string; client: SchemaRegistry | null },
  log: (line: string) => void,
  auth: BasicAuth | null = null,
  clusterId?: () => Promise<string>,
): Promise<ConnectService> {
  // CONNECT_GROUP_ID: the runtime is one worker of a group of `seaway connect` workers; the others
  // forward requests to its CONNECT_PORT (auth on that port would refuse them).
  if (cfg.CONNECT_GROUP_ID && cfg.CONNECT_PORT === 0)
    throw new Error(
      'CONNECT_GROUP_ID needs CONNECT_PORT (the other workers forward requests to it): set CONNECT_PORT=8083 or unset CONNECT_GROUP_ID',
    );
  const runtime = await startConnect({
    brokers: kafka.brokers,
    ...(kafka.local ? { transport: kafka.local } : {}),
    // a real cluster: idempotent producer, 5 requests in flight per partition (order kept under retries)
    ...(kafka.kind === 'external' ? { idempotent: true } : {}),
    ...(auth && kafka.kind === 'embedded'
      ? { sasl: { mechanism: 'plain' as const, username: auth.user, password: auth.password } }
      : {}),
    // The REST port is served below by the lab, behind its basic auth.
    port: null,
    host: cfg.BIND_HOST,
    workerId: `${cfg.ADV_HOST}:${cfg.CONNECT_PORT || cfg.WEB_PORT}`,
    ...(broker?.port ? { mqtt: { gate: broker.ingest, url: `mqtt://${cfg.ADV_HOST}:${broker.port}` } } : {}),
    ...(registry.client ? { registry: registry.client } : { registryUrl: registry.url }),
    configTopic: cfg.CONNECT_CONFIG_TOPIC,
    statusTopic: cfg.CONNECT_STATUS_TOPIC,
    log: (l) => log(`connect: ${l}`),
    ...(cfg.CONNECT_GROUP_ID
      ? { cluster: { groupId: cfg.CONNECT_GROUP_ID, url: `http://${cfg.ADV_HOST}:${cfg.CONNECT_PORT}` } }
      : {}),
  });
  const herder = runtime.herder;
  const forward = herder ? { forward: herder.forward.bind(herder) } : {};
  let server: Awaited<ReturnType<typeof startGuardedServer>> | null = null;
  if (cfg.CONNECT_PORT !== 0) {
    try {
      server = await startGuardedServer({
        port: cfg.CONNECT_PORT,
        host: cfg.BIND_HOST,
        auth,
        limits: httpLimits(cfg, 'connect'),
        register: async (app) => {
          await app.register(connectRestPlugin, {
            worker: runtime.worker,
            ...forward,
            ...(clusterId ? { clusterId } : {}),
          });
        },
      });
    } catch (e) {
      await runtime.close();
      throw e;
    }
  }
  return {
    runtime,
    port: server?.port ?? null,
    limits: server?.limits ?? null,
    mount: async (app) => {
      await app.register(connectRestPlugin, { worker: runtime.worker, ...forward, prefix: '/api/connect' });
    },
    totals: () => {
      let messages = 0;
      let bytes = 0;
      for (const c of runtime.metrics()) {
        messages += c.recordsOut;
        bytes += c.bytesOut;
      }
      return { messages, bytes };
    },
    close: async () => {
      await server?.app.close();
      await runtime.close();
    },
  };
}
