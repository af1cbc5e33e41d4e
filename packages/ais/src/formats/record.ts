// From a decoded or simulated position report to the record the Avro schemas describe, and
// checking that a user-supplied schema (-schema FILE) fits that record.
import { readFileSync } from 'node:fs';
import type avro from 'avsc';
import { AisError } from '../errors.ts';
import { type PositionReportA, type PositionReportB, schemaTurn } from '../nmea/messages.ts';
import { avroType } from './schemas.ts';

/** The position record in the seed's / fast-data-dev's field names; Timestamp in ns. */
export interface PositionRecord {
  Type: number;
  Repeat: number;
  MMSI: number;
  Speed: number;
  Accuracy: boolean;
  Longitude: number;
  Latitude: number;
  location: string;
  Course: number;
  Heading: number;
  Second: number;
  RAIM: boolean;
  Radio: number;
  Status: number;
  Turn: number;
  Maneuver: number;
  Timestamp: bigint;
}

type Kind = 'int' | 'long' | 'float' | 'double' | 'boolean' | 'string';

export const RECORD_KINDS: Readonly<Record<keyof PositionRecord, Kind>> = {
  Type: 'int',
  Repeat: 'int',
  MMSI: 'long',
  Speed: 'float',
  Accuracy: 'boolean',
  Longitude: 'double',
  Latitude: 'double',
  location: 'string',
  Course: 'float',
  Heading: 'int',
  Second: 'int',
  RAIM: 'boolean',
  Radio: 'long',
  Status: 'int',
  Turn: 'float',
  Maneuver: 'int',
  Timestamp: 'long',
};

export function locationString(lat: number, lon: number): string {
  return `${lat.toFixed(6)},${lon.toFixed(6)}`;
}

export function toRecord(m: PositionReportA | PositionReportB, timeNs: bigint): PositionRecord {
  const classA = m.type !== 18;
  return {
    Type: m.type,
    Repeat: m.repeat,
    MMSI: m.mmsi,
    Speed: m.speed,
    Accuracy: m.accuracy,
    Longitude: m.lon,
    Latitude: m.lat,
    location: locationString(m.lat, m.lon),
    Course: m.course,
    Heading: m.heading,
    Second: m.second,
    RAIM: m.raim,
    Radio: m.radio,
    // Class B reports carry no status, turn or manoeuvre: "not defined" / "not available".
    Status: classA ? m.status : 15,
    Turn: classA ? schemaTurn(m.turn) : -128,
    Maneuver: classA ? m.maneuver : 0,
    Timestamp: timeNs,
  };
}

// Avro type promotions a writer may rely on (Avro spec, "Schema Resolution").
const PROMOTES: Record<Kind, Kind[]> = {
  int: ['int', 'long', 'float', 'double'],
  long: ['long', 'float', 'double'],
  float: ['float', 'double'],
  double: ['double'],
  boolean: ['boolean'],
  string: ['string'],
};

export interface FittedSchema {
  type: avro.Type;
  /** Turn a PositionRecord into the value this schema writes. */
  adapt(r: PositionRecord): Record<string, unknown>;
  schema: unknown;
}

function branchKind(t: unknown): { kind: string; nullable: boolean } {
  if (Array.isArray(t)) {
    const nonNull = t.filter(
      (b) => b !== 'null' && !(typeof b === 'object' && b && (b as { type?: string }).type === 'null'),
    );
    const inner = nonNull.length === 1 ? branchKind(nonNull[0]) : { kind: 'union', nullable: false };
    return { kind: inner.kind, nullable: nonNull.length !== t.length };
  }
  if (typeof t === 'string') return { kind: t, nullable: false };
  if (t && typeof t === 'object') return { kind: String((t as { type?: unknown }).type), nullable: false };
  return { kind: 'unknown', nullable: false };
}

/** Check a schema against the position record; throws SEAWAY_AIS_SCHEMA_MISMATCH naming the field. */
export function fitSchema(schema: unknown, where = 'the schema'): FittedSchema {
  const s = schema as { type?: unknown; fields?: unknown };
  if (s?.type !== 'record' || !Array.isArray(s.fields)) {
    throw new AisError('SEAWAY_AIS_SCHEMA_MISMATCH', `${where} must be an Avro record schema with fields`);
  }
  const plan: Array<{ name: string; from: keyof PositionRecord | null; kind: string; def: unknown }> = [];
  for (const f of s.fields as Array<{ name: string; type: unknown; default?: unknown }>) {
    const { kind, nullable } = branchKind(f.type);
    const from = (Object.hasOwn(RECORD_KINDS, f.name) ? f.name : null) as keyof PositionRecord | null;
    if (!from) {
      if (!('default' in f) && !nullable) {
        throw new AisError(
          'SEAWAY_AIS_SCHEMA_MISMATCH',
          `${where}: field "${f.name}" is not part of an AIS position report and has no default; ` +
            `known fields are ${Object.keys(RECORD_KINDS).join(', ')}`,
        );
      }
      plan.push({ name: f.name, from: null, kind, def: 'default' in f ? f.default : null });
      continue;
    }
    const have = RECORD_KINDS[from];
    if (!PROMOTES[have].includes(kind as Kind)) {
      throw new AisError(
        'SEAWAY_AIS_SCHEMA_MISMATCH',
        `${where}: field "${f.name}" has type ${JSON.stringify(f.type)} but the generator writes ${have} there`,
      );
    }
    plan.push({ name: f.name, from, kind, def: undefined });
  }
  let type: avro.Type;
  try {
    type = avroType(schema);
  } catch (err) {
    throw new AisError('SEAWAY_AIS_SCHEMA_MISMATCH', `${where} is not a valid Avro schema: ${(err as Error).message}`);
  }
  return {
    type,
    schema,
    adapt(r) {
      const out: Record<string, unknown> = {};
      for (const p of plan) {
        if (!p.from) {
          out[p.name] = p.def;
          continue;
        }
        const v = r[p.from];
        out[p.name] =
          p.kind === 'long'
            ? BigInt(typeof v === 'bigint' ? v : Math.trunc(Number(v)))
            : p.kind === 'float' || p.kind === 'double'
              ? Number(v)
              : v;
      }
      return out;
    },
  };
}

export function loadSchemaFile(path: string): FittedSchema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AisError('SEAWAY_AIS_SCHEMA_FILE', `cannot read -schema ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AisError('SEAWAY_AIS_SCHEMA_FILE', `-schema ${path} is not JSON: ${(err as Error).message}`);
  }
  return fitSchema(json, `-schema ${path}`);
}
