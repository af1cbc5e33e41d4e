// The record single message transforms work on: the bridge's Connect-style key and value (a
// ConnectSchema + value, or a schemaless raw string/bytes, see converters/convert.ts), the Kafka
// topic and the headers. Transforms mutate it in place (no copy per record); a schema they derive is
// cached per input schema text, and its Avro text (what the AvroConverter registers) per schema object.
import { type ConnectSchema, connectToAvro } from '../converters/connect-schema.ts';
import type { Datum } from '../converters/convert.ts';

export interface SmtRecord {
  topic: string;
  key: Datum;
  value: Datum;
  headers: Record<string, string>;
  /** The record timestamp (ms); the bridge stamps records when they pass the transforms. */
  timestamp?: number;
}

/** An error a transform raises on a record (Connect's DataException). */
export class DataError extends Error {
  override name = 'DataException';
}

export type Side = 'key' | 'value';

/** A Connect schema and value pair; schema null = schemaless. */
export interface View {
  schema: ConnectSchema | null;
  value: unknown;
}

export function view(d: Datum): View {
  if (d.kind === 'avro') return { schema: d.connect, value: d.value };
  return { schema: null, value: d.bytes === null ? null : d.bytes.toString('utf8') };
}

const avroTexts = new WeakMap<ConnectSchema, string>();

/** The datum for a schema + value: schema text from the cache, no pre-encoded bytes. */
export function datum(schema: ConnectSchema | null, value: unknown): Datum {
  if (schema === null) {
    if (value === null || value === undefined) return { kind: 'raw', bytes: null };
    if (Buffer.isBuffer(value)) return { kind: 'raw', bytes: value };
    if (typeof value === 'string') return { kind: 'raw', bytes: Buffer.from(value) };
    return {
      kind: 'raw',
      bytes: Buffer.from(typeof value === 'object' ? JSON.stringify(value, bigintJson) : String(value)),
    };
  }
  let text = avroTexts.get(schema);
  if (text === undefined) {
    text = JSON.stringify(connectToAvro(schema));
    avroTexts.set(schema, text);
  }
  return { kind: 'avro', schema: text, connect: schema, value };
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** A bounded cache of derived schemas keyed by the input's Avro text (or any string). */
export class SchemaCache<T> {
  private readonly m = new Map<string, T>();
  get(k: string, make: () => T): T {
    let v = this.m.get(k);
    if (v === undefined) {
      v = make();
      if (this.m.size >= 1000) this.m.clear();
      this.m.set(k, v);
    }
    return v;
  }
}

export function schemaKey(d: Datum): string {
  return d.kind === 'avro' ? d.schema : '';
}

export type StructSchema = Extract<ConnectSchema, { type: 'struct' }>;

export function requireStruct(schema: ConnectSchema, purpose: string): StructSchema {
  if (schema.type !== 'struct')
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${schema.type}`);
  return schema;
}

export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value))
    throw new DataError(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${value === null ? 'null' : typeof value === 'string' ? 'java.lang.String' : typeof value}`,
    );
  return value as Record<string, unknown>;
}

/** Connect's logical type names the bridge knows, as (primitive + name). */
export const TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';
export const DATE = 'org.apache.kafka.connect.data.Date';
export const TIME = 'org.apache.kafka.connect.data.Time';

export function optional(s: ConnectSchema): ConnectSchema {
  return s.optional ? s : { ...s, optional: true };
}

/** A value's text as a header value (Connect's Values.convertToString for the common cases). */
export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'object') return JSON.stringify(v, bigintJson);
  return String(v);
}
