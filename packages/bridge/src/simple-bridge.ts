// The thin bridge of the foundation: one MQTT subscription, one Kafka topic, records batched into
// produce requests (acks=all). The full Stream Reactor compatible connector runtime replaces it;
// until then it carries the data path end to end. It acknowledges MQTT on receipt (mqtt.js does),
// which is the weaker promise; the connector runtime acknowledges after Kafka.
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mqtt from 'mqtt';

export interface SimpleBridgeConfig {
  mqttUrl: string;
  /** MQTT topic filter, e.g. "/ais/#". */
  filter: string;
  kafkaTopic: string;
  brokers: string[];
  clientId: string;
}

export interface BridgeStats {
  messagesIn: number;
  recordsOut: number;
  bytesOut: number;
  errors: number;
  lastError: string | null;
}

export interface SimpleBridge {
  stats(): BridgeStats;
  close(): Promise<void>;
}

const MAX_BATCH = 5000;

export async function startSimpleBridge(cfg: SimpleBridgeConfig): Promise<SimpleBridge> {
  const kafka = new Kafka({ clientId: cfg.clientId, brokers: cfg.brokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const stats: BridgeStats = { messagesIn: 0, recordsOut: 0, bytesOut: 0, errors: 0, lastError: null };

  let pending: { key: string; value: Buffer; headers: Record<string, string> }[] = [];
  let flushing = false;
  const flush = async () => {
    if (flushing || pending.length === 0) return;
    flushing = true;
    const batch = pending.splice(0, MAX_BATCH);
    try {
      await producer.send({ topic: cfg.kafkaTopic, acks: -1, messages: batch });
      stats.recordsOut += batch.length;
      for (const m of batch) stats.bytesOut += m.value.length;
    } catch (e) {
      stats.errors++;
      stats.lastError = (e as Error).message;
      pending = batch.concat(pending);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      flushing = false;
      if (pending.length) setImmediate(flush);
    }
  };

  const client = await mqtt.connectAsync(cfg.mqttUrl, { clientId: cfg.clientId, clean: true });
  client.on('message', (topic, payload) => {
    stats.messagesIn++;
    pending.push({ key: topic, value: payload, headers: { 'mqtt.topic': topic } });
    if (!flushing) setImmediate(flush);
  });
  await client.subscribeAsync(cfg.filter, { qos: 1 });

  return {
    stats: () => ({ ...stats }),
    async close() {
      await client.endAsync();
      const deadline = Date.now() + 10_000;
      while ((pending.length || flushing) && Date.now() < deadline) {
        if (!flushing) await flush();
        else await new Promise((r) => setTimeout(r, 10));
      }
      await producer.disconnect();
    },
  };
}
