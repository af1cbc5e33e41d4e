// A small Kafka client on this package's codec: connections and an acks=all producer.
export { type ConnectionOptions, KafkaConnection } from './connection.ts';
export { type ClientErrorCode, ClientErrorCodes, KafkaClientError } from './errors.ts';
export { IdempotentProducer, type IdempotentProducerOptions } from './idempotent-producer.ts';
export { murmur2, partitionForKey } from './murmur2.ts';
export { OffsetsReader, type PartitionOffsets } from './offsets.ts';
export { BrokerPool, type PoolOptions } from './pool.ts';
export { KafkaProducer, type ProducerOptions } from './producer.ts';
export type { KafkaTransport, OpenTransport, TransportOptions } from './transport.ts';
