// Public surface of the Kafka protocol package: primitives, the definition-driven message codec,
// record batches, compression and the error table. Import from here, not from deep paths.
export * from './client/index.ts';
export * from './codec/message-codec.ts';
export * from './compression/index.ts';
export * from './errors.ts';
export * from './messages/definition-types.ts';
export * from './messages/types.generated.ts';
export * from './primitives/codec-error.ts';
export * from './primitives/reader.ts';
export * from './primitives/uuid.ts';
export * from './primitives/writer.ts';
export * from './records/index.ts';
