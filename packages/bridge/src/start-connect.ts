// startConnect: the MQTT source connector runtime as one service — task records through
// @seaway/kafka-protocol's producer (acks=all; the idempotent pipelined one with `idempotent`), kafkajs for the connect-configs/connect-status store
// and the cluster id, the Avro serializer with a schema registry client, the
// Connect worker and (unless port is null) a fastify server with the Connect REST API. The lab calls
// this once and also mounts `connectRestPlugin` with `runtime.worker` under /api/connect on 3030.

import { IdempotentProducer, KafkaProducer, type OpenTransport } from '@seaway/kafka-protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { instanceTag } from './cluster/group-member.ts';
import { type ClusterSettings, Herder } from './cluster/herder.ts';
import type { MqttSourceSettings } from './connector/validate.ts';
import { httpSchemaRegistry, type SchemaRegistry } from './converters/registry-client.ts';
import { connectRestPlugin } from './rest/connect-plugin.ts';
import type { LogLevels } from './rest/loggers.ts';
import type { IngestGate } from './runtime/gate.ts';
import { kafkaSink } from './runtime/sink.ts';
import { type ConnectorMetrics, ConnectWorker } from './runtime/worker.ts';
import { ensureTopic, kafkaStore } from './store/kafka-store.ts';
import type { ConnectStore } from './store/store.ts';

export interface StartConnectOptions {
  brokers: string[];
  /** REST port; 0 picks a free one, null serves no HTTP (mount the plugin yourself). */
  port: number | null;
  host: string;
  mqtt?: {
    /** The embedded broker's ingest gate. */
    gate?: IngestGate;
    /** The embedded broker's address (mqtt://host:port); connectors whose first host has this port use the gate. */
    url?: string;
    /** The embedded broker's TCP port, when url is not given. */
    port?: number;
  };
  registryUrl?: string;
  /** A registry implementation instead of registryUrl (tests, in-process registry). */
  registry?: SchemaRegistry;
  configTopic?: string;
  statusTopic?: string;
  /** offset.storage.topic of a cluster (default connect-offsets). */
  offsetTopic?: string;
  /** Replication factor for the Connect topics (default: the broker's default). */
  replicationFactor?: number;
  /** A store instead of the Kafka topics (tests). */
  store?: ConnectStore;
  workerId?: string;
  log?: (line: string) => void;
  maxPending?: number;
  /** Produce requests in flight per task (default 1: Kafka order = arrival order even under retries; 5 with idempotent). */
  maxConcurrentSends?: number;
  /**
   * Task records through the idempotent, pipelined producer (@seaway/kafka-protocol's
   * IdempotentProducer: producer id and sequence numbers, 5 batches in flight per partition, order
   * kept under retries), for a real cluster where one acks=all round trip per batch would cap
   * throughput. maxConcurrentSends then defaults to 5.
   */
  idempotent?: boolean;
  /** How task records reach Kafka: TCP unless given (the lab passes its embedded broker's in-process transport). */
  transport?: OpenTransport;
  /** SASL/PLAIN credentials for the Kafka clients (the lab's embedded broker with auth on). */
  sasl?: { mechanism: 'plain'; username: string; password: string };
  /**
   * Log levels /admin/loggers reads and changes; the worker registers seaway.bridge.worker and
   * seaway.bridge.task in it. Pass the lab's registry (with its own pino loggers) to share one.
   */
  loggers?: LogLevels;
  /**
   * Join a cluster of workers (group.id) instead of running every connector here: the workers share
   * the config and status topics and the group's leader assigns connectors and tasks (cluster/).
   */
  cluster?: ClusterSettings;
}

export interface ConnectRuntime {
  readonly worker: ConnectWorker;
  /** Bound REST port, or null. */
  readonly port: number | null;
  readonly app: FastifyInstance | null;
  /** The cluster membership, when started with `cluster`. */
  readonly herder: Herder | null;
  /** Plain numbers per connector and task, for the lab's 1 Hz frame. */
  metrics(): ConnectorMetrics[];
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]']);

/** True when the connector's first MQTT host is the embedded broker (same port, a local host name or the url's host). */
export function pointsAtEmbedded(
  settings: MqttSourceSettings,
  embedded: { host: string | undefined; port: number },
): boolean {
  const first = settings.hosts[0];
  if (!first) return false;
  let u: URL;
  try {
    u = new URL(first.replace(/^tcp:/, 'mqtt:'));
  } catch {
    return false;
  }
  const port = Number(u.port || 1883);
  return port === embedded.port && (LOCAL_HOSTS.has(u.hostname) || u.hostname === embedded.host);
}

/** A port nobody listens on now (a cluster worker must know its REST URL before it listens). */
async function freePort(host: string): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export async function startConnect(options: StartConnectOptions): Promise<ConnectRuntime> {
  let o = options;
  if (o.cluster && o.port === null) {
    if (!o.cluster.url)
      throw new Error('a cluster worker needs a REST port or cluster.url (the others forward requests to it)');
  } else if (o.cluster) {
    const port = !o.port ? await freePort(o.host) : o.port;
    const host = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
    o = {
      ...o,
      port,
      workerId: o.workerId ?? `${host}:${port}`,
      cluster: { ...o.cluster, url: o.cluster.url || `http://${host}:${port}` },
    };
  }
  const kafka = new Kafka({
    clientId: 'seaway-connect',
    brokers: o.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    ...(o.sasl ? { sasl: o.sasl } : {}),
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 2 } });
  await producer.connect();
  const producerOptions = {
    brokers: o.brokers,
    clientId: 'seaway-connect-tasks',
    retries: 2,
    ...(o.transport ? { transport: o.transport } : {}),
  };
  const records = o.idempotent ? new IdempotentProducer(producerOptions) : new KafkaProducer(producerOptions);
  const maxConcurrentSends = o.maxConcurrentSends ?? (o.idempotent ? 5 : undefined);
  try {
    await records.connect();
  } catch (e) {
    await producer.disconnect();
    throw e;
  }
  let store: ConnectStore;
  const writer = instanceTag();
  try {
    store =
      o.store ??
      (await kafkaStore({
        kafka,
        producer,
        ...(o.configTopic ? { configTopic: o.configTopic } : {}),
        ...(o.statusTopic ? { statusTopic: o.statusTopic } : {}),
        ...(o.replicationFactor ? { replicationFactor: o.replicationFactor } : {}),
        ...(o.log ? { log: o.log } : {}),
        ...(o.cluster ? { writer } : {}),
      }));
  } catch (e) {
    await producer.disconnect();
    await records.close();
    throw e;
  }
  const registry = o.registry ?? (o.registryUrl ? httpSchemaRegistry({ url: o.registryUrl }) : undefined);
  let embedded: { host: string | undefined; port: number } | undefined;
  if (o.mqtt?.url) {
    const u = new URL(o.mqtt.url);
    embedded = { host: u.hostname, port: Number(u.port || 1883) };
  } else if (o.mqtt?.port !== undefined) embedded = { host: undefined, port: o.mqtt.port };
  const gate = o.mqtt?.gate;
  const workerOptions = (s: ConnectStore) => ({
    store: s,
    sink: kafkaSink(records),
    registry,
    gateFor: (settings: MqttSourceSettings) =>
      gate && embedded && pointsAtEmbedded(settings, embedded) ? gate : undefined,
    workerId: o.workerId ?? `${o.host}:${o.port ?? 8083}`,
    ...(o.log ? { log: o.log } : {}),
    ...(o.maxPending !== undefined ? { maxPending: o.maxPending } : {}),
    ...(maxConcurrentSends !== undefined ? { maxConcurrentSends } : {}),
    ...(o.loggers ? { loggers: o.loggers } : {}),
  });
  let worker: ConnectWorker;
  let herder: Herder | null = null;
  if (o.cluster) {
    herder = new Herder({
      kafka,
      brokers: o.brokers,
      store,
      writer,
      configTopic: o.configTopic ?? 'connect-configs',
      statusTopic: o.statusTopic ?? 'connect-status',
      ...(o.offsetTopic ? { offsetTopic: o.offsetTopic } : {}),
      ensureTopic: async (topic, partitions) => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          await ensureTopic(admin, topic, partitions, o.replicationFactor);
        } finally {
          await admin.disconnect();
        }
      },
      settings: o.cluster,
      makeWorker: (cluster, s) => new ConnectWorker({ ...workerOptions(s), cluster }),
      ...(o.log ? { log: o.log } : {}),
    });
    worker = herder.worker;
  } else {
    worker = new ConnectWorker(workerOptions(store));
    await worker.start();
  }

  let app: FastifyInstance | null = null;
  let port: number | null = null;
  if (o.port !== null) {
    app = Fastify({ logger: false });
    const h = herder;
    await app.register(connectRestPlugin, {
      worker,
      ...(h ? { forward: h.forward.bind(h) } : {}),
      clusterId: async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          return (await admin.describeCluster()).clusterId;
        } finally {
          await admin.disconnect();
        }
      },
    });
    await app.listen({ port: o.port, host: o.host });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : o.port;
  }

  // A cluster worker serves REST before it joins: a forwarded request from a worker that joined
  // first must find it listening (until the first assignment it answers 409 for changes).
  if (herder) {
    try {
      await herder.start();
    } catch (e) {
      await app?.close();
      await herder.close().catch(() => {});
      await store.close();
      await records.close();
      await producer.disconnect();
      throw e;
    }
  }

  return {
    worker,
    port,
    app,
    herder,
    metrics: () => worker.metrics(),
    async close() {
      if (app) await app.close();
      if (herder) await herder.close();
      else await worker.close();
      await store.close();
      await records.close();
      await producer.disconnect();
    },
  };
}
