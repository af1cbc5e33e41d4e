// The plugins a Seaway worker offers, as GET /connector-plugins lists them (connectors; with
// connectorsOnly=false also transformations, predicates, converters and header converters, each
// kind sorted by class as Connect's PluginDesc ordering does) and GET /connector-plugins/{class}/config
// describes them (the plugin's own ConfigDef as ConfigKeyInfo; a class may be given by its simple name).
import { MQTT_SOURCE_KEYS, PLUGIN_VERSION } from '../connector/config-def.ts';
import { MQTT_SOURCE_CLASSES } from '../connector/validate.ts';
import { type FieldDef, TRANSFORM_PLUGINS } from '../transforms/registry.ts';

export interface PluginInfo {
  class: string;
  type: 'source' | 'transformation' | 'predicate' | 'converter' | 'header_converter';
  version: string;
}

/** Connect's ConfigKeyInfo. */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  width: string;
  display_name: string;
  dependents: string[];
  order: number;
}

const CONVERTER_TYPE: FieldDef = {
  name: 'converter.type',
  type: 'STRING',
  default: undefined,
  importance: 'LOW',
  documentation: 'key, value or header: set by the worker from where the converter is used.',
};

/** The worker converters Seaway implements (converters/worker-converters.ts) and their keys. */
const CONVERTERS: Record<string, FieldDef[]> = {
  'io.confluent.connect.avro.AvroConverter': [
    {
      name: 'schema.registry.url',
      type: 'LIST',
      default: null,
      importance: 'HIGH',
      documentation:
        'Schema registry URL (default: the lab registry); as key.converter.schema.registry.url / value.converter.schema.registry.url.',
    },
  ],
  'org.apache.kafka.connect.converters.ByteArrayConverter': [CONVERTER_TYPE],
  'org.apache.kafka.connect.json.JsonConverter': [
    CONVERTER_TYPE,
    {
      name: 'schemas.enable',
      type: 'BOOLEAN',
      default: 'true',
      importance: 'HIGH',
      documentation: 'Wrap each value in {"schema", "payload"}.',
    },
  ],
  'org.apache.kafka.connect.storage.StringConverter': [
    CONVERTER_TYPE,
    { name: 'converter.encoding', type: 'STRING', default: 'UTF-8', importance: 'HIGH', documentation: 'Only UTF-8.' },
  ],
};
const HEADER_CONVERTERS: Record<string, FieldDef[]> = {
  'org.apache.kafka.connect.storage.SimpleHeaderConverter': [],
  'org.apache.kafka.connect.storage.StringConverter': CONVERTERS[
    'org.apache.kafka.connect.storage.StringConverter'
  ] as FieldDef[],
};

/** The MQTT source class a request names (full, simple or short alias), or undefined. */
export function resolveConnectorClass(cls: string): string | undefined {
  if ((MQTT_SOURCE_CLASSES as readonly string[]).includes(cls)) return cls;
  if (cls === 'MqttSourceConnector' || cls === 'MqttSource') return MQTT_SOURCE_CLASSES[0];
  return undefined;
}

export function pluginList(connectorsOnly: boolean): PluginInfo[] {
  const out: PluginInfo[] = MQTT_SOURCE_CLASSES.map((c) => ({ class: c, type: 'source', version: PLUGIN_VERSION }));
  if (connectorsOnly) return out;
  const add = (type: PluginInfo['type'], classes: string[]) => {
    for (const c of [...classes].sort()) out.push({ class: c, type, version: PLUGIN_VERSION });
  };
  add(
    'transformation',
    TRANSFORM_PLUGINS.filter((p) => p.kind === 'transformation').map((p) => p.className),
  );
  add(
    'predicate',
    TRANSFORM_PLUGINS.filter((p) => p.kind === 'predicate').map((p) => p.className),
  );
  add('converter', Object.keys(CONVERTERS));
  add('header_converter', Object.keys(HEADER_CONVERTERS));
  return out;
}

function simpleName(cls: string): string {
  return cls.slice(cls.lastIndexOf('.') + 1);
}

/** The plugin's config definition, or undefined when Seaway has no plugin of that (simple) name. */
export function pluginConfig(cls: string): ConfigKeyInfo[] | undefined {
  const connector = resolveConnectorClass(cls);
  if (connector)
    return MQTT_SOURCE_KEYS.map((d) => ({
      name: d.name,
      type: d.type,
      required: d.default === undefined,
      default_value: d.default ?? null,
      importance: d.importance,
      documentation: d.documentation,
      group: d.group,
      width: d.width ?? (d.type === 'BOOLEAN' || d.type === 'INT' ? 'SHORT' : 'MEDIUM'),
      display_name: d.displayName,
      dependents: [],
      order: d.order,
    }));
  const fields =
    TRANSFORM_PLUGINS.find((p) => p.className === cls || simpleName(p.className) === cls)?.config ??
    CONVERTERS[cls] ??
    HEADER_CONVERTERS[cls] ??
    Object.entries({ ...CONVERTERS, ...HEADER_CONVERTERS }).find(([c]) => simpleName(c) === cls)?.[1];
  return fields?.map(fieldInfo);
}

export function fieldInfo(f: FieldDef): ConfigKeyInfo {
  return {
    name: f.name,
    type: f.type,
    required: f.default === undefined,
    default_value: f.default ?? null,
    importance: f.importance,
    documentation: f.documentation,
    group: null,
    width: 'NONE',
    display_name: f.name,
    dependents: [],
    order: -1,
  };
}
