// @seaway/ais: AIVDM/AIVDO codec, fleet simulator, Avro schemas and formats, and the generator.
export { type CliIo, formatSummary, main } from './cli.ts';
export { AIS_ERRORS, AisError, type AisErrorCode } from './errors.ts';
export {
  confluentFrame,
  createEncoder,
  encodeKey,
  FORMATS,
  type FormatName,
  type PayloadEncoder,
  recordJson,
} from './formats/encode.ts';
export { fitSchema, loadSchemaFile, type PositionRecord, toRecord } from './formats/record.ts';
export { avroType, FDD_KEY_SCHEMA, FDD_VALUE_SCHEMA, SEED_SCHEMA } from './formats/schemas.ts';
export {
  DEFAULT_OPTIONS,
  type GeneratorOptions,
  parseGeneratorArgs,
  parseServer,
  resolveOptions,
  USAGE,
} from './gen/options.ts';
export {
  type GeneratorRun,
  type GeneratorStats,
  type GeneratorSummary,
  type RunState,
  startGeneratorRun,
} from './gen/run.ts';
export type { LiveStream, LiveStreamConfig, LiveStreamStats } from './live-stream.ts';
export { startLiveStream } from './live-stream.ts';
export * as nmea from './nmea/index.ts';
export {
  SAMPLE_TOPIC,
  type SampleData,
  type SampleDataOptions,
  type SampleRecord,
  sampleVesselPositions,
} from './sample-data.ts';
export { type FleetOptions, FleetSimulator, reportIntervalSeconds, type SimReport } from './sim/fleet.ts';
export { isLand, landAt } from './sim/land.ts';
export { PORTS } from './sim/lanes.ts';
