// @seaway/schema-registry: a Confluent-compatible schema registry stored in a Kafka topic.
// For the lab: mount `schemaRegistryRoutes` (fastify plugin, option { registry }) under
// /api/schema-registry, and/or run `startSchemaRegistry({ brokers, port, host, topic })` on 8081.

export { canonicalAvro } from './avro/canonical.ts';
export { checkAvroCompatibility, type Incompatibility } from './avro/compat.ts';
export { AvroSchemaError, type AvroType, parseAvro } from './avro/schema.ts';
export { ErrorCode, RegistryError, SeawayCode, SeawayRegistryError } from './errors.ts';
export { type RegistryStatus, SchemaRegistry } from './registry.ts';
export { CONTENT_TYPE, type SchemaRegistryRoutesOptions, schemaRegistryRoutes } from './routes.ts';
export {
  createSchemaRegistry,
  type RunningSchemaRegistry,
  type SchemaRegistryOptions,
  type StartSchemaRegistryOptions,
  startSchemaRegistry,
} from './server.ts';
export { createKafkaStore, type KafkaStoreOptions } from './store/kafka-store.ts';
export { createMemoryStore, MemoryLog } from './store/memory-store.ts';
export type { RecordListener, RegistryStore } from './store/store.ts';
export * from './types.ts';
