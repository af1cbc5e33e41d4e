// Where a task's records go: one call per batch. The Kafka implementation is @seaway/kafka-protocol's
// producer (acks=all, one produce request per leader, batches written without per-record
// allocations); tests substitute a sink that fails on purpose.
import type { KafkaProducer } from '@seaway/kafka-protocol';

export interface SinkMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface RecordSink {
  send(byTopic: Map<string, SinkMessage[]>): Promise<void>;
}

export function kafkaSink(producer: KafkaProducer): RecordSink {
  return { send: (byTopic) => producer.send(byTopic) };
}
