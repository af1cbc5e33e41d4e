// Field-level transforms as Kafka Connect 4.1 ships them ($Key / $Value variants): InsertField,
// ReplaceField, MaskField, ValueToKey, ExtractField, HoistField, Flatten, Cast, SetSchemaMetadata.
// With a schema they require a struct and derive the new schema once per input schema; without
// one they require a map, which the MQTT source never produces (JsonPassThrough values are strings),
// so they fail with Connect's "Only Map objects supported in absence of schema" message.
import type { ConnectPrimitive, ConnectSchema } from '../converters/connect-schema.ts';
import { javaString } from '../converters/connect-schema.ts';
import {
  DataError,
  datum,
  optional,
  requireMap,
  requireStruct,
  SchemaCache,
  type Side,
  type SmtRecord,
  type StructSchema,
  schemaKey,
  TIMESTAMP,
  view,
} from './record.ts';
import { type Cfg, ConfigError, field, keyAndValue, type PluginDef, REPLACE_NULL, type Transform } from './types.ts';

const T = 'org.apache.kafka.connect.transforms.';

function sideOf(r: SmtRecord, side: Side) {
  return side === 'key' ? r.key : r.value;
}
function setSide(r: SmtRecord, side: Side, schema: ConnectSchema | null, value: unknown): void {
  if (side === 'key') r.key = datum(schema, value);
  else r.value = datum(schema, value);
}

/**
 * Apply a struct -> struct change: `schemaOf` derives the output schema (cached per input schema),
 * `valueFor` the output value. A null value passes unchanged (a tombstone stays a tombstone).
 */
function structTransform(
  side: Side,
  purpose: string,
  schemaOf: (s: StructSchema) => ConnectSchema,
  valueFor: (v: Record<string, unknown>, out: ConnectSchema, r: SmtRecord) => unknown,
  schemaless?: (v: Record<string, unknown>, r: SmtRecord) => unknown,
): Transform {
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (v.value === null) return r;
      if (v.schema === null) {
        const m = requireMap(v.value, purpose);
        if (!schemaless) throw new DataError(`Schema required for [${purpose}]`);
        setSide(r, side, null, schemaless(m, r));
        return r;
      }
      const s = requireStruct(v.schema, purpose);
      const out = cache.get(schemaKey(d), () => schemaOf(s));
      setSide(r, side, out, valueFor(v.value as Record<string, unknown>, out, r));
      return r;
    },
  };
}

// ---- InsertField ----

interface InsertSpec {
  name: string;
  optional: boolean;
}
function insertSpec(raw: string | null): InsertSpec | null {
  if (raw === null || raw === '') return null;
  if (raw.endsWith('!')) return { name: raw.slice(0, -1), optional: false };
  if (raw.endsWith('?')) return { name: raw.slice(0, -1), optional: true };
  return { name: raw, optional: true };
}

function insertField(side: Side, cfg: Cfg): Transform {
  const topic = insertSpec(cfg.get('topic.field'));
  const partition = insertSpec(cfg.get('partition.field'));
  const offset = insertSpec(cfg.get('offset.field'));
  const ts = insertSpec(cfg.get('timestamp.field'));
  const st = insertSpec(cfg.get('static.field'));
  const staticValue = cfg.get('static.value');
  const adds: Array<{ spec: InsertSpec; schema: ConnectSchema }> = [];
  if (topic) adds.push({ spec: topic, schema: { type: 'string', optional: topic.optional } });
  if (partition) adds.push({ spec: partition, schema: { type: 'int32', optional: partition.optional } });
  if (ts) adds.push({ spec: ts, schema: { type: 'int64', optional: ts.optional, name: TIMESTAMP } });
  if (st) adds.push({ spec: st, schema: { type: 'string', optional: st.optional } });
  const values = (r: SmtRecord): Record<string, unknown> => {
    if (offset) throw new DataError('Only SinkRecord supported for [field insertion], found: SourceRecord');
    const o: Record<string, unknown> = {};
    if (topic) o[topic.name] = r.topic;
    if (partition) {
      if (!partition.optional) throw new DataError(`${partition.name} is required but the record has no partition yet`);
      o[partition.name] = null;
    }
    // A Connect Timestamp is written as an Avro long with a logicalType, which avsc types as a JS number.
    if (ts) o[ts.name] = r.timestamp ?? null;
    if (st) o[st.name] = staticValue;
    return o;
  };
  return structTransform(
    side,
    'field insertion',
    (s) => {
      for (const a of adds)
        if (s.fields.some((f) => f.name === a.spec.name))
          throw new DataError(`Cannot create field because of field name duplication ${a.spec.name}`);
      return { ...s, fields: [...s.fields, ...adds.map((a) => ({ name: a.spec.name, schema: a.schema }))] };
    },
    (v, _out, r) => ({ ...v, ...values(r) }),
    (m, r) => ({ ...m, ...values(r) }),
  );
}

// ---- ReplaceField ----

function replaceField(side: Side, cfg: Cfg): Transform {
  const exclude = new Set(cfg.list('exclude'));
  const include = new Set(cfg.list('include'));
  const renames = new Map<string, string>();
  for (const r of cfg.list('renames')) {
    const parts = r.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new ConfigError(
        'renames',
        `Invalid value [${cfg.list('renames').join(', ')}] for configuration renames: Invalid rename mapping: ${r}`,
      );
    renames.set(parts[0], parts[1]);
  }
  const keep = (n: string) => !exclude.has(n) && (include.size === 0 || include.has(n));
  const rename = (n: string) => renames.get(n) ?? n;
  const mapValue = (v: Record<string, unknown>) => {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (keep(k)) o[rename(k)] = v[k];
    return o;
  };
  return structTransform(
    side,
    'field replacement',
    (s) => ({
      ...s,
      fields: s.fields.filter((f) => keep(f.name)).map((f) => ({ name: rename(f.name), schema: f.schema })),
    }),
    (v, out) => {
      const o: Record<string, unknown> = {};
      const fields = (out as StructSchema).fields;
      let i = 0;
      for (const k of Object.keys(v)) if (keep(k)) o[(fields[i++] as { name: string }).name] = v[k];
      return o;
    },
    mapValue,
  );
}

// ---- MaskField ----

function maskField(side: Side, cfg: Cfg): Transform {
  const fields = cfg.list('fields');
  if (fields.length === 0) throw new ConfigError('fields', 'Invalid value null for configuration fields: Empty list');
  const replacement = cfg.get('replacement');
  const mask = (schema: ConnectSchema | null, v: unknown): unknown => {
    if (v === null || v === undefined) return v;
    const t =
      schema?.type ??
      (typeof v === 'string'
        ? 'string'
        : typeof v === 'number'
          ? 'float64'
          : typeof v === 'boolean'
            ? 'boolean'
            : 'other');
    switch (t) {
      case 'string':
        return replacement ?? '';
      case 'int8':
      case 'int16':
      case 'int32':
        return replacement !== null ? Math.trunc(Number(replacement)) : 0;
      case 'int64':
        return replacement !== null ? BigInt(Math.trunc(Number(replacement))) : 0n;
      case 'float32':
      case 'float64':
        return replacement !== null ? Number(replacement) : 0;
      case 'boolean':
        if (replacement !== null) throw new DataError('Cannot mask value of type BOOLEAN with custom replacement.');
        return false;
      case 'bytes':
        return Buffer.alloc(0);
      case 'array':
        return [];
      case 'map':
        return {};
      default:
        throw new DataError(`Cannot mask value of type ${t}`);
    }
  };
  return structTransform(
    side,
    'masking fields',
    (s) => s,
    (v, out) => {
      const o = { ...v };
      for (const f of fields) {
        const fs = (out as StructSchema).fields.find((x) => x.name === f);
        if (fs) o[f] = mask(fs.schema, v[f]);
      }
      return o;
    },
    (m) => {
      const o = { ...m };
      for (const f of fields) if (f in o) o[f] = mask(null, o[f]);
      return o;
    },
  );
}

// ---- ValueToKey ----

function valueToKey(cfg: Cfg): Transform {
  const fields = cfg.list('fields');
  if (fields.length === 0) throw new ConfigError('fields', 'Invalid value null for configuration fields: Empty list');
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const v = view(r.value);
      if (v.schema === null) {
        const m = requireMap(v.value, 'copying fields from value to key');
        const k: Record<string, unknown> = {};
        for (const f of fields) k[f] = m[f];
        r.key = datum(null, k);
        return r;
      }
      const s = requireStruct(v.schema, 'copying fields from value to key');
      const ks = cache.get(schemaKey(r.value), () => ({
        type: 'struct',
        optional: false,
        fields: fields.map((f) => {
          const fs = s.fields.find((x) => x.name === f);
          if (!fs) throw new DataError(`Field does not exist: ${f}`);
          return { name: f, schema: fs.schema };
        }),
      }));
      const val = (v.value ?? {}) as Record<string, unknown>;
      const k: Record<string, unknown> = {};
      for (const f of fields) k[f] = val[f] ?? null;
      r.key = datum(ks, k);
      return r;
    },
  };
}

// ---- ExtractField / HoistField ----

function extractField(side: Side, cfg: Cfg): Transform {
  const name = cfg.get('field') as string;
  const v2 = cfg.get('field.syntax.version') === 'V2';
  const path = v2 ? name.split('.') : [name];
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (v.schema === null) {
        if (v.value === null) return r;
        let cur: unknown = requireMap(v.value, 'field extraction');
        for (const p of path) cur = cur === null || cur === undefined ? null : (cur as Record<string, unknown>)[p];
        setSide(r, side, null, cur ?? null);
        return r;
      }
      let s: ConnectSchema = requireStruct(v.schema, 'field extraction');
      let cur: unknown = v.value;
      for (const p of path) {
        const st = requireStruct(s, 'field extraction');
        const f = st.fields.find((x) => x.name === p);
        if (!f) throw new DataError(`Unknown field: ${name}`);
        s = f.schema;
        cur = cur === null || cur === undefined ? null : (cur as Record<string, unknown>)[p];
      }
      setSide(r, side, s, cur ?? null);
      return r;
    },
  };
}

function hoistField(side: Side, cfg: Cfg): Transform {
  const name = cfg.get('field') as string;
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (v.schema === null) {
        setSide(r, side, null, { [name]: v.value });
        return r;
      }
      const inner = v.schema;
      const s = cache.get(schemaKey(d), () => ({ type: 'struct', optional: false, fields: [{ name, schema: inner }] }));
      setSide(r, side, s, { [name]: v.value });
      return r;
    },
  };
}

// ---- Flatten ----

function flatten(side: Side, cfg: Cfg): Transform {
  const delim = cfg.get('delimiter') ?? '.';
  const flatSchema = (
    s: StructSchema,
    prefix: string,
    opt: boolean,
    out: Array<{ name: string; schema: ConnectSchema }>,
  ) => {
    for (const f of s.fields) {
      const n = prefix ? `${prefix}${delim}${f.name}` : f.name;
      if (f.schema.type === 'struct') flatSchema(f.schema, n, opt || f.schema.optional, out);
      else out.push({ name: n, schema: opt ? optional(f.schema) : f.schema });
    }
    return out;
  };
  const flatValue = (
    v: Record<string, unknown> | null,
    s: StructSchema | null,
    prefix: string,
    out: Record<string, unknown>,
  ) => {
    const names = s ? s.fields.map((f) => f.name) : Object.keys(v ?? {});
    for (const name of names) {
      const n = prefix ? `${prefix}${delim}${name}` : name;
      const fv = v ? v[name] : null;
      const fs = s?.fields.find((f) => f.name === name)?.schema;
      if (
        fs ? fs.type === 'struct' : fv !== null && typeof fv === 'object' && !Array.isArray(fv) && !Buffer.isBuffer(fv)
      )
        flatValue((fv ?? null) as Record<string, unknown> | null, (fs as StructSchema) ?? null, n, out);
      else out[n] = fv ?? null;
    }
    return out;
  };
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (v.value === null) return r;
      if (v.schema === null) {
        setSide(r, side, null, flatValue(requireMap(v.value, 'flattening'), null, '', {}));
        return r;
      }
      const s = requireStruct(v.schema, 'flattening');
      const out = cache.get(schemaKey(d), () => ({ ...s, fields: flatSchema(s, '', false, []) }));
      setSide(r, side, out, flatValue(v.value as Record<string, unknown>, s, '', {}));
      return r;
    },
  };
}

// ---- Cast ----

const CAST_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];

function castValue(v: unknown, from: ConnectSchema['type'] | null, to: string): unknown {
  if (v === null || v === undefined) return null;
  const num = (): number => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return Number(v);
    const n = Number(v);
    if (Number.isNaN(n)) throw new DataError(`Value ${String(v)} cannot be cast to ${to}`);
    return n;
  };
  switch (to) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const bits = to === 'int8' ? 8 : to === 'int16' ? 16 : 32;
      const n = Math.trunc(num());
      return bits === 32 ? n | 0 : (n << (32 - bits)) >> (32 - bits);
    }
    case 'int64':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(num()));
    case 'float32':
      return Math.fround(num());
    case 'float64':
      return num();
    case 'boolean':
      if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
      return num() !== 0;
    default:
      return from && (from === 'float32' || from === 'float64')
        ? javaString(v, from)
        : typeof v === 'bigint'
          ? v.toString()
          : String(v);
  }
}

function cast(side: Side, cfg: Cfg): Transform {
  const spec = cfg.list('spec');
  if (spec.length === 0)
    throw new ConfigError(
      'spec',
      'Invalid value null for configuration spec: Must specify at least one field to cast.',
    );
  const casts = new Map<string, string>();
  let whole: string | null = null;
  for (const item of spec) {
    const parts = item.split(':');
    const type = (parts.length === 1 ? parts[0] : parts[1])?.trim() ?? '';
    if (!CAST_TYPES.includes(type.toLowerCase()))
      throw new ConfigError(
        'spec',
        `Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${type.toUpperCase()} for configuration Invalid type found in casting spec: ${type}`,
      );
    if (parts.length === 1) {
      if (spec.length > 1)
        throw new ConfigError(
          'spec',
          `Invalid value ${spec.join(',')} for configuration spec: Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec`,
        );
      whole = type.toLowerCase();
    } else casts.set((parts[0] as string).trim(), type.toLowerCase());
  }
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (whole !== null) {
        if (v.schema === null) {
          setSide(r, side, null, castValue(v.value, null, whole));
          return r;
        }
        const s0 = v.schema;
        if (s0.type === 'struct' || s0.type === 'array' || s0.type === 'map')
          throw new DataError(`Cast transformation does not support casting from ${s0.type}`);
        const to = whole;
        const s = cache.get(schemaKey(d), () => ({ type: to as ConnectPrimitive, optional: s0.optional }));
        setSide(r, side, s, castValue(v.value, s0.type, to));
        return r;
      }
      if (v.value === null) return r;
      if (v.schema === null) {
        const m = { ...requireMap(v.value, 'cast types') };
        for (const [f, to] of casts) if (f in m) m[f] = castValue(m[f], null, to);
        setSide(r, side, null, m);
        return r;
      }
      const s = requireStruct(v.schema, 'cast types');
      const out = cache.get(schemaKey(d), () => ({
        ...s,
        fields: s.fields.map((f) => {
          const to = casts.get(f.name);
          return to ? { name: f.name, schema: { type: to as ConnectPrimitive, optional: f.schema.optional } } : f;
        }),
      }));
      const val = { ...(v.value as Record<string, unknown>) };
      for (const f of s.fields) {
        const to = casts.get(f.name);
        if (to) val[f.name] = castValue(val[f.name], f.schema.type, to);
      }
      setSide(r, side, out, val);
      return r;
    },
  };
}

// ---- SetSchemaMetadata ----

function setSchemaMetadata(side: Side, cfg: Cfg): Transform {
  const name = cfg.get('schema.name');
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = sideOf(r, side);
      const v = view(d);
      if (v.schema === null) throw new DataError('Schema required for [updating schema metadata]');
      const s0 = v.schema;
      const s = cache.get(schemaKey(d), () => (name === null ? s0 : ({ ...s0, name } as ConnectSchema)));
      setSide(r, side, s, v.value);
      return r;
    },
  };
}

export const FIELD_TRANSFORMS: PluginDef[] = [
  ...keyAndValue(
    `${T}InsertField`,
    [
      field(
        'topic.field',
        'STRING',
        null,
        'MEDIUM',
        'Field name for the Kafka topic. Suffix with ! to make it required, ? (default) optional.',
      ),
      field(
        'partition.field',
        'STRING',
        null,
        'MEDIUM',
        'Field name for the Kafka partition (null on source records before they are written).',
      ),
      field('offset.field', 'STRING', null, 'MEDIUM', 'Field name for the Kafka offset: sink records only.'),
      field('timestamp.field', 'STRING', null, 'MEDIUM', 'Field name for the record timestamp (Connect Timestamp).'),
      field('static.field', 'STRING', null, 'MEDIUM', 'Field name for a static data field.'),
      field('static.value', 'STRING', null, 'MEDIUM', 'Static field value, when static.field is set.'),
      REPLACE_NULL,
    ],
    insertField,
  ),
  ...keyAndValue(
    `${T}ReplaceField`,
    [
      field('exclude', 'LIST', '', 'MEDIUM', 'Fields to drop; takes precedence over include.'),
      field('include', 'LIST', '', 'MEDIUM', 'Fields to keep; empty keeps all.'),
      field('renames', 'LIST', '', 'MEDIUM', 'Renames as old:new pairs.'),
      REPLACE_NULL,
    ],
    replaceField,
  ),
  ...keyAndValue(
    `${T}MaskField`,
    [
      field('fields', 'LIST', undefined, 'HIGH', 'Fields to mask with their type\'s empty value (0, false, "").'),
      field('replacement', 'STRING', null, 'LOW', 'Custom replacement for string and numeric fields.'),
      REPLACE_NULL,
    ],
    maskField,
  ),
  {
    className: `${T}ValueToKey`,
    kind: 'transformation',
    config: [
      field('fields', 'LIST', undefined, 'HIGH', 'Value fields copied into a struct that becomes the key.'),
      REPLACE_NULL,
    ],
    create: valueToKey,
  },
  ...keyAndValue(
    `${T}ExtractField`,
    [
      field('field', 'STRING', undefined, 'MEDIUM', 'Field to extract (a dotted path with field.syntax.version=V2).'),
      field('field.syntax.version', 'STRING', 'V1', 'HIGH', 'V1: names as given; V2: dots separate nested fields.', [
        'V1',
        'V2',
      ]),
      REPLACE_NULL,
    ],
    extractField,
  ),
  ...keyAndValue(
    `${T}HoistField`,
    [field('field', 'STRING', undefined, 'MEDIUM', 'Name of the single field of the struct that wraps the data.')],
    hoistField,
  ),
  ...keyAndValue(
    `${T}Flatten`,
    [field('delimiter', 'STRING', '.', 'MEDIUM', 'Delimiter between the names of nested fields.')],
    flatten,
  ),
  ...keyAndValue(
    `${T}Cast`,
    [
      field(
        'spec',
        'LIST',
        undefined,
        'HIGH',
        'field:type pairs, or one type to cast the whole value; types int8, int16, int32, int64, float32, float64, boolean, string.',
      ),
      REPLACE_NULL,
    ],
    cast,
  ),
  ...keyAndValue(
    `${T}SetSchemaMetadata`,
    [
      field('schema.name', 'STRING', null, 'HIGH', 'Schema name to set (the Avro record name and namespace).'),
      field('schema.version', 'INT', null, 'HIGH', 'Schema version to set (accepted; not written to Avro by Seaway).'),
      REPLACE_NULL,
    ],
    setSchemaMetadata,
  ),
];
