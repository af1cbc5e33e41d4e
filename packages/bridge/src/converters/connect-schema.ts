// A small model of Kafka Connect schemas (the part the MQTT source converters produce) and its
// translation to the Avro schema the Confluent AvroConverter registers, following AvroData
// .fromConnectSchema with its defaults (connect.meta.data=true, enhanced support off):
// - a named struct becomes a record named after the last dotted part, namespace the rest, with the
//   property "connect.name" = the full Connect name; an unnamed one is io.confluent.connect.avro.ConnectDefault
//   (then ConnectDefault2, 3 … within one schema);
// - an optional schema becomes the union ["null", T] and its record field gets "default": null;
// - int8/int16 become "int" with "connect.type"; a struct name already defined in this schema is
//   emitted as a reference when the definition is identical, and is an error otherwise (Avro's
//   "Can't redefine").

export type ConnectPrimitive =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes';

export type ConnectSchema =
  | { type: ConnectPrimitive; optional: boolean; name?: string }
  | {
      type: 'struct';
      optional: boolean;
      name?: string;
      fields: Array<{ name: string; schema: ConnectSchema }>;
      params?: Record<string, string>;
    }
  | { type: 'array'; optional: boolean; items: ConnectSchema }
  | { type: 'map'; optional: boolean; values: ConnectSchema };

type AvroJson = string | Record<string, unknown> | AvroJson[];

const PRIMITIVE_AVRO: Record<ConnectPrimitive, string> = {
  int8: 'int',
  int16: 'int',
  int32: 'int',
  int64: 'long',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

/** Connect's Timestamp, Date and Time as AvroData writes them (a transform such as TimestampConverter makes them). */
const LOGICAL_AVRO: Record<string, string> = {
  'org.apache.kafka.connect.data.Timestamp': 'timestamp-millis',
  'org.apache.kafka.connect.data.Date': 'date',
  'org.apache.kafka.connect.data.Time': 'time-millis',
};

export function connectToAvro(schema: ConnectSchema): AvroJson {
  const defined = new Map<string, string>();
  let unnamed = 0;

  const base = (s: ConnectSchema): AvroJson => {
    switch (s.type) {
      case 'struct': {
        let fullName = s.name;
        if (fullName === undefined) {
          unnamed++;
          fullName = `io.confluent.connect.avro.ConnectDefault${unnamed > 1 ? unnamed : ''}`;
        }
        const dot = fullName.lastIndexOf('.');
        const record: Record<string, unknown> = { type: 'record', name: dot < 0 ? fullName : fullName.slice(dot + 1) };
        if (dot >= 0) record.namespace = fullName.slice(0, dot);
        const doc = s.params?.['io.confluent.connect.avro.record.doc'];
        if (doc !== undefined) record.doc = doc;
        record.fields = s.fields.map((f) => {
          const field: Record<string, unknown> = { name: f.name, type: full(f.schema) };
          const fdoc = s.params?.[`io.confluent.connect.avro.field.doc.${f.name}`];
          if (fdoc !== undefined) field.doc = fdoc;
          if (f.schema.optional) field.default = null;
          return field;
        });
        if (s.params && Object.keys(s.params).length > 0) record['connect.parameters'] = s.params;
        if (s.name !== undefined) record['connect.name'] = s.name;
        const text = JSON.stringify(record);
        const seen = defined.get(fullName);
        if (seen !== undefined) {
          if (seen === text) return fullName;
          throw new Error(`Can't redefine: ${fullName} (two different structs share this name)`);
        }
        defined.set(fullName, text);
        return record;
      }
      case 'array':
        return { type: 'array', items: full(s.items) };
      case 'map':
        return { type: 'map', values: full(s.values) };
      default: {
        const t = PRIMITIVE_AVRO[s.type];
        if (s.type === 'int8' || s.type === 'int16') return { type: t, 'connect.type': s.type };
        const logical = s.name === undefined ? undefined : LOGICAL_AVRO[s.name];
        if (logical) return { type: t, 'connect.version': 1, 'connect.name': s.name, logicalType: logical };
        return t;
      }
    }
  };
  const full = (s: ConnectSchema): AvroJson => {
    const b = base(s);
    return s.optional ? ['null', b] : b;
  };
  return full(schema);
}

/** The key struct Stream Reactor's converters emit by default: {topic: string, id: string}. */
export function msgKeySchema(converterClass: string): ConnectSchema {
  const name = converterClass.startsWith('io.lenses.')
    ? 'io.lenses.streamreactor.common.converters.MsgKey'
    : 'com.datamountaineer.streamreactor.connect.converters.MsgKey';
  return {
    type: 'struct',
    optional: false,
    name,
    fields: [
      { name: 'topic', schema: { type: 'string', optional: false } },
      { name: 'id', schema: { type: 'string', optional: false } },
    ],
  };
}

/** Java's String.valueOf for a key field value of the given Connect type. */
export function javaString(v: unknown, type: ConnectSchema['type']): string {
  if (typeof v === 'number' && (type === 'float64' || type === 'float32')) {
    if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.0`;
    const abs = Math.abs(v);
    if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
      const [m, e] = v.toExponential().split('e') as [string, string];
      return `${m.includes('.') ? m : `${m}.0`}E${Number(e)}`;
    }
    return String(v);
  }
  return String(v);
}
