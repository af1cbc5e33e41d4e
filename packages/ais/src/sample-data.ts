// SAMPLEDATA for the lab: keyed records for topic sea_vessel_position_reports, key and value as
// raw Avro per fast-data-dev's schemas (key {MMSI}), taken from the fleet simulator. The lab
// registers the schemas and frames the bytes (confluentFrame) before producing them.
import { encodeKey } from './formats/encode.ts';
import { fitSchema, toRecord } from './formats/record.ts';
import { FDD_KEY_SCHEMA, FDD_VALUE_SCHEMA } from './formats/schemas.ts';
import { FleetSimulator } from './sim/fleet.ts';

export interface SampleRecord {
  key: Buffer;
  value: Buffer;
  mmsi: number;
  /** Report time, ms since the epoch (use as the Kafka record timestamp). */
  timestamp: number;
}

export interface SampleDataOptions {
  seed?: number;
  vessels?: number;
  /** Time of the first report, ms since the epoch (default: now minus 15 minutes). */
  startTime?: number;
}

export interface SampleData {
  topic: string;
  partitions: number;
  keySchema: typeof FDD_KEY_SCHEMA;
  valueSchema: typeof FDD_VALUE_SCHEMA;
  records: Generator<SampleRecord>;
}

export const SAMPLE_TOPIC = 'sea_vessel_position_reports';

/** N simulated position reports as fast-data-dev's sample topic holds them. */
export function sampleVesselPositions(n: number, opts: SampleDataOptions = {}): SampleData {
  return {
    topic: SAMPLE_TOPIC,
    partitions: 3,
    keySchema: FDD_KEY_SCHEMA,
    valueSchema: FDD_VALUE_SCHEMA,
    records: sampleRecords(n, opts),
  };
}

function* sampleRecords(n: number, opts: SampleDataOptions): Generator<SampleRecord> {
  const sim = new FleetSimulator({
    vessels: opts.vessels ?? 300,
    seed: opts.seed ?? 1,
    startTime: opts.startTime ?? Date.now() - 15 * 60_000,
  });
  const value = fitSchema(FDD_VALUE_SCHEMA);
  for (let i = 0; i < n; i++) {
    const r = sim.next();
    const ns = BigInt(Math.round(r.time)) * 1_000_000n;
    yield {
      key: encodeKey(r.vessel.mmsi),
      value: value.type.toBuffer(value.adapt(toRecord(r.message, ns))),
      mmsi: r.vessel.mmsi,
      timestamp: Math.round(r.time),
    };
  }
}
