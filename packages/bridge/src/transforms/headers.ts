// Header transforms as Kafka Connect ships them: InsertHeader (a literal), DropHeaders, HeaderFrom
// ($Key / $Value: copy or move fields into headers). Seaway's headers are strings: a field value
// becomes its text (structs and maps as JSON, bytes as base64).
import type { ConnectSchema } from '../converters/connect-schema.ts';
import { asText, datum, requireMap, requireStruct, SchemaCache, schemaKey, view } from './record.ts';
import { type Cfg, ConfigError, field, keyAndValue, type PluginDef, REPLACE_NULL, type Transform } from './types.ts';

const T = 'org.apache.kafka.connect.transforms.';

function insertHeader(cfg: Cfg): Transform {
  const name = cfg.get('header') as string;
  const value = cfg.get('value.literal') as string;
  return {
    apply(r) {
      r.headers[name] = value;
      return r;
    },
  };
}

function dropHeaders(cfg: Cfg): Transform {
  const names = cfg.list('headers');
  if (names.length === 0) throw new ConfigError('headers', 'Invalid value [] for configuration headers: Empty list');
  return {
    apply(r) {
      for (const n of names) delete r.headers[n];
      return r;
    },
  };
}

function headerFrom(side: 'key' | 'value', cfg: Cfg): Transform {
  const fields = cfg.list('fields');
  const headers = cfg.list('headers');
  if (fields.length !== headers.length)
    throw new ConfigError('fields', "'fields' config must have the same number of elements as 'headers' config.");
  const move = cfg.get('operation') === 'move';
  const cache = new SchemaCache<ConnectSchema>();
  return {
    apply(r) {
      const d = side === 'key' ? r.key : r.value;
      const v = view(d);
      if (v.value === null) return r;
      if (v.schema === null) {
        const m = requireMap(v.value, 'header ' + (move ? 'move' : 'copy'));
        fields.forEach((f, i) => {
          r.headers[headers[i] as string] = asText(m[f]);
        });
        return r;
      }
      const s = requireStruct(v.schema, 'header ' + (move ? 'move' : 'copy'));
      const val = v.value as Record<string, unknown>;
      fields.forEach((f, i) => {
        r.headers[headers[i] as string] = asText(val[f]);
      });
      if (move) {
        const out = cache.get(schemaKey(d), () => ({ ...s, fields: s.fields.filter((x) => !fields.includes(x.name)) }));
        const o: Record<string, unknown> = {};
        for (const k of Object.keys(val)) if (!fields.includes(k)) o[k] = val[k];
        const next = datum(out, o);
        if (side === 'key') r.key = next;
        else r.value = next;
      }
      return r;
    },
  };
}

export const HEADER_TRANSFORMS: PluginDef[] = [
  {
    className: `${T}InsertHeader`,
    kind: 'transformation',
    config: [
      field('header', 'STRING', undefined, 'MEDIUM', 'Name of the header to add.'),
      field('value.literal', 'STRING', undefined, 'MEDIUM', 'Value of the header.'),
    ],
    create: insertHeader,
  },
  {
    className: `${T}DropHeaders`,
    kind: 'transformation',
    config: [field('headers', 'LIST', undefined, 'HIGH', 'Names of the headers to remove.')],
    create: dropHeaders,
  },
  ...keyAndValue(
    `${T}HeaderFrom`,
    [
      field('fields', 'LIST', undefined, 'MEDIUM', 'Fields whose values become headers.'),
      field('headers', 'LIST', undefined, 'MEDIUM', 'Header names, in the order of fields.'),
      field('operation', 'STRING', undefined, 'MEDIUM', 'move or copy.', ['move', 'copy']),
      REPLACE_NULL,
    ],
    headerFrom,
  ),
];
