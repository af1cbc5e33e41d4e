// Public surface of the embedded Kafka broker: start/stop, options, errors, the API registry (for tests
// and tooling) and the partition log storage.

export { ALL_APIS, type ApiModule, ApiRegistry } from './api/registry.ts';
export { type KafkaCliConfig, main } from './cli.ts';
export { type BrokerOptions, resolveOptions, type SaslPlainOptions } from './config.ts';
export { BrokerError, BrokerErrorCode, type BrokerErrorCodeValue } from './errors.ts';
export * from './log/index.ts';
export { type KafkaBroker, startKafkaBroker } from './server/broker.ts';
export type { ConnectionStats } from './server/limits.ts';
