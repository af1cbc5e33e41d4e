// Which Kafka the lab talks to: KAFKA_BROKERS names a real cluster; otherwise the embedded Node
// broker (@seaway/kafka-broker) on BROKER_PORT, with its data under DATA_DIR/kafka.
import { join, resolve } from 'node:path';
import { type ConnectionStats, startKafkaBroker } from '@seaway/kafka-broker';
import type { OpenTransport } from '@seaway/kafka-protocol';
import type { LabConfig } from './config.ts';

export interface KafkaTarget {
  brokers: string[];
  /** "external" or "embedded". */
  kind: 'external' | 'embedded';
  /** The embedded broker in this process, reached without sockets (the connectors' records take it). */
  local?: OpenTransport;
  /** The embedded broker's unreadable partitions (storage damage); absent for an external cluster. */
  problems?: () => string[];
  /** The embedded broker's connection limits at work (KAFKA_MAX_* settings); absent for an external cluster. */
  connections?: () => ConnectionStats;
  stop(): Promise<void>;
}

export async function startKafkaTarget(
  cfg: LabConfig,
  log: (m: string) => void,
  /** The lab's credentials: the embedded broker then requires SASL/PLAIN with them. */
  auth: { user: string; password: string } | null = null,
): Promise<KafkaTarget> {
  if (cfg.KAFKA_BROKERS) {
    return { brokers: cfg.KAFKA_BROKERS.split(','), kind: 'external', stop: async () => {} };
  }
  if (cfg.BROKER_PORT === 0) {
    throw new Error('BROKER_PORT=0 disables the embedded Kafka, so set KAFKA_BROKERS to a cluster the lab can use');
  }
  const dataDir = resolve(join(cfg.DATA_DIR, 'kafka'));
  const broker = await startKafkaBroker({
    port: cfg.BROKER_PORT,
    host: cfg.BIND_HOST,
    advertisedHost: cfg.ADV_HOST,
    dataDir,
    maxConnections: cfg.KAFKA_MAX_CONNECTIONS,
    maxConnectionsPerAddress: cfg.KAFKA_MAX_CONNECTIONS_PER_ADDRESS,
    idleTimeoutMs: cfg.KAFKA_IDLE_TIMEOUT_MS,
    partialFrameTimeoutMs: cfg.KAFKA_PARTIAL_FRAME_TIMEOUT_MS,
    maxBufferedBytes: cfg.KAFKA_MAX_BUFFERED_BYTES,
    ...(auth ? { sasl: { mechanism: 'PLAIN' as const, users: { [auth.user]: auth.password } } } : {}),
    log: (level, message) => {
      if (level !== 'info') log(`kafka ${level}: ${message}`);
    },
  });
  log(`embedded Kafka on ${broker.bootstrap} (data in ${dataDir})`);
  return {
    brokers: [broker.bootstrap],
    kind: 'embedded',
    local: async (o) => broker.localTransport(o.clientId),
    problems: () => broker.storageProblems(),
    connections: () => broker.connectionStats(),
    stop: () => broker.close(),
  };
}
