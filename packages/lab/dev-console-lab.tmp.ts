// The composition root: starts every stage in order (Kafka, MQTT broker, bridge, generator, HTTP),
// wires their counters into the metrics hub, and stops them in reverse order.

import { type LiveStream, startLiveStream } from '@seaway/ais';
import { type SimpleBridge, startSimpleBridge } from '@seaway/bridge';
import type { ServiceStatus } from '@seaway/contracts';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { registerApi } from './src/api-routes.ts';
import { registerConsoleApi } from './src/console-api/index.ts';
import { basicAuth, type LabConfig } from './src/config.ts';
import { startHttpServer } from './src/http-server.ts';
import { type KafkaTarget, startKafkaTarget } from './src/kafka-target.ts';
import { watchKafkaRecords } from './src/kafka-watch.ts';
import { MetricsHub } from './src/metrics-hub.ts';
import { VERSION } from './src/version.ts';

export interface Lab {
  /** null when WEB_PORT=0 disabled the web server. */
  readonly webPort: number | null;
  readonly mqttPort: number | null;
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
  };
  const services: Record<string, ServiceStatus> = {
    kafka: { status: 'starting' },
    mqtt: { status: cfg.MQTT_PORT === 0 ? 'disabled' : 'starting' },
    bridge: { status: cfg.MQTT_PORT === 0 ? 'disabled' : 'starting' },
    generator: { status: cfg.RUNNING_SAMPLEDATA && cfg.MQTT_PORT !== 0 ? 'starting' : 'disabled' },
  };
  const hub = new MetricsHub();

  try {
    const kafka: KafkaTarget = await startKafkaTarget(cfg, log);
    stops.push(() => kafka.stop());
    const client = new Kafka({ clientId: 'seaway-lab', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin: Admin = client.admin();
    await admin.connect();
    stops.push(() => admin.disconnect());
    services.kafka = { status: 'up', address: kafka.brokers.join(','), detail: kafka.kind };
    const kafkaWatch = watchKafkaRecords(admin);
    stops.push(() => kafkaWatch.stop());
    hub.setSource('kafka', kafkaWatch.totals);

    let broker: MqttBroker | null = null;
    if (cfg.MQTT_PORT !== 0) {
      broker = await startMqttBroker({ port: cfg.MQTT_PORT, host: cfg.BIND_HOST });
      const b = broker;
      stops.push(() => b.close());
      services.mqtt = { status: 'up', address: `${cfg.ADV_HOST}:${b.port}` };
      hub.setSource('mqtt', () => {
        const s = b.stats();
        return { messages: s.messagesIn, bytes: s.bytesIn };
      });
      hub.mqttClients = () => b.stats().clients;

      const mqttUrl = `mqtt://127.0.0.1:${b.port}`;
      const bridge: SimpleBridge = await startSimpleBridge({
        mqttUrl,
        filter: cfg.BRIDGE_FILTER,
        kafkaTopic: cfg.BRIDGE_TOPIC,
        brokers: kafka.brokers,
        clientId: 'seaway-bridge',
      });
      stops.push(() => bridge.close());
      services.bridge = { status: 'up', detail: `${cfg.BRIDGE_FILTER} -> ${cfg.BRIDGE_TOPIC}` };
      hub.setSource('bridge', () => {
        const s = bridge.stats();
        return { messages: s.recordsOut, bytes: s.bytesOut };
      });

      if (cfg.RUNNING_SAMPLEDATA) {
        const gen: LiveStream = await startLiveStream({ mqttUrl, origin: '/ais', rate: 5, vessels: 20 });
        stops.push(() => gen.stop());
        services.generator = { status: 'up', detail: '5 msg/s to /ais/<mmsi>' };
        hub.setSource('generator', () => gen.stats());
      }
    }

    hub.start();
    stops.push(() => hub.stop());
    let webPort: number | null = null;
    if (cfg.WEB_PORT !== 0) {
      const http = await startHttpServer({
        port: cfg.WEB_PORT,
        host: cfg.BIND_HOST,
        hub,
        auth: basicAuth(cfg),
        mqttWebSocket: broker ? (ws, req) => broker.handleWebSocket(ws, req) : null,
        routes: (app) => {
          registerApi(app, { version: VERSION, startedAt, services: () => services, admin: () => admin });
          registerConsoleApi(app, {
            kafka: () => client,
            admin: () => admin,
            advHost: cfg.ADV_HOST,
            kafkaBootstrap: cfg.KAFKA_BROKERS ?? `${cfg.ADV_HOST}:${cfg.BROKER_PORT}`,
            ports: { web: cfg.WEB_PORT, mqtt: broker?.port ?? null, registry: cfg.REGISTRY_PORT || null, connect: cfg.CONNECT_PORT || null },
            registryUrl: cfg.SCHEMA_REGISTRY_URL ?? null,
            mqtt: () => broker,
          });
        },
      });
      stops.push(() => http.app.close());
      webPort = http.port;
    }
    log(
      `ready in ${Date.now() - startedAt} ms${webPort ? `: console and APIs on http://${cfg.ADV_HOST}:${webPort}` : ''}`,
    );
    return { webPort, mqttPort: broker?.port ?? null, kafkaBrokers: kafka.brokers, close };
  } catch (e) {
    await close();
    throw e;
  }
}

import { parseConfig } from './src/config.ts';
const lab = await startLab(parseConfig(process.env as Record<string, string>));
process.on('SIGTERM', async () => { await lab.close(); process.exit(0); });
process.on('SIGINT', async () => { await lab.close(); process.exit(0); });
