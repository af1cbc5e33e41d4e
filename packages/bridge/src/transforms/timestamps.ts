// TimestampConverter ($Key / $Value) as Kafka Connect ships it: a whole key/value or one field
// converted between string (SimpleDateFormat pattern, UTC), unix (int64 in unix.precision), and
// Connect's Date (int32 days), Time (int32 ms of the day) and Timestamp (int64 ms) logical types.
import type { ConnectSchema } from '../converters/connect-schema.ts';
import { checkPattern, formatDate, parseDate } from './date-format.ts';
import {
  DATE,
  DataError,
  datum,
  requireMap,
  requireStruct,
  SchemaCache,
  schemaKey,
  TIME,
  TIMESTAMP,
  view,
} from './record.ts';
import { type Cfg, ConfigError, field, keyAndValue, type PluginDef, REPLACE_NULL, type Transform } from './types.ts';

const TARGETS = ['string', 'unix', 'Date', 'Time', 'Timestamp'];
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'];
const DAY = 86_400_000;

function targetSchema(target: string, opt: boolean): ConnectSchema {
  switch (target) {
    case 'string':
      return { type: 'string', optional: opt };
    case 'unix':
      return { type: 'int64', optional: opt };
    case 'Date':
      return { type: 'int32', optional: opt, name: DATE };
    case 'Time':
      return { type: 'int32', optional: opt, name: TIME };
    default:
      return { type: 'int64', optional: opt, name: TIMESTAMP };
  }
}

function timestampConverter(side: 'key' | 'value', cfg: Cfg): Transform {
  const fieldName = cfg.get('field') ?? '';
  const target = cfg.get('target.type') as string;
  const format = cfg.get('format') ?? '';
  const precision = cfg.get('unix.precision') ?? 'milliseconds';
  if (format !== '') {
    try {
      checkPattern(format);
    } catch (e) {
      throw new ConfigError(
        'format',
        `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${format} (${(e as Error).message})`,
      );
    }
  }
  if (target === 'string' && format === '')
    throw new ConfigError(
      'format',
      'TimestampConverter requires format option to be specified when using string timestamps',
    );
  const scale = { nanoseconds: 1e-6, microseconds: 1e-3, milliseconds: 1, seconds: 1000 }[precision] ?? 1;

  const toMs = (v: unknown, s: ConnectSchema | null): number => {
    if (typeof v === 'string') {
      if (format === '')
        throw new DataError('TimestampConverter requires format option to be specified when using string timestamps');
      try {
        return parseDate(v, format);
      } catch (e) {
        throw new DataError(
          `Could not parse timestamp: value (${v}) does not match pattern (${format}): ${(e as Error).message}`,
        );
      }
    }
    const n = Number(v);
    const logical = s && 'name' in s ? s.name : undefined;
    if (logical === DATE) return n * DAY;
    if (logical === TIME || logical === TIMESTAMP) return n;
    if (v instanceof Date) return v.getTime();
    if (typeof v === 'number' || typeof v === 'bigint') return Math.floor(n * scale);
    throw new DataError(`Expected a timestamp, found ${typeof v}`);
  };
  const fromMs = (ms: number): unknown => {
    switch (target) {
      case 'string':
        return formatDate(ms, format);
      case 'unix':
        return BigInt(Math.floor(ms / scale));
      case 'Date':
        return Math.floor(ms / DAY);
      case 'Time':
        return ((ms % DAY) + DAY) % DAY;
      default:
        return ms; // Timestamp: an Avro long with a logicalType, a JS number for avsc
    }
  };
  const convert = (v: unknown, s: ConnectSchema | null) => (v === null || v === undefined ? null : fromMs(toMs(v, s)));
  const cache = new SchemaCache<ConnectSchema>();

  return {
    apply(r) {
      const d = side === 'key' ? r.key : r.value;
      const v = view(d);
      let schema: ConnectSchema | null;
      let value: unknown;
      if (fieldName === '') {
        schema =
          v.schema === null
            ? null
            : cache.get(schemaKey(d), () => targetSchema(target, (v.schema as ConnectSchema).optional));
        value = convert(v.value, v.schema);
      } else if (v.schema === null) {
        if (v.value === null) return r;
        const m = { ...requireMap(v.value, 'converting timestamp formats') };
        m[fieldName] = convert(m[fieldName], null);
        schema = null;
        value = m;
      } else {
        if (v.value === null) return r;
        const s = requireStruct(v.schema, 'converting timestamp formats');
        const fs = s.fields.find((f) => f.name === fieldName);
        if (!fs) throw new DataError(`Unknown field: ${fieldName}`);
        schema = cache.get(schemaKey(d), () => ({
          ...s,
          fields: s.fields.map((f) =>
            f.name === fieldName ? { name: f.name, schema: targetSchema(target, f.schema.optional) } : f,
          ),
        }));
        const m = { ...(v.value as Record<string, unknown>) };
        m[fieldName] = convert(m[fieldName], fs.schema);
        value = m;
      }
      const next = datum(schema, value);
      if (side === 'key') r.key = next;
      else r.value = next;
      return r;
    },
  };
}

export const TIMESTAMP_TRANSFORMS: PluginDef[] = keyAndValue(
  'org.apache.kafka.connect.transforms.TimestampConverter',
  [
    field('field', 'STRING', '', 'HIGH', 'The field holding the timestamp; empty = the whole key or value.'),
    field('target.type', 'STRING', undefined, 'HIGH', 'string, unix, Date, Time or Timestamp.', TARGETS),
    field('format', 'STRING', '', 'MEDIUM', 'SimpleDateFormat pattern for string input or output (UTC).'),
    field(
      'unix.precision',
      'STRING',
      'milliseconds',
      'LOW',
      'Unit of unix timestamps: nanoseconds, microseconds, milliseconds, seconds.',
      PRECISIONS,
    ),
    field('field.syntax.version', 'STRING', 'V1', 'HIGH', 'V1 or V2 field syntax.', ['V1', 'V2']),
    REPLACE_NULL,
  ],
  timestampConverter,
);
