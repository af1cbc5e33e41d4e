// Where a task's records go: one call per batch. The Kafka implementation is one kafkajs
// sendBatch with acks=all; tests substitute a sink that fails on purpose.
import type { Producer } from 'kafkajs';

export interface SinkMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface RecordSink {
  send(byTopic: Map<string, SinkMessage[]>): Promise<void>;
}

export function kafkaSink(producer: Producer): RecordSink {
  return {
    async send(byTopic) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
  };
}
