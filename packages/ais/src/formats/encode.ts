// Payload formats of the generator: raw Avro with the seed's schema (default, as the 2017
// generator), raw Avro with fast-data-dev's schema, Confluent-framed Avro (magic 0 + schema id),
// JSON, and NMEA sentence text. Every encoder turns one report into one payload Buffer.
import { AisError } from '../errors.ts';
import { encodePositionSentences, type PositionReportA, type PositionReportB } from '../nmea/index.ts';
import type { FormatName } from './names.ts';
import { type FittedSchema, fitSchema, type PositionRecord, toRecord } from './record.ts';
import { avroType, FDD_KEY_SCHEMA, FDD_VALUE_SCHEMA, SEED_SCHEMA } from './schemas.ts';

export { FORMATS, type FormatName, isFormat } from './names.ts';

export interface PayloadEncoder {
  format: FormatName;
  /** The Avro schema written (avro, fdd, confluent), else null. */
  schema: unknown | null;
  encode(m: PositionReportA | PositionReportB, timeNs: bigint, nmeaText?: string): Buffer;
}

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro body. */
export function confluentFrame(schemaId: number, avroBody: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + avroBody.length);
  out[0] = 0;
  out.writeUInt32BE(schemaId, 1);
  avroBody.copy(out, 5);
  return out;
}

export function recordJson(r: PositionRecord): string {
  // Written by hand so the nanosecond Timestamp keeps all its digits.
  return (
    `{"Type":${r.Type},"Repeat":${r.Repeat},"MMSI":${r.MMSI},"Speed":${r.Speed},"Accuracy":${r.Accuracy},` +
    `"Longitude":${r.Longitude},"Latitude":${r.Latitude},"location":${JSON.stringify(r.location)},` +
    `"Course":${r.Course},"Heading":${r.Heading},"Second":${r.Second},"RAIM":${r.RAIM},"Radio":${r.Radio},` +
    `"Status":${r.Status},"Turn":${r.Turn},"Maneuver":${r.Maneuver},"Timestamp":${r.Timestamp}}`
  );
}

export interface EncoderOptions {
  format: FormatName;
  /** A fitted -schema file; replaces the format's default Avro schema. */
  schema?: FittedSchema;
  /** Registry id of the schema, required for 'confluent'. */
  schemaId?: number;
}

export function defaultSchemaFor(format: FormatName): unknown | null {
  if (format === 'avro') return SEED_SCHEMA;
  if (format === 'fdd' || format === 'confluent') return FDD_VALUE_SCHEMA;
  return null;
}

export function createEncoder(opts: EncoderOptions): PayloadEncoder {
  const { format } = opts;
  if (format === 'json') {
    return { format, schema: null, encode: (m, ns) => Buffer.from(recordJson(toRecord(m, ns))) };
  }
  if (format === 'nmea') {
    return {
      format,
      schema: null,
      encode: (m, _ns, text) => Buffer.from(text ?? encodePositionSentences(m).join('\r\n')),
    };
  }
  const fitted = opts.schema ?? fitSchema(defaultSchemaFor(format));
  if (format === 'confluent') {
    const id = opts.schemaId;
    if (id === undefined) throw new AisError('SEAWAY_AIS_CONFIG', 'format confluent needs the registered schema id');
    return {
      format,
      schema: fitted.schema,
      encode: (m, ns) => confluentFrame(id, fitted.type.toBuffer(fitted.adapt(toRecord(m, ns)))),
    };
  }
  return { format, schema: fitted.schema, encode: (m, ns) => fitted.type.toBuffer(fitted.adapt(toRecord(m, ns))) };
}

const keyType = avroType(FDD_KEY_SCHEMA);

/** fast-data-dev's Avro key {MMSI}. */
export function encodeKey(mmsi: number): Buffer {
  return keyType.toBuffer({ MMSI: BigInt(mmsi) });
}
