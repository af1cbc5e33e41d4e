// The worker-side converters a connector config can name in key.converter / value.converter, i.e.
// what turns a Connect (schema, value) into the bytes Kafka stores:
//   io.confluent.connect.avro.AvroConverter            (default, fast-data-dev's worker setting)
//   org.apache.kafka.connect.converters.ByteArrayConverter   bytes values only, as is
//   org.apache.kafka.connect.storage.StringConverter         String.valueOf(value) in UTF-8
//   org.apache.kafka.connect.json.JsonConverter              {"schema", "payload"} envelope, or the
//                                                           bare payload with schemas.enable=false
// Schemaless strings (JsonPassThrough) are written as their UTF-8 text by every converter except
// the JsonConverter, which writes them as JSON strings.
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import type { ConnectSchema } from './connect-schema.ts';
import type { Datum } from './convert.ts';

export type WorkerConverterKind = 'avro' | 'bytearray' | 'string' | 'json';

export interface WorkerConverter {
  kind: WorkerConverterKind;
  /** JsonConverter only: wrap in {"schema", "payload"}. */
  schemasEnable: boolean;
}

const CLASSES: Record<string, WorkerConverterKind> = {
  'io.confluent.connect.avro.AvroConverter': 'avro',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'bytearray',
  'org.apache.kafka.connect.storage.StringConverter': 'string',
  'org.apache.kafka.connect.json.JsonConverter': 'json',
};

export function workerConverterKind(cls: string | undefined): WorkerConverterKind | undefined {
  return cls === undefined || cls === '' ? 'avro' : CLASSES[cls];
}

export const WORKER_CONVERTER_CLASSES = Object.keys(CLASSES);

function fail(message: string): never {
  throw new BridgeError(BridgeErrorCodes.CONVERT, message);
}

/** Java's String.valueOf for Connect values (Struct{a=1,b=x}, [1, 2], {k=v}). */
function javaToString(schema: ConnectSchema, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (schema.type) {
    case 'struct':
      return `Struct{${schema.fields
        .filter(
          (f) =>
            (v as Record<string, unknown>)[f.name] !== null && (v as Record<string, unknown>)[f.name] !== undefined,
        )
        .map((f) => `${f.name}=${javaToString(f.schema, (v as Record<string, unknown>)[f.name])}`)
        .join(',')}}`;
    case 'array':
      return `[${(v as unknown[]).map((x) => javaToString(schema.items, x)).join(', ')}]`;
    case 'map':
      return `{${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k}=${javaToString(schema.values, x)}`)
        .join(', ')}}`;
    case 'float32':
    case 'float64':
      return Number.isInteger(v) ? `${v}.0` : String(v);
    case 'bytes':
      return `[B@${(v as Buffer).length.toString(16)}`;
    default:
      return String(v);
  }
}

/** Connect's JsonConverter schema JSON (asJsonSchema). */
function jsonSchema(s: ConnectSchema): string {
  const parts: string[] = [`"type":${JSON.stringify(s.type)}`];
  if (s.type === 'struct') {
    parts.push(
      `"fields":[${s.fields.map((f) => `${jsonSchema(f.schema).slice(0, -1)},"field":${JSON.stringify(f.name)}}`).join(',')}]`,
    );
  } else if (s.type === 'array') parts.push(`"items":${jsonSchema(s.items)}`);
  else if (s.type === 'map') parts.push(`"keys":{"type":"string","optional":false},"values":${jsonSchema(s.values)}`);
  parts.push(`"optional":${s.optional}`);
  if ('name' in s && s.name !== undefined) parts.push(`"name":${JSON.stringify(s.name)}`);
  return `{${parts.join(',')}}`;
}

/** Connect's JsonConverter payload: int64 exact, doubles keep ".0", bytes base64. */
function jsonPayload(s: ConnectSchema, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (s.type) {
    case 'struct':
      return `{${s.fields.map((f) => `${JSON.stringify(f.name)}:${jsonPayload(f.schema, (v as Record<string, unknown>)[f.name])}`).join(',')}}`;
    case 'array':
      return `[${(v as unknown[]).map((x) => jsonPayload(s.items, x)).join(',')}]`;
    case 'map':
      return `{${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${JSON.stringify(k)}:${jsonPayload(s.values, x)}`)
        .join(',')}}`;
    case 'bytes':
      return JSON.stringify((v as Buffer).toString('base64'));
    case 'float32':
    case 'float64':
      return Number.isInteger(v) && Math.abs(v as number) < 1e16 ? `${v}.0` : JSON.stringify(v);
    case 'int64':
      return String(v);
    default:
      return JSON.stringify(v);
  }
}

/** Bytes for a datum under a non-Avro worker converter. */
export function encodeWith(conv: WorkerConverter, d: Datum): Buffer | null {
  if (d.kind === 'raw') {
    if (d.bytes === null) return null;
    if (conv.kind !== 'json') return d.bytes;
    const text = JSON.stringify(d.bytes.toString('utf8'));
    return Buffer.from(conv.schemasEnable ? `{"schema":{"type":"string","optional":false},"payload":${text}}` : text);
  }
  if (d.value === null || d.value === undefined) return null;
  switch (conv.kind) {
    case 'bytearray':
      if (d.connect.type !== 'bytes')
        fail(
          `ByteArrayConverter is not compatible with objects of type ${d.connect.type} (use the BytesConverter, or another value.converter)`,
        );
      return d.value as Buffer;
    case 'string':
      return Buffer.from(d.connect.type === 'string' ? String(d.value) : javaToString(d.connect, d.value));
    case 'json': {
      const payload = jsonPayload(d.connect, d.value);
      return Buffer.from(conv.schemasEnable ? `{"schema":${jsonSchema(d.connect)},"payload":${payload}}` : payload);
    }
    default:
      throw new Error('the Avro converter is handled by the serializer');
  }
}
