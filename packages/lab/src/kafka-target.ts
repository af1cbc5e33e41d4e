// Which Kafka the lab talks to. KAFKA_BROKERS names a real cluster. Without it the lab needs a
// broker of its own: until the embedded Kafka broker lands, that is a real Apache Kafka started
// from scripts/kafka (Java 17 and Maven required), on BROKER_PORT, with its data under DATA_DIR.
import { join, resolve } from 'node:path';
import type { LabConfig } from './config.ts';

export interface KafkaTarget {
  brokers: string[];
  /** "external", or "apache-kafka (scripts/kafka)" when the lab started one. */
  kind: string;
  stop(): Promise<void>;
}

export async function startKafkaTarget(cfg: LabConfig, log: (m: string) => void): Promise<KafkaTarget> {
  if (cfg.KAFKA_BROKERS) {
    return { brokers: cfg.KAFKA_BROKERS.split(','), kind: 'external', stop: async () => {} };
  }
  if (cfg.BROKER_PORT === 0) {
    throw new Error('BROKER_PORT=0 disables the embedded Kafka, so set KAFKA_BROKERS to a cluster the lab can use');
  }
  const scripts = await import(new URL('../../../scripts/kafka/kafka.mjs', import.meta.url).href);
  if (!scripts.javaAvailable()) {
    throw new Error(
      'no Kafka to use: set KAFKA_BROKERS=host:port, or install Java 17+ and Maven so the lab can start Apache Kafka ' +
        '(the embedded Node broker replaces this step when it lands)',
    );
  }
  const dir = resolve(join(cfg.DATA_DIR, 'apache-kafka'));
  log(`starting Apache Kafka on 127.0.0.1:${cfg.BROKER_PORT} (data in ${dir})`);
  const k = await scripts.startKafka({ port: cfg.BROKER_PORT, dir });
  return {
    brokers: String(k.bootstrap).split(','),
    kind: 'apache-kafka (scripts/kafka)',
    stop: () => scripts.stopKafka({ dir }),
  };
}
