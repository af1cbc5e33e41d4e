// The composition root: starts every stage in order (Kafka, schema registry, MQTT broker, connector
// runtime, generator, HTTP), wires their counters into the metrics hub, and stops them in reverse.
import { join, resolve } from 'node:path';
import { type LiveStream, startLiveStream } from '@seaway/ais';
import type { ServiceStatus } from '@seaway/contracts';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { registerApi } from './api-routes.ts';
import { basicAuth, type LabConfig } from './config.ts';
import { createTailHub, registerConsoleApi } from './console-api/index.ts';
import { startHttpServer } from './http-server.ts';
import { type KafkaTarget, startKafkaTarget } from './kafka-target.ts';
import { watchKafkaRecords } from './kafka-watch.ts';
import { MetricsHub } from './metrics-hub.ts';
import { registerPrometheus } from './prometheus.ts';
import { type ConnectService, startConnectService } from './services/connect.ts';
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
  readonly kafkaBrokers: string[];
  close(): Promise<void>;
}

export interface LabOptions {
  log?: (line: string) => void;
}

export async function startLab(cfg: LabConfig, opts: LabOptions = {}): Promise<Lab> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`[seaway] ${l}\n`));
  const startedAt = Date.now();
  const stops: (() => Promise<void> | void)[] = [];
  const close = async () => {
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

  try {
    const kafka: KafkaTarget = await startKafkaTarget(cfg, log);
    stops.push(() => kafka.stop());
    const client = new Kafka({ clientId: 'seaway-lab', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin: Admin = client.admin();
    await admin.connect();
    stops.push(() => admin.disconnect());
    services.kafka = { status: 'up', address: kafka.brokers.join(','), detail: kafka.kind };
    const kafkaWatch = watchKafkaRecords({
      brokers: kafka.brokers,
      ...(kafka.local ? { transport: kafka.local } : {}),
    });
    stops.push(() => kafkaWatch.stop());
    hub.setSource('kafka', kafkaWatch.totals);

    const registry: RegistryService = await startRegistryService(cfg, kafka.brokers);
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
          maxConnectionsPerAddress: cfg.MQTT_MAX_CONNECTIONS_PER_ADDRESS,
          maxPacketSize: cfg.MQTT_MAX_PACKET_SIZE,
        },
        ...(cfg.MQTT_USERS ? { users: cfg.MQTT_USERS } : {}),
        ...(cfg.MQTT_USERS_FILE ? { usersFile: cfg.MQTT_USERS_FILE } : {}),
        log: (l) => log(`mqtt: ${l}`),
      });
      const b = broker;
      stops.push(() => b.close());
      services.mqtt = { status: 'up', address: `${cfg.ADV_HOST}:${b.port}` };
      hub.setSource('mqtt', () => {
        const s = b.stats();
        return { messages: s.messagesIn, bytes: s.bytesIn };
      });
      hub.mqttClients = () => b.stats().clients;
    }

    const connect: ConnectService = await startConnectService(cfg, kafka, broker, registry, log);
    stops.push(() => connect.close());
    services.connect = { status: 'up', ...(connect.port ? { address: `${cfg.ADV_HOST}:${connect.port}` } : {}) };
    hub.setSource('bridge', connect.totals);

    if (broker && cfg.RUNNING_SAMPLEDATA) {
      await ensureSampleConnector(connect.runtime.worker, broker.port as number, dataDir, log);
      const gen: LiveStream = await startLiveStream({
        mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
        origin: SAMPLE_ORIGIN,
        rate: 5,
        vessels: 50,
        format: 'avro',
        topicPerVessel: false,
      });
      stops.push(() => gen.stop());
      services.generator = { status: 'up', detail: `5 msg/s, Avro, to MQTT ${SAMPLE_ORIGIN}` };
      hub.setSource('generator', () => gen.stats());
    }

    hub.start();
    stops.push(() => hub.stop());
    let webPort: number | null = null;
    if (cfg.WEB_PORT !== 0) {
      const tail = createTailHub({ kafka: () => client });
      stops.push(() => tail.close());
      const http = await startHttpServer({
        port: cfg.WEB_PORT,
        host: cfg.BIND_HOST,
        hub,
        auth: basicAuth(cfg),
        mqttWebSocket: broker ? (ws, req) => broker.handleWebSocket(ws, req) : null,
        onWebSocket: (ws) => tail.attach(ws),
        routes: async (app) => {
          registerApi(app, { version: VERSION, startedAt, services: () => services });
          registerPrometheus(app, { hub, broker: () => broker });
          registerConsoleApi(app, {
            kafka: () => client,
            serveTopicList: true,
            mqttUrl: broker?.port ? `tcp://127.0.0.1:${broker.port}` : null,
            connectorMetrics: () => connect.runtime.metrics(),
            advHost: cfg.ADV_HOST,
            kafkaBootstrap: kafka.kind === 'external' ? kafka.brokers.join(',') : `${cfg.ADV_HOST}:${cfg.BROKER_PORT}`,
            ports: { web: cfg.WEB_PORT, mqtt: broker?.port ?? null, registry: registry.port, connect: connect.port },
            registryUrl: registry.external ? registry.url : null,
            mqtt: () => broker,
          });
          await registry.mount(app);
          await connect.mount(app);
        },
      });
      stops.push(() => http.app.close());
      webPort = http.port;
    }
    if (cfg.SAMPLEDATA) {
      // In the background: the lab answers while the sample topic fills; health says when it is done.
      preloadSampleData(client, registry.url)
        .then((n) => {
          services.sampledata = {
            status: 'up',
            detail: n ? `${n} records in sea_vessel_position_reports` : 'sea_vessel_position_reports was there already',
          };
          if (n) log(`SAMPLEDATA: wrote ${n} records to sea_vessel_position_reports`);
        })
        .catch((e: Error) => {
          services.sampledata = { status: 'down', detail: `preload failed: ${e.message}` };
          log(`SAMPLEDATA failed: ${e.message}`);
        });
    }
    log(
      `ready in ${Date.now() - startedAt} ms${webPort ? `: console and APIs on http://${cfg.ADV_HOST}:${webPort}` : ''}`,
    );
    return {
      webPort,
      mqttPort: broker?.port ?? null,
      connectPort: connect.port,
      registryUrl: registry.url,
      kafkaBrokers: kafka.brokers,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
