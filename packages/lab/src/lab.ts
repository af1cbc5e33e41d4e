// The composition root: starts every stage in order (Kafka, schema registry, MQTT broker, connector
// runtime, generator, HTTP), wires their counters into the metrics hub, and stops them in reverse.
//
// No PUBACK window: the MQTT broker starts with its ingest gate holding every QoS 1/2 publish
// (ingestHeldAtStart) and opens it only once the connector runtime has loaded the stored
// connectors and covered their topics; a stop first holds the gate again ('the lab is stopping'),
// so the MQTT listener stops acknowledging before the connectors stop.
import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LiveStream } from '@seaway/ais';
import type { ServiceStatus } from '@seaway/contracts';
import { type MqttBroker, parseUsersString, startMqttBroker } from '@seaway/mqtt-broker';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { registerApi } from './api-routes.ts';
import { httpLimits, type LabConfig, labAuth } from './config.ts';
import { createTailHub, registerConsoleApi } from './console-api/index.ts';
import { WireAdmin } from './console-api/wire-admin.ts';
import { startHttpServer } from './http-server.ts';
import { type KafkaTarget, startKafkaTarget } from './kafka-target.ts';
import { watchKafkaRecords } from './kafka-watch.ts';
import { MetricsHub } from './metrics-hub.ts';
import { type LimitStats, registerPrometheus } from './prometheus.ts';
import { type ConnectService, startConnectService } from './services/connect.ts';
import { watchKafkaHealth } from './services/kafka-health.ts';
import { type RegistryService, startRegistryService } from './services/registry.ts';
import { ensureSampleConnector, SAMPLE_ORIGIN } from './services/sample-connector.ts';
import { preloadSampleData } from './services/sample-data.ts';
import { VERSION } from './version.ts';

export interface Lab {
  /** null when WEB_PORT=0 disabled the web server. */
  readonly webPort: number | null;
  readonly mqttPort: number | null;
  readonly connectPort: number | null;
  readonly registryUrl: string;
  /** The embedded registry's own port (REGISTRY_PORT), or null. */
  readonly registryPort: number | null;
  readonly kafkaBrokers: string[];
  readonly kafkaKind: 'external' | 'embedded';
  close(): Promise<void>;
}

export interface LabOptions {
  log?: (line: string) => void;
}

/** DATA_DIR must be a directory this process can write: say so plainly before any service starts. */
async function checkDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(
      `DATA_DIR ${dir} is not a writable directory (${code}); set DATA_DIR to a directory the lab may write, or fix its permissions`,
    );
  }
}

export async function startLab(cfg: LabConfig, opts: LabOptions = {}): Promise<Lab> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[seaway] ${l}\n`));
  const startedAt = Date.now();
  // how long each start-up step took, told in the "ready" line (the one-second start is a goal)
  const phases: string[] = [];
  let phaseAt = startedAt;
  const phase = (name: string) => {
    const now = Date.now();
    phases.push(`${name} ${now - phaseAt}`);
    phaseAt = now;
  };
  const stops: (() => Promise<void> | void)[] = [];
  let holdForStop: (() => void) | null = null;
  const close = async () => {
    holdForStop?.();
    holdForStop = null;
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (e) {
        log(`while stopping: ${(e as Error).message}`);
      }
    }
    stops.length = 0;
  };
  const mqttOn = cfg.MQTT_PORT !== 0;
  const services: Record<string, ServiceStatus> = {
    kafka: { status: 'starting' },
    registry: { status: 'starting' },
    mqtt: { status: mqttOn ? 'starting' : 'disabled' },
    connect: { status: 'starting' },
    generator: { status: cfg.RUNNING_SAMPLEDATA && mqttOn ? 'starting' : 'disabled' },
    sampledata: { status: cfg.SAMPLEDATA ? 'starting' : 'disabled' },
  };
  const hub = new MetricsHub();
  const dataDir = resolve(cfg.DATA_DIR);
  await checkDataDir(dataDir);
  const lab = labAuth(cfg);
  const auth = lab ? { user: lab.user, password: lab.password } : null;

  try {
    const kafka: KafkaTarget = await startKafkaTarget(cfg, log, auth);
    stops.push(() => kafka.stop());
    phase('kafka');
    // With auth on, the embedded broker wants SASL/PLAIN from the lab's own clients too.
    const kafkaSasl =
      auth && kafka.kind === 'embedded'
        ? { mechanism: 'plain' as const, username: auth.user, password: auth.password }
        : undefined;
    const client = new Kafka({
      clientId: 'seaway-lab',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
      ...(kafkaSasl ? { sasl: kafkaSasl } : {}),
    });
    const admin: Admin = client.admin();
    await admin.connect();
    stops.push(() => admin.disconnect());
    services.kafka = { status: 'up', address: kafka.brokers.join(','), detail: kafka.kind };
    const kafkaHealth = watchKafkaHealth({
      brokers: kafka.brokers,
      ...(kafkaSasl ? { sasl: kafkaSasl } : {}),
      ...(kafka.problems ? { problems: kafka.problems } : {}),
      up: services.kafka,
      set: (s) => {
        services.kafka = s;
      },
      log,
      intervalMs: cfg.HEALTH_CHECK_INTERVAL_MS,
    });
    stops.push(() => kafkaHealth.stop());
    await kafkaHealth.check();
    phase('kafka clients');
    const kafkaPath = { brokers: kafka.brokers, ...(kafka.local ? { transport: kafka.local } : {}) };
    const sizesAdmin = new WireAdmin(() => kafkaPath);
    const kafkaWatch = watchKafkaRecords(kafkaPath, 1000, async () => {
      let total = 0;
      for (const [topic, parts] of await sizesAdmin.topicSizes(null)) {
        if (topic.startsWith('_')) continue;
        for (const b of parts.values()) total += b;
      }
      return total;
    });
    stops.push(() => {
      kafkaWatch.stop();
      sizesAdmin.close();
    });
    hub.setSource('kafka', kafkaWatch.totals);

    const registry: RegistryService = await startRegistryService(cfg, kafka.brokers, auth, kafkaSasl);
    phase('registry');
    stops.push(() => registry.close());
    services.registry = {
      status: 'up',
      address: registry.external
        ? registry.url
        : registry.port
          ? `${cfg.ADV_HOST}:${registry.port}`
          : '/api/schema-registry',
      detail: registry.external ? 'external' : 'embedded, stored in _schemas',
    };

    let broker: MqttBroker | null = null;
    if (mqttOn) {
      broker = await startMqttBroker({
        port: cfg.MQTT_PORT,
        host: cfg.BIND_HOST,
        dataDir: join(dataDir, 'mqtt'),
        limits: {
          maxConnections: cfg.MQTT_MAX_CONNECTIONS,
          maxConnectionsPerAddress: cfg.MQTT_MAX_CONNECTIONS_PER_ADDRESS,
          maxPacketSize: cfg.MQTT_MAX_PACKET_SIZE,
          connectTimeoutMs: cfg.MQTT_CONNECT_TIMEOUT_MS,
          maxInflightInbound: cfg.MQTT_MAX_INFLIGHT_PER_CLIENT,
          maxQueuedPerClient: cfg.MQTT_MAX_QUEUED_PER_SESSION,
          maxQueuedBytesPerClient: cfg.MQTT_MAX_QUEUED_BYTES_PER_SESSION,
          maxQueuedBytes: cfg.MQTT_MAX_QUEUED_BYTES,
        },
        ingestMaxInFlightPerClient: cfg.MQTT_MAX_INFLIGHT_PER_CLIENT,
        ingestHeldAtStart: true,
        ingestHoldMs: cfg.MQTT_INGEST_HOLD_MS,
        ...(cfg.MQTT_USERS || auth
          ? {
              users: [
                ...(cfg.MQTT_USERS ? parseUsersString(cfg.MQTT_USERS) : []),
                ...(auth ? [{ username: auth.user, password: auth.password }] : []),
              ],
            }
          : {}),
        ...(cfg.MQTT_USERS_FILE ? { usersFile: cfg.MQTT_USERS_FILE } : {}),
        log: (l) => log(`mqtt: ${l}`),
      });
      phase('mqtt');
      const b = broker;
      stops.push(() => b.close());
      holdForStop = () => {
        b.ingest.hold('the lab is stopping');
      };
      services.mqtt = { status: 'up', address: `${cfg.ADV_HOST}:${b.port}` };
      hub.setSource('mqtt', () => {
        const s = b.stats();
        return { messages: s.messagesIn, bytes: s.bytesIn };
      });
      hub.mqttClients = () => b.stats().clients;
    }

    const connect: ConnectService = await startConnectService(
      cfg,
      kafka,
      broker,
      registry,
      log,
      auth,
      async () => (await admin.describeCluster()).clusterId,
    );
    stops.push(() => connect.close());
    phase('connect');
    services.connect = { status: 'up', ...(connect.port ? { address: `${cfg.ADV_HOST}:${connect.port}` } : {}) };
    // the stored connectors now cover their topics: publishes on them wait for their tasks, the rest flow
    broker?.ingest.open();
    hub.setSource('bridge', connect.totals);

    if (broker && cfg.RUNNING_SAMPLEDATA) {
      await ensureSampleConnector(connect.runtime.worker, broker.port as number, dataDir, log);
      // the generator (and mqtt.js, Avro) is loaded only when used: it is a tenth of the start-up
      const { startLiveStream } = await import('@seaway/ais');
      const gen: LiveStream = await startLiveStream({
        mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
        origin: SAMPLE_ORIGIN,
        rate: 5,
        vessels: 50,
        format: 'avro',
        topicPerVessel: false,
        ...(auth ? { username: auth.user, password: auth.password } : {}),
      });
      stops.push(() => gen.stop());
      services.generator = { status: 'up', detail: `5 msg/s, Avro, to MQTT ${SAMPLE_ORIGIN}` };
      hub.addSource('generator', () => gen.stats());
      phase('generator');
    }

    hub.start();
    stops.push(() => hub.stop());
    let webPort: number | null = null;
    if (cfg.WEB_PORT !== 0) {
      const tail = createTailHub({ kafka: () => client });
      stops.push(() => tail.close());
      const scans = { max: cfg.CONSOLE_MAX_SCANS, stats: { running: 0, refused: 0 } };
      const limitStats: LimitStats = {
        http: {
          ...(registry.limits ? { registry: registry.limits } : {}),
          ...(connect.limits ? { connect: connect.limits } : {}),
        },
        scans: scans.stats,
        ...(kafka.connections ? { kafka: kafka.connections } : {}),
      };
      const http = await startHttpServer({
        port: cfg.WEB_PORT,
        host: cfg.BIND_HOST,
        limits: httpLimits(cfg, 'web'),
        hub,
        auth,
        mqttWebSocket: broker ? (ws, req) => broker.handleWebSocket(ws, req) : null,
        onWebSocket: (ws) => tail.attach(ws),
        routes: async (app) => {
          registerApi(app, { version: VERSION, startedAt, services: () => services });
          registerPrometheus(app, { hub, broker: () => broker, limits: limitStats });
          registerConsoleApi(app, {
            kafka: () => client,
            kafkaWire: { brokers: kafka.brokers, ...(kafka.local ? { transport: kafka.local } : {}) },
            serveTopicList: true,
            mqttUrl: broker?.port ? `tcp://127.0.0.1:${broker.port}` : null,
            connectorMetrics: () => connect.runtime.metrics(),
            cluster: () => {
              const h = connect.runtime.herder;
              if (!h || !cfg.CONNECT_GROUP_ID) return null;
              return {
                groupId: cfg.CONNECT_GROUP_ID,
                memberId: h.member.memberId,
                describe: () => h.describe(),
                rebalances: h.rebalances,
              };
            },
            metrics: hub,
            metricsHistory: { frames: () => hub.history(), windowMs: hub.historySize * 1000 },
            advHost: cfg.ADV_HOST,
            kafkaBootstrap: kafka.kind === 'external' ? kafka.brokers.join(',') : `${cfg.ADV_HOST}:${cfg.BROKER_PORT}`,
            ports: { web: cfg.WEB_PORT, mqtt: broker?.port ?? null, registry: registry.port, connect: connect.port },
            registryUrl: registry.external ? registry.url : null,
            mqtt: () => broker,
            scans,
          });
          await registry.mount(app);
          await connect.mount(app);
        },
      });
      stops.push(() => http.app.close());
      limitStats.http.web = http.limits;
      webPort = http.port;
      phase('http');
    }
    if (cfg.SAMPLEDATA) {
      // In the background: the lab answers while the sample topic fills; health says when it is done.
      const preloadAt = Date.now();
      preloadSampleData(client, registry.url)
        .then((n) => {
          services.sampledata = {
            status: 'up',
            detail: n ? `${n} records in sea_vessel_position_reports` : 'sea_vessel_position_reports was there already',
          };
          if (n) log(`SAMPLEDATA: wrote ${n} records to sea_vessel_position_reports in ${Date.now() - preloadAt} ms`);
          // The preload is not traffic: the Kafka hop counts records the pipeline writes.
          if (n) kafkaWatch.discount(n);
        })
        .catch((e: Error) => {
          services.sampledata = { status: 'down', detail: `preload failed: ${e.message}` };
          log(`SAMPLEDATA failed: ${e.message}`);
        });
    }
    log(
      `ready in ${Date.now() - startedAt} ms (${phases.join(', ')})${webPort ? `: console and APIs on http://${cfg.ADV_HOST}:${webPort}` : ''}`,
    );
    return {
      webPort,
      mqttPort: broker?.port ?? null,
      connectPort: connect.port,
      registryUrl: registry.url,
      registryPort: registry.port,
      kafkaBrokers: kafka.brokers,
      kafkaKind: kafka.kind,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
