// The transform chain of a connector, from Connect's config syntax:
//   transforms=a,b   transforms.a.type=<class>   transforms.a.<key>=…   transforms.a.predicate=p
//   transforms.a.negate=true   predicates=p   predicates.p.type=<class>   predicates.p.<key>=…
// validateTransforms() gives validate's "Transforms: a" / "Predicates: p" groups with Connect's
// messages; buildChain() gives the task's per-record function (between converter and producer).
// Errors follow Connect's errors.* semantics for the TRANSFORMATION stage: errors.tolerance=none
// fails the task; all skips the record, logs it when errors.log.enable (with the record when
// errors.log.include.messages), and writes the raw MQTT payload to errors.deadletterqueue.topic.name
// when that is set explicitly. No Seaway transform fails retriably, so errors.retry.* never apply.
// Deliberate difference: a transform naming a predicate that `predicates` does not define is a
// validation error here (Connect only fails when the task starts).
import { PLUGIN_VERSION } from '../connector/config-def.ts';
import type { ConfigInfos, MqttSourceSettings } from '../connector/validate.ts';
import type { Datum } from '../converters/convert.ts';
import { DataError, type SmtRecord } from './record.ts';
import { findPlugin, TRANSFORM_PLUGINS, variantsOf } from './registry.ts';
import { type Cfg, ConfigError, type FieldDef, type PluginDef, type Predicate, type Transform } from './types.ts';

type Raw = Record<string, string | null | undefined>;
type ConfigInfo = ConfigInfos['configs'][number];

export interface TransformValidation {
  groups: string[];
  configs: ConfigInfo[];
  errors: Array<{ key: string; message: string }>;
}

function aliases(raw: Raw, key: string): string[] {
  return (raw[key] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

function cfgOf(raw: Raw, prefix: string, defs: FieldDef[]): Cfg {
  const get = (name: string): string | null => {
    const v = raw[prefix + name];
    if (v !== undefined && v !== null) return v;
    return defs.find((d) => d.name === name)?.default ?? null;
  };
  return {
    get,
    list: (name) =>
      (get(name) ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    bool: (name) => (get(name) ?? '').trim().toLowerCase() === 'true',
  };
}

function info(
  name: string,
  def: { type: string; default: string | null | undefined; importance: string; documentation: string },
  group: string,
  order: number,
  width: string,
  value: string | null,
  errors: string[],
  recommended: string[] = [],
): ConfigInfo {
  return {
    definition: {
      name,
      type: def.type,
      required: def.default === undefined,
      default_value: def.default ?? null,
      importance: def.importance,
      documentation: def.documentation,
      group,
      width,
      display_name: name.slice(name.lastIndexOf('.') + 1),
      dependents: [],
      order,
    },
    value: { name, value, recommended_values: recommended, errors, visible: true },
  };
}

/** Per-key check of a plugin's own config (Connect's ConfigDef messages use the unprefixed key). */
function checkField(d: FieldDef, v: string | null | undefined, full: string): string[] {
  if (v === undefined || v === null) {
    return d.default === undefined ? [`Missing required configuration "${full}" which has no default value.`] : [];
  }
  if (d.type === 'BOOLEAN' && !/^(true|false)$/i.test(v.trim()))
    return [`Invalid value ${v} for configuration ${d.name}: Expected value to be either true or false`];
  if ((d.type === 'INT' || d.type === 'LONG') && !/^-?\d+$/.test(v.trim()))
    return [`Invalid value ${v} for configuration ${d.name}: Not a number of type ${d.type}`];
  if (d.enumValues && !d.enumValues.includes(v))
    return [`Invalid value ${v} for configuration ${d.name}: String must be one of: ${d.enumValues.join(', ')}`];
  return [];
}

function validateKind(raw: Raw, kind: PluginDef['kind'], out: TransformValidation, predicateNames: Set<string>): void {
  const root = kind === 'transformation' ? 'transforms' : 'predicates';
  const list = aliases(raw, root);
  if (new Set(list).size !== list.length)
    out.errors.push({
      key: root,
      message: `Invalid value [${list.join(', ')}] for configuration ${root}: Duplicate alias provided.`,
    });
  const classes = TRANSFORM_PLUGINS.filter((p) => p.kind === kind).map((p) => p.className);
  for (const alias of new Set(list)) {
    const group = `${kind === 'transformation' ? 'Transforms' : 'Predicates'}: ${alias}`;
    out.groups.push(group);
    const prefix = `${root}.${alias}.`;
    const typeKey = `${prefix}type`;
    const cls = raw[typeKey] ?? null;
    const typeErrors: string[] = [];
    const plugin = cls === null ? undefined : findPlugin(cls, kind);
    if (cls === null) typeErrors.push(`Missing required configuration "${typeKey}" which has no default value.`);
    else if (!plugin) {
      const variants = kind === 'transformation' ? variantsOf(cls) : [];
      typeErrors.push(
        variants.length > 0
          ? `This class is abstract and cannot be created. Did you mean ${variants.join(', ')}?`
          : `Invalid value ${cls} for configuration ${typeKey}: Class ${cls} could not be found.`,
      );
    }
    const typeDoc = `Class for the '${alias}' ${kind === 'transformation' ? 'transformation' : 'predicate'}.`;
    out.configs.push(
      info(
        typeKey,
        { type: 'CLASS', default: undefined, importance: 'HIGH', documentation: typeDoc },
        group,
        0,
        'LONG',
        plugin ? cls : null,
        typeErrors,
        classes,
      ),
    );
    out.configs.push(
      info(
        `${prefix}plugin.version`,
        {
          type: 'STRING',
          default: plugin ? PLUGIN_VERSION : null,
          importance: 'HIGH',
          documentation: `Version of the '${alias}' ${kind}.`,
        },
        group,
        1,
        'LONG',
        raw[`${prefix}plugin.version`] ?? (plugin ? PLUGIN_VERSION : null),
        [],
        plugin ? [PLUGIN_VERSION] : [],
      ),
    );
    for (const m of typeErrors) out.errors.push({ key: typeKey, message: m });
    let order = 2;
    if (plugin) {
      const perKey = new Map<string, string[]>();
      for (const d of plugin.config) perKey.set(d.name, checkField(d, raw[prefix + d.name], prefix + d.name));
      if ([...perKey.values()].every((e) => e.length === 0)) {
        try {
          plugin.create(cfgOf(raw, prefix, plugin.config));
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          perKey.get(e.key)?.push(e.message);
        }
      }
      for (const d of plugin.config) {
        const errs = perKey.get(d.name) ?? [];
        out.configs.push(
          info(
            prefix + d.name,
            d,
            group,
            order++,
            'NONE',
            raw[prefix + d.name] ?? d.default ?? null,
            errs,
            d.enumValues ?? [],
          ),
        );
        for (const m of errs) out.errors.push({ key: prefix + d.name, message: m });
      }
    }
    if (kind === 'transformation') {
      const negate = raw[`${prefix}negate`] ?? null;
      const negErr =
        negate !== null && !/^(true|false)$/i.test(negate.trim())
          ? [`Invalid value ${negate} for configuration ${prefix}negate: Expected value to be either true or false`]
          : [];
      out.configs.push(
        info(
          `${prefix}negate`,
          {
            type: 'BOOLEAN',
            default: 'false',
            importance: 'MEDIUM',
            documentation: 'Whether the configured predicate should be negated.',
          },
          group,
          order++,
          'NONE',
          negate ?? 'false',
          negErr,
        ),
      );
      const pred = raw[`${prefix}predicate`] ?? null;
      const predErr =
        pred !== null && pred !== '' && !predicateNames.has(pred)
          ? [
              `Invalid value ${pred} for configuration ${prefix}predicate: no predicate ${pred} is defined in predicates`,
            ]
          : [];
      out.configs.push(
        info(
          `${prefix}predicate`,
          {
            type: 'STRING',
            default: null,
            importance: 'MEDIUM',
            documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
          },
          group,
          order++,
          'NONE',
          pred,
          predErr,
        ),
      );
      for (const m of [...negErr, ...predErr])
        out.errors.push({ key: m.includes('negate') ? `${prefix}negate` : `${prefix}predicate`, message: m });
    }
  }
}

export function validateTransforms(raw: Raw): TransformValidation {
  const out: TransformValidation = { groups: [], configs: [], errors: [] };
  const predicateNames = new Set(aliases(raw, 'predicates'));
  validateKind(raw, 'transformation', out, predicateNames);
  validateKind(raw, 'predicate', out, predicateNames);
  return out;
}

/** What the task hands the chain: its entry, changed in place. */
export interface ChainEntry {
  topic: string;
  key: Datum;
  value: Datum;
  headers: Record<string, string>;
  payload: Buffer;
  mqttTopic: string;
}

/** Thrown under errors.tolerance=none: the task fails with this as its trace. */
export class ToleranceExceeded extends Error {
  override name = 'org.apache.kafka.connect.errors.ConnectException';
}

interface Step {
  alias: string;
  className: string;
  transform: Transform;
  predicate: Predicate | undefined;
  negate: boolean;
}

/**
 * The task's transform function (undefined when `transforms` is empty): true = send the entry
 * (changed in place, possibly into a dead letter), false = drop it and acknowledge; throws
 * ToleranceExceeded under errors.tolerance=none. The config must have passed validateTransforms.
 */
export function buildChain(
  raw: Raw,
  s: MqttSourceSettings,
  ctx: { connector: string; task: number; logError?: (line: string) => void },
): ((e: ChainEntry) => boolean) | undefined {
  const list = aliases(raw, 'transforms');
  if (list.length === 0) return undefined;
  const predicates = new Map<string, Predicate>();
  for (const p of aliases(raw, 'predicates')) {
    const def = findPlugin(raw[`predicates.${p}.type`] ?? '', 'predicate') as PluginDef;
    predicates.set(p, def.create(cfgOf(raw, `predicates.${p}.`, def.config)) as Predicate);
  }
  const steps: Step[] = list.map((alias) => {
    const def = findPlugin(raw[`transforms.${alias}.type`] ?? '', 'transformation') as PluginDef;
    const pred = raw[`transforms.${alias}.predicate`];
    return {
      alias,
      className: def.className,
      transform: def.create(cfgOf(raw, `transforms.${alias}.`, def.config)) as Transform,
      predicate: pred ? predicates.get(pred) : undefined,
      negate: (raw[`transforms.${alias}.negate`] ?? '').trim().toLowerCase() === 'true',
    };
  });
  return (e) => {
    const r = e as ChainEntry & SmtRecord;
    const topic = r.topic;
    r.timestamp = Date.now();
    let step: Step | undefined;
    try {
      for (step of steps) {
        if (step.predicate && step.predicate.test(r) === step.negate) continue;
        if (step.transform.apply(r) === null) return false;
      }
      return true;
    } catch (err) {
      const cause = err as Error;
      const where = `Executing stage 'TRANSFORMATION' with class '${step?.className}' (transforms.${step?.alias})`;
      if (s.errorsTolerance === 'none') {
        throw new ToleranceExceeded(
          `Tolerance exceeded in error handler: ${where}: ${cause.name === 'DataException' ? 'org.apache.kafka.connect.errors.DataException: ' : ''}${cause.message}`,
          { cause },
        );
      }
      if (s.errorsLogEnable && ctx.logError) {
        const rec = s.errorsLogIncludeMessages
          ? `, where source record is = {topic=${topic}, mqtt.topic=${r.mqttTopic}, payload=${r.payload.toString('base64')}}`
          : '';
        ctx.logError(`Error encountered in task ${ctx.connector}-${ctx.task}. ${where}${rec}. ${cause.message}`);
      }
      if (!s.dlqTopicSet) return false;
      r.topic = s.dlqTopic;
      r.key = { kind: 'raw', bytes: Buffer.from(r.mqttTopic) };
      r.value = { kind: 'raw', bytes: r.payload };
      if (s.dlqContextHeaders) {
        r.headers['__connect.errors.topic'] = topic;
        r.headers['__connect.errors.connector.name'] = ctx.connector;
        r.headers['__connect.errors.task.id'] = String(ctx.task);
        r.headers['__connect.errors.stage'] = 'TRANSFORMATION';
        r.headers['__connect.errors.class.name'] = step?.className ?? '';
        r.headers['__connect.errors.exception.class.name'] =
          cause instanceof DataError ? 'org.apache.kafka.connect.errors.DataException' : cause.name;
        r.headers['__connect.errors.exception.message'] = cause.message;
      }
      return true;
    }
  };
}
