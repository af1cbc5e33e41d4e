// Validation of an MQTT source connector config into (a) Kafka Connect's ConfigInfos shape, with
// per-key errors worded like Kafka's ConfigDef and Stream Reactor's ConfigExceptions, and (b) when it
// is valid, the resolved settings the tasks run with. Reading files (Avro schemas, SSL files) happens
// here so a bad path is a validation error on the key that named it, not a task failure later.
import { existsSync, readFileSync } from 'node:fs';
import { type ConverterKind, converterKind, DEFAULT_CONVERTER } from '../converters/classes.ts';
import {
  WORKER_CONVERTER_CLASSES,
  type WorkerConverter,
  workerConverterKind,
} from '../converters/worker-converters.ts';
import { isBridgeError } from '../errors.ts';
import { type KcqlStatement, parseKcql } from '../kcql/parse.ts';
import { validateTransforms } from '../transforms/chain.ts';
import {
  ALL_KEYS,
  COMMON_KEYS,
  type ConfigKeyDef,
  KEY_BY_NAME,
  MQTT_SOURCE_KEYS,
  PLUGIN_VERSION,
} from './config-def.ts';

const FRAMEWORK_GROUPS = [...new Set(COMMON_KEYS.map((d) => d.group))];
const CONNECTOR_GROUPS = [...new Set(MQTT_SOURCE_KEYS.map((d) => d.group))].filter(
  (g) => !FRAMEWORK_GROUPS.includes(g),
);

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: Array<{
    definition: {
      name: string;
      type: string;
      required: boolean;
      default_value: string | null;
      importance: string;
      documentation: string;
      group: string;
      width: string;
      display_name: string;
      dependents: string[];
      order: number;
    };
    value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
  }>;
}

export interface MqttSourceSettings {
  name: string;
  connectorClass: string;
  tasksMax: number;
  hosts: string[];
  kcqlText: string;
  kcql: KcqlStatement[];
  qos: 0 | 1 | 2;
  username: string | undefined;
  password: string | undefined;
  clientId: string | undefined;
  clean: boolean;
  connectTimeoutSec: number;
  keepAliveSec: number;
  ssl: { ca: string; cert: string; key: string } | undefined;
  /** KCQL source -> converter class (WITHCONVERTER, else connect.mqtt.source.converters, else Bytes). */
  converters: Map<string, string>;
  /** KCQL source (lower-cased, as Stream Reactor keys it) -> parsed Avro schema JSON. */
  avroSchemas: Map<string, unknown>;
  throwOnError: boolean;
  pollingTimeoutMs: number;
  shareReplicate: boolean;
  logMessage: boolean;
  processDuplicates: boolean;
  progressEnabled: boolean;
  dlqTopic: string;
  keyConverter: WorkerConverter;
  valueConverter: WorkerConverter;
  /** key.converter.schema.registry.url / value.converter.schema.registry.url, when set. */
  registryUrl: string | undefined;
  /** errors.tolerance: what a transform failure does (fail the task, or skip the record). */
  errorsTolerance: 'none' | 'all';
  errorsLogEnable: boolean;
  errorsLogIncludeMessages: boolean;
  /** errors.deadletterqueue.topic.name was set explicitly (tolerated transform failures go there). */
  dlqTopicSet: boolean;
  /** errors.deadletterqueue.context.headers.enable (default true). */
  dlqContextHeaders: boolean;
}

export const MQTT_SOURCE_CLASSES = [
  'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
  'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
] as const;

export function isMqttSourceClass(cls: string | undefined): boolean {
  return (
    (cls !== undefined && (MQTT_SOURCE_CLASSES as readonly string[]).includes(cls)) || cls === 'MqttSourceConnector'
  );
}

type Raw = Record<string, string | null | undefined>;

export interface ValidationResult {
  infos: ConfigInfos;
  /** Every error as "key: message" lines, for the 400 message of POST/PUT. */
  errors: Array<{ key: string; message: string }>;
  settings: MqttSourceSettings | undefined;
}

export function validateMqttSourceConfig(raw: Raw, className: string = MQTT_SOURCE_CLASSES[0]): ValidationResult {
  const errs = new Map<string, string[]>();
  const err = (key: string, message: string) => {
    const list = errs.get(key) ?? [];
    list.push(message);
    errs.set(key, list);
  };
  const given = (key: string): string | undefined => {
    const v = raw[key];
    return v === undefined || v === null ? undefined : String(v);
  };
  /** The effective raw value of a setting: the current key, else its alias, else the default. */
  const pick = (key: string): { key: string; value: string | null | undefined } => {
    const def = KEY_BY_NAME.get(key) as ConfigKeyDef;
    if (given(key) !== undefined) return { key, value: given(key) };
    for (const d of ALL_KEYS)
      if (d.aliasOf === key && given(d.name) !== undefined) return { key: d.name, value: given(d.name) };
    return { key, value: def.default };
  };
  const str = (key: string): string | undefined => {
    const { value } = pick(key);
    return value === null || value === undefined || value === '' ? undefined : value;
  };
  const int = (key: string): number => {
    const { key: used, value } = pick(key);
    const def = KEY_BY_NAME.get(key) as ConfigKeyDef;
    if (value === undefined || value === null) return Number.NaN;
    const n = Number(value.trim());
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) {
      err(used, `Invalid value ${value} for configuration ${used}: Not a number of type INT`);
      return Number.NaN;
    }
    if (def.min !== undefined && n < def.min)
      err(used, `Invalid value ${n} for configuration ${used}: Value must be at least ${def.min}`);
    if (def.max !== undefined && n > def.max)
      err(used, `Invalid value ${n} for configuration ${used}: Value must be no more than ${def.max}`);
    return n;
  };
  const bool = (key: string): boolean => {
    const { key: used, value } = pick(key);
    const v = (value ?? '').trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    err(used, `Invalid value ${value} for configuration ${used}: Expected value to be either true or false`);
    return false;
  };

  // Required keys (an alias counts).
  for (const def of ALL_KEYS) {
    if (def.default !== undefined || def.aliasOf) continue;
    const hasAlias = ALL_KEYS.some((a) => a.aliasOf === def.name && given(a.name) !== undefined);
    if (given(def.name) === undefined && !hasAlias) {
      err(def.name, `Missing required configuration "${def.name}" which has no default value.`);
    }
  }
  const connectorClass = given('connector.class') ?? className;
  if (given('connector.class') !== undefined && !isMqttSourceClass(connectorClass)) {
    err(
      'connector.class',
      `Invalid value ${connectorClass} for configuration connector.class: expected one of ${MQTT_SOURCE_CLASSES.join(', ')}`,
    );
  }

  const tasksMax = int('tasks.max');
  const hostsRaw = str('connect.mqtt.hosts');
  const hosts = (hostsRaw ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  if (hostsRaw !== undefined) {
    for (const h of hosts) {
      if (!/^(tcp|ssl|mqtt|mqtts|ws|wss|tls):\/\/[^/\s:]+(:\d+)?\/?$/.test(h)) {
        err(
          'connect.mqtt.hosts',
          `Invalid value ${h} for configuration connect.mqtt.hosts: expected tcp://host:port (or ssl://, ws://, wss://)`,
        );
      }
    }
    if (hosts.length === 0) err('connect.mqtt.hosts', 'connect.mqtt.hosts is not provided!');
  }
  const qos = int('connect.mqtt.service.quality');

  // KCQL
  const kcqlPick = pick('connect.mqtt.kcql');
  let kcql: KcqlStatement[] = [];
  if (kcqlPick.value !== undefined && kcqlPick.value !== null) {
    try {
      kcql = parseKcql(kcqlPick.value);
    } catch (e) {
      if (isBridgeError(e)) err(kcqlPick.key, e.message);
      else throw e;
    }
  }
  const sources = new Set(kcql.map((s) => s.source));

  // Converters: WITHCONVERTER, else the 2017 connect.mqtt.source.converters map, else Bytes.
  const converters = new Map<string, string>();
  const legacy = str('connect.mqtt.source.converters');
  if (legacy !== undefined) {
    for (const entry of legacy
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e)) {
      const eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        err(
          'connect.mqtt.source.converters',
          `Invalid connect.mqtt.source.converters. '${entry}' is not correct. Expecting source = className`,
        );
        continue;
      }
      const src = entry.slice(0, eq).trim();
      const cls = entry.slice(eq + 1).trim();
      if (kcql.length > 0 && !sources.has(src)) {
        err(
          'connect.mqtt.source.converters',
          `Invalid connect.mqtt.source.converters. Source '${src}' is not found in ${kcqlPick.key}. Defined sources:${[...sources].join(',')}`,
        );
      }
      if (!converterKind(cls))
        err('connect.mqtt.source.converters', `Invalid connect.mqtt.source.converters.${cls} can't be found`);
      converters.set(src, cls);
    }
  }
  for (const s of kcql) {
    if (s.converter !== undefined) {
      if (!converterKind(s.converter))
        err(kcqlPick.key, `Invalid ${kcqlPick.key}. ${s.converter} can't be found for ${s.source}`);
      converters.set(s.source, s.converter);
    } else if (!converters.has(s.source)) converters.set(s.source, DEFAULT_CONVERTER);
  }

  // Avro schema files: source=path;source=path
  const avroPick = pick('connect.converter.avro.schemas');
  const avroSchemas = new Map<string, unknown>();
  if (avroPick.value) {
    for (const entry of avroPick.value
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e)) {
      const parts = entry.split('=');
      if (parts.length !== 2) {
        err(avroPick.key, `[${avroPick.key}] is not properly set. The format is Mqtt_Source=AVRO_FILE`);
        continue;
      }
      const src = (parts[0] as string).trim().toLowerCase();
      const path = (parts[1] as string).trim();
      if (!src) {
        err(avroPick.key, `Invalid [${avroPick.key}]. The topic is not valid for entry containing [${path}]`);
        continue;
      }
      if (!existsSync(path)) {
        err(avroPick.key, `Invalid [${avroPick.key}]. The file [${path}] doesn't exist!`);
        continue;
      }
      try {
        avroSchemas.set(src, JSON.parse(readFileSync(path, 'utf8')));
      } catch (e) {
        err(
          avroPick.key,
          `Invalid [${avroPick.key}]. The file [${path}] is not an Avro schema: ${(e as Error).message}`,
        );
      }
    }
  }
  for (const [src, cls] of converters) {
    if (converterKind(cls) === ('avro' satisfies ConverterKind) && !avroSchemas.has(src.toLowerCase())) {
      err(avroPick.key, `Invalid [${avroPick.key}] is not configured for [${src}] (needed by ${cls})`);
    }
  }

  // SSL: all three or none; files must exist.
  const ca = pick('connect.mqtt.ssl.ca.cert');
  const cert = pick('connect.mqtt.ssl.cert');
  const key = pick('connect.mqtt.ssl.key');
  const sslSet = [ca, cert, key].filter((p) => p.value);
  if (sslSet.length !== 0 && sslSet.length !== 3) {
    err(
      ca.value ? (cert.value ? key.key : cert.key) : ca.key,
      "You can't define one of the connect.mqtt.ssl.ca.cert,connect.mqtt.ssl.cert, connect.mqtt.ssl.key without the other",
    );
  }
  for (const p of sslSet)
    if (!existsSync(p.value as string)) err(p.key, `${p.key} is invalid. Can't locate ${p.value}`);

  // Kafka Connect's framework keys: LONG / SHORT / BOOLEAN types and the enumerated strings.
  for (const def of COMMON_KEYS) {
    const v = given(def.name);
    if (v === undefined) continue;
    if (def.type === 'LONG' || def.type === 'SHORT') {
      const t = v.trim();
      const n = Number(t);
      const max = def.type === 'SHORT' ? 32767 : Number.MAX_SAFE_INTEGER;
      if (!/^-?\d+$/.test(t) || Math.abs(n) > max)
        err(def.name, `Invalid value ${v} for configuration ${def.name}: Not a number of type ${def.type}`);
    } else if (def.type === 'BOOLEAN' && def.name !== 'connect.progress.enabled') {
      const t = v.trim().toLowerCase();
      if (t !== 'true' && t !== 'false')
        err(def.name, `Invalid value ${v} for configuration ${def.name}: Expected value to be either true or false`);
    } else if (def.enumValues) {
      const ok = def.caseInsensitive ? def.enumValues.includes(v.toUpperCase()) : def.enumValues.includes(v);
      if (!ok)
        err(
          def.name,
          `Invalid value ${v} for configuration ${def.name}: String must be one of${def.caseInsensitive ? ' (case insensitive)' : ''}: ${def.enumValues.join(', ')}`,
        );
    }
  }

  // A key in the connector's own namespace that it does not define but that is within a few edits
  // of one it does is almost always a typo (connect.mqtt.kcqll): Connect would ignore it silently;
  // Seaway names it and the key it resembles. Other unknown keys are ignored, as Connect does.
  const unknownKeys: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!key.startsWith('connect.') || KEY_BY_NAME.has(key)) continue;
    const near = nearestKey(key);
    if (!near) continue;
    unknownKeys.push(key);
    err(key, `Unknown configuration ${key}: the MQTT source connector has no such key; did you mean ${near}?`);
  }

  // Single message transforms and predicates (their own groups, Connect's messages).
  const smt = validateTransforms(raw);
  for (const e of smt.errors) err(e.key, e.message);

  // Worker converters (key.converter / value.converter and their prefixed options).
  const workerConv = (side: 'key' | 'value'): WorkerConverter => {
    const cls = given(`${side}.converter`);
    const kind = workerConverterKind(cls);
    if (!kind)
      err(
        `${side}.converter`,
        `Invalid value ${cls} for configuration ${side}.converter: Class ${cls} could not be found.`,
      );
    const se = (given(`${side}.converter.schemas.enable`) ?? 'true').trim().toLowerCase();
    return { kind: kind ?? 'avro', schemasEnable: se !== 'false' };
  };
  const keyConverter = workerConv('key');
  const valueConverter = workerConv('value');
  const registryUrl = given('value.converter.schema.registry.url') ?? given('key.converter.schema.registry.url');

  const settings: MqttSourceSettings = {
    name: given('name') ?? '',
    connectorClass,
    tasksMax,
    hosts,
    kcqlText: kcqlPick.value ?? '',
    kcql,
    qos: qos as 0 | 1 | 2,
    username: str('connect.mqtt.username'),
    password: str('connect.mqtt.password'),
    clientId: str('connect.mqtt.client.id'),
    clean: bool('connect.mqtt.clean'),
    connectTimeoutSec: int('connect.mqtt.timeout'),
    keepAliveSec: int('connect.mqtt.keep.alive'),
    ssl:
      sslSet.length === 3
        ? { ca: ca.value as string, cert: cert.value as string, key: key.value as string }
        : undefined,
    converters,
    avroSchemas,
    throwOnError: bool('connect.mqtt.converter.throw.on.error'),
    pollingTimeoutMs: int('connect.mqtt.polling.timeout'),
    shareReplicate: bool('connect.mqtt.share.replicate'),
    logMessage: bool('connect.mqtt.log.message'),
    processDuplicates: bool('connect.mqtt.process.duplicates'),
    progressEnabled: bool('connect.progress.enabled'),
    dlqTopic: str('errors.deadletterqueue.topic.name') ?? `${given('name') ?? 'mqtt-source'}-dlq`,
    keyConverter,
    valueConverter,
    registryUrl,
    errorsTolerance: (given('errors.tolerance') ?? 'none') === 'all' ? 'all' : 'none',
    errorsLogEnable: (given('errors.log.enable') ?? '').trim().toLowerCase() === 'true',
    errorsLogIncludeMessages: (given('errors.log.include.messages') ?? '').trim().toLowerCase() === 'true',
    dlqTopicSet: str('errors.deadletterqueue.topic.name') !== undefined,
    dlqContextHeaders:
      (given('errors.deadletterqueue.context.headers.enable') ?? 'true').trim().toLowerCase() !== 'false',
  };

  const errors: Array<{ key: string; message: string }> = [];
  for (const [key, list] of errs) for (const message of list) errors.push({ key, message });
  const infos: ConfigInfos = {
    name: connectorClass,
    error_count: errors.length,
    groups: [...FRAMEWORK_GROUPS, ...smt.groups, ...CONNECTOR_GROUPS],
    configs: [...ALL_KEYS, ...unknownKeys.map(unknownKeyDef)].map((d) => ({
      definition: {
        name: d.name,
        type: d.type,
        required: d.default === undefined,
        default_value: d.default ?? null,
        importance: d.importance,
        documentation: d.documentation,
        group: d.group,
        width: d.width ?? (d.type === 'BOOLEAN' || d.type === 'INT' || d.type === 'CLASS' ? 'SHORT' : 'MEDIUM'),
        display_name: d.displayName,
        dependents: [],
        order: d.order,
      },
      value: {
        name: d.name,
        value: d.type === 'PASSWORD' && given(d.name) !== undefined ? '[hidden]' : (given(d.name) ?? d.default ?? null),
        recommended_values: recommendedValues(d.name),
        errors: errs.get(d.name) ?? [],
        visible: true,
      },
    })),
  };
  infos.configs.splice(COMMON_KEYS.length, 0, ...smt.configs);
  return { infos, errors, settings: errors.length === 0 ? settings : undefined };
}

function recommendedValues(name: string): string[] {
  if (name === 'connector.class') return [...MQTT_SOURCE_CLASSES];
  if (name === 'key.converter' || name === 'value.converter') return [...WORKER_CONVERTER_CLASSES].sort();
  if (name.endsWith('.plugin.version')) return [PLUGIN_VERSION];
  return [];
}

function unknownKeyDef(name: string): ConfigKeyDef {
  return {
    name,
    type: 'STRING',
    default: null,
    importance: 'LOW',
    documentation: 'Not a configuration key of the MQTT source connector.',
    group: 'Common',
    order: -1,
    displayName: name,
    width: 'NONE',
  };
}

/** The defined key closest to a misspelled one (edit distance at most 3), if any. */
function nearestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const d of ALL_KEYS) {
    const dist = editDistance(key, d.name, bestD);
    if (dist < bestD) {
      bestD = dist;
      best = d.name;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
