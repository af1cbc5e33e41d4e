// The MQTT source converters (Stream Reactor's converters.source.*) turning one MQTT payload into the
// key and value a Kafka Connect worker with the Confluent AvroConverter would write:
//
//   Bytes            value "bytes" = the payload
//   Avro             payload decoded with the configured .avsc, value = that record under the
//                    AvroData round-tripped schema (avro-roundtrip.ts)
//   JsonSimple       JSON -> struct named after the MQTT topic ('/' -> '_'), every field optional,
//                    integers int64, decimals float64, null an optional string, arrays typed by
//                    their first element
//   JsonOptNull      as JsonSimple but only nulls and arrays are optional
//   JsonConverterWithSchemaEvolution  as JsonSimple, and fields seen in earlier messages are kept (null)
//   JsonPassThrough  key and value are plain strings (what the StringConverter writes): the JSON text
//   (the JSON ones refuse a payload that is not UTF-8 when MQTT 5 Payload Format Indicator 1 says it is)
//
// Keys follow Stream Reactor: a struct {topic, id} (MsgKey) by default; with WITHKEY and a struct
// value, a string of the key fields joined by KEYDELIMITER; JsonPassThrough falls back to
// "<mqtt topic><delimiter><message id>".
import { isUtf8 } from 'node:buffer';
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import { roundTripAvroSchema } from './avro-roundtrip.ts';
import { avroType, decodeExact } from './avro-types.ts';
import { converterKind } from './classes.ts';
import { type ConnectSchema, connectToAvro, javaString, msgKeySchema } from './connect-schema.ts';
import { type JsonNode, lookupPath, parseJsonTree } from './json-tree.ts';

/**
 * A converted key or value: `avro` carries the Connect schema, the Avro schema text the Confluent
 * AvroConverter would register for it, and the value; `raw` is a schemaless string (JsonPassThrough).
 */
export type Datum =
  | {
      kind: 'avro';
      schema: string;
      connect: ConnectSchema;
      value: unknown;
      /** The value already encoded as Avro binary of `schema` (the payload, when its encoding is the same). */
      encoded?: Buffer;
    }
  | { kind: 'raw'; bytes: Buffer | null };

export interface ConvertInput {
  kafkaTopic: string;
  /** The MQTT topic, or the KCQL source when Avro schemas are configured (Stream Reactor's rule). */
  sourceTopic: string;
  /** The KCQL source the message matched (the Avro schema lookup key). */
  kcqlSource: string;
  messageId: string;
  payload: Buffer;
  keys: string[];
  keyDelimiter: string;
  /** MQTT 5 Payload Format Indicator 1: the publisher declared the payload UTF-8 text. */
  utf8?: boolean;
}

export interface Converted {
  key: Datum;
  value: Datum;
}

export interface SourceConverter {
  readonly className: string;
  convert(input: ConvertInput): Converted;
}

type Obj = Record<string, unknown>;

function fail(message: string, cause?: unknown): never {
  throw new BridgeError(BridgeErrorCodes.CONVERT, message, undefined, { cause });
}

/**
 * The payload as text. Decoding replaces invalid bytes with U+FFFD silently, so a payload its
 * publisher declared UTF-8 (MQTT 5 Payload Format Indicator 1, MQTT 5.0 section 3.3.2.3.2) is checked first and
 * refused when it is not, rather than written to Kafka altered.
 */
function jsonText(input: ConvertInput): string {
  if (input.utf8 && !isUtf8(input.payload))
    fail(
      "The payload is not valid UTF-8 although its MQTT 5 Payload Format Indicator is 1 (UTF-8): fix the publisher's encoding, or publish it without the indicator",
    );
  return input.payload.toString('utf8');
}

function defaultKey(className: string, input: ConvertInput): Datum {
  const schema = msgKeyText(className);
  return {
    kind: 'avro',
    schema,
    connect: msgKeySchema(className),
    value: { topic: input.sourceTopic, id: input.messageId },
  };
}

const msgKeyTexts = new Map<string, string>();
function msgKeyText(className: string): string {
  const k = className.startsWith('io.lenses.') ? 'io' : 'com';
  let t = msgKeyTexts.get(k);
  if (!t) {
    t = JSON.stringify(connectToAvro(msgKeySchema(className)));
    msgKeyTexts.set(k, t);
  }
  return t;
}

/** Stream Reactor's KeyExtractor over a struct: every path must end at a non-null primitive. */
function structKey(schema: ConnectSchema, value: unknown, keys: string[], delimiter: string): string {
  const parts: string[] = [];
  for (const key of keys) {
    const path = key.split('.');
    let s: ConnectSchema = schema;
    let v: unknown = value;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] as string;
      if (s.type !== 'struct') fail(`Invalid field selection for [${key}]. It doesn't resolve to a primitive field`);
      const f = s.fields.find((x) => x.name === name);
      if (!f) fail(`Couldn't find field [${name}] in the schema: [${s.fields.map((x) => x.name).join(',')}]`);
      s = f.schema;
      v = (v as Obj | null)?.[name];
      if (v === null || v === undefined) fail(`Invalid field selection for [${key}]. Field [${name}] is null`);
    }
    if (s.type === 'struct' || s.type === 'array' || s.type === 'map') {
      fail(`Invalid field selection for [${key}]. It doesn't resolve to a primitive field`);
    }
    parts.push(javaString(v, s.type));
  }
  return parts.join(delimiter);
}

function keyFor(className: string, input: ConvertInput, schema: ConnectSchema, value: unknown): Datum {
  if (schema.type === 'struct' && input.keys.length > 0) {
    return {
      kind: 'avro',
      schema: '"string"',
      connect: { type: 'string', optional: false },
      value: structKey(schema, value, input.keys, input.keyDelimiter),
    };
  }
  return defaultKey(className, input);
}

// ---- JSON family -------------------------------------------------------------------------------

type JsonMode = 'simple' | 'optnull' | 'evolution';

function jsonToConnect(
  name: string,
  node: JsonNode,
  mode: JsonMode,
  prev: ConnectSchema | undefined,
): { schema: ConnectSchema; value: unknown } {
  const opt = mode !== 'optnull';
  switch (node.t) {
    case 'null':
      return { schema: { type: 'string', optional: true }, value: null };
    case 'bool':
      return { schema: { type: 'boolean', optional: opt }, value: node.v };
    case 'int':
      return { schema: { type: 'int64', optional: opt }, value: node.v };
    case 'double':
      return { schema: { type: 'float64', optional: opt }, value: node.v };
    case 'string':
      return { schema: { type: 'string', optional: opt }, value: node.v };
    case 'array': {
      if (node.v.length === 0) fail(`Cannot infer a schema for the empty JSON array in [${name}]`);
      const prevItems = prev?.type === 'array' ? prev.items : undefined;
      const head = jsonToConnect(name, node.v[0] as JsonNode, mode, prevItems);
      const values = node.v.map((n, i) => (i === 0 ? head.value : jsonToConnect(name, n, mode, prevItems).value));
      return { schema: { type: 'array', optional: true, items: head.schema }, value: values };
    }
    case 'object': {
      const fields: Array<{ name: string; schema: ConnectSchema }> = [];
      const value: Obj = {};
      const prevFields = prev?.type === 'struct' ? prev.fields : [];
      for (const [k, v] of node.v) {
        if (Object.hasOwn(value, k)) fail(`Duplicate JSON member [${k}] in [${name}]`);
        const sv = jsonToConnect(k, v, mode, prevFields.find((f) => f.name === k)?.schema);
        fields.push({ name: k, schema: sv.schema });
        value[k] = sv.value;
      }
      if (mode === 'evolution') {
        for (const f of prevFields) {
          if (!Object.hasOwn(value, f.name)) {
            fields.push({ name: f.name, schema: { ...f.schema, optional: true } as ConnectSchema });
            value[f.name] = null;
          }
        }
      }
      return { schema: { type: 'struct', optional: false, name: name.replaceAll('/', '_'), fields }, value };
    }
  }
}

function jsonConverter(className: string, mode: JsonMode): SourceConverter {
  const latest = new Map<string, ConnectSchema>();
  return {
    className,
    convert(input) {
      let tree: JsonNode;
      const json = jsonText(input);
      try {
        tree = parseJsonTree(json);
      } catch (e) {
        fail(`Failed to parse json message [${json.slice(0, 200)}]: ${(e as Error).message}`, e);
      }
      const { schema, value } = jsonToConnect(
        input.sourceTopic,
        tree,
        mode,
        mode === 'evolution' ? latest.get(input.kcqlSource) : undefined,
      );
      if (mode === 'evolution') latest.set(input.kcqlSource, schema);
      let text: string;
      try {
        text = JSON.stringify(connectToAvro(schema));
        avroType(text);
      } catch (e) {
        fail(`The JSON payload's schema is not valid Avro: ${(e as Error).message}`, e);
      }
      return {
        key: keyFor(className, input, schema, value),
        value: { kind: 'avro', schema: text, connect: schema, value },
      };
    },
  };
}

function passThrough(className: string): SourceConverter {
  return {
    className,
    convert(input) {
      const json = jsonText(input);
      let tree: JsonNode;
      try {
        tree = parseJsonTree(json);
      } catch (e) {
        fail(`Failed to parse json message [${json.slice(0, 200)}]: ${(e as Error).message}`, e);
      }
      const parts: string[] = [];
      for (const k of input.keys) {
        const n = lookupPath(tree, k.split('.'));
        if (n === undefined) fail(`Invalid field selection for [${k}]. Can't find it in the JSON payload`);
        if (n.t === 'object' || n.t === 'array')
          fail(`Invalid field selection for [${k}]. The path is not resolving to a primitive field`);
        if (n.t !== 'null') parts.push(String(n.v));
      }
      let key = parts.join(input.keyDelimiter);
      if (key === '') key = `${input.sourceTopic}${input.keyDelimiter}${input.messageId}`;
      return { key: { kind: 'raw', bytes: Buffer.from(key) }, value: { kind: 'raw', bytes: Buffer.from(json) } };
    },
  };
}

// ---- Avro and Bytes ----------------------------------------------------------------------------

/** A light Connect view of an Avro schema, enough for WITHKEY on decoded records. */
function avroToConnect(s: unknown, named: Map<string, unknown>, ns?: string): ConnectSchema {
  if (typeof s === 'string') {
    const map: Record<string, ConnectSchema['type']> = {
      int: 'int32',
      long: 'int64',
      float: 'float32',
      double: 'float64',
      boolean: 'boolean',
      string: 'string',
      bytes: 'bytes',
    };
    const prim = map[s];
    if (prim) return { type: prim, optional: false } as ConnectSchema;
    const def = named.get(s) ?? named.get(`${ns}.${s}`);
    return def === undefined ? { type: 'string', optional: false } : avroToConnect(def, named, ns);
  }
  if (Array.isArray(s)) {
    const nn = s.filter((b) => b !== 'null');
    const inner = avroToConnect(nn[0], named, ns);
    return { ...inner, optional: s.length !== nn.length } as ConnectSchema;
  }
  const o = s as Obj;
  if (o.type === 'record') {
    const fn = String(o.name).includes('.')
      ? String(o.name)
      : o.namespace
        ? `${o.namespace}.${o.name}`
        : ns
          ? `${ns}.${o.name}`
          : String(o.name);
    named.set(fn, o);
    const myNs = fn.includes('.') ? fn.slice(0, fn.lastIndexOf('.')) : undefined;
    return {
      type: 'struct',
      optional: false,
      name: fn,
      fields: ((o.fields as Obj[]) ?? []).map((f) => ({
        name: String(f.name),
        schema: avroToConnect(f.type, named, myNs),
      })),
    };
  }
  if (o.type === 'enum') return { type: 'string', optional: false };
  if (o.type === 'fixed') return { type: 'bytes', optional: false };
  if (o.type === 'array') return { type: 'array', optional: false, items: avroToConnect(o.items, named, ns) };
  if (o.type === 'map') return { type: 'map', optional: false, values: avroToConnect(o.values, named, ns) };
  return avroToConnect(o.type, named, ns);
}

function avroConverter(className: string, schemas: Map<string, unknown>): SourceConverter {
  const prepared = new Map<
    string,
    { read: ReturnType<typeof avroType>; text: string; connect: ConnectSchema; sameBytes: boolean }
  >();
  for (const [src, schema] of schemas) {
    const text = JSON.stringify(roundTripAvroSchema(schema as never));
    const read = avroType(JSON.stringify(schema));
    prepared.set(src, {
      read,
      text,
      connect: avroToConnect(schema, new Map()),
      // The registered schema differs from the .avsc only in names, docs and connect.* properties
      // unless an enum became a string or a union changed order: then the bytes differ too. When the
      // Parsing Canonical Forms match, the payload (checked by decoding it) is already the value's
      // Avro binary, so the serializer frames it instead of encoding the decoded value again.
      sameBytes: read.fingerprint().equals(avroType(text).fingerprint()),
    });
  }
  return {
    className,
    convert(input) {
      const p = prepared.get(input.kcqlSource.toLowerCase());
      if (!p) fail(`Invalid [connect.converter.avro.schemas] is not configured for [${input.kcqlSource}]`);
      let value: unknown;
      try {
        value = decodeExact(p.read, input.payload);
      } catch (e) {
        fail(`The payload on ${input.sourceTopic} is not Avro of the configured schema: ${(e as Error).message}`, e);
      }
      return {
        key: keyFor(className, input, p.connect, value),
        value: p.sameBytes
          ? { kind: 'avro', schema: p.text, connect: p.connect, value, encoded: input.payload }
          : { kind: 'avro', schema: p.text, connect: p.connect, value },
      };
    },
  };
}

function bytesConverter(className: string): SourceConverter {
  return {
    className,
    convert: (input) => ({
      key: defaultKey(className, input),
      value: { kind: 'avro', schema: '"bytes"', connect: { type: 'bytes', optional: false }, value: input.payload },
    }),
  };
}

/** A converter instance for a class name (one per task and KCQL source, as Stream Reactor does). */
export function createConverter(className: string, avroSchemas: Map<string, unknown>): SourceConverter {
  switch (converterKind(className)) {
    case 'bytes':
      return bytesConverter(className);
    case 'avro':
      return avroConverter(className, avroSchemas);
    case 'json-simple':
      return jsonConverter(className, 'simple');
    case 'json-optnull':
      return jsonConverter(className, 'optnull');
    case 'json-evolution':
      return jsonConverter(className, 'evolution');
    case 'json-passthrough':
      return passThrough(className);
    default:
      throw new BridgeError(BridgeErrorCodes.CONFIG_INVALID, `Converter class ${className} can't be found`);
  }
}
