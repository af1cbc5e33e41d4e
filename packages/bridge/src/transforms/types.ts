// What a single message transform or predicate plugin is: its Connect class name, kind, config
// definition (Connect's ConfigDef for it) and a factory that reads a checked config.
import type { SmtRecord } from './record.ts';

export type FieldType = 'STRING' | 'LIST' | 'BOOLEAN' | 'INT' | 'LONG' | 'CLASS' | 'PASSWORD';

/** One config key of a transform or predicate. */
export interface FieldDef {
  name: string;
  type: FieldType;
  /** undefined = required (no default); null = default null. */
  default: string | null | undefined;
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  documentation: string;
  /** Connect's ValidString: the value must be one of these. */
  enumValues?: string[];
}

export interface Transform {
  /** The record, changed in place, or null to drop it (Filter). Throws DataError when it cannot. */
  apply(r: SmtRecord): SmtRecord | null;
}

export interface Predicate {
  test(r: SmtRecord): boolean;
}

/** A transform's config, defaults applied. */
export interface Cfg {
  get(name: string): string | null;
  list(name: string): string[];
  bool(name: string): boolean;
}

/** A config value a factory rejects; validate shows it on `transforms.<alias>.<key>`. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PluginDef {
  className: string;
  kind: 'transformation' | 'predicate';
  config: FieldDef[];
  create(cfg: Cfg): Transform | Predicate;
}

export const REPLACE_NULL: FieldDef = {
  name: 'replace.null.with.default',
  type: 'BOOLEAN',
  default: 'true',
  importance: 'MEDIUM',
  documentation: 'Whether to replace fields that have a default value and that are null to the default value.',
};

export function field(
  name: string,
  type: FieldType,
  dflt: string | null | undefined,
  importance: FieldDef['importance'],
  documentation: string,
  enumValues?: string[],
): FieldDef {
  return enumValues
    ? { name, type, default: dflt, importance, documentation, enumValues }
    : { name, type, default: dflt, importance, documentation };
}

/** $Key and $Value variants of one transform. */
export function keyAndValue(
  base: string,
  config: FieldDef[],
  make: (side: 'key' | 'value', cfg: Cfg) => Transform,
): PluginDef[] {
  return (['key', 'value'] as const).map((side) => ({
    className: `${base}$${side === 'key' ? 'Key' : 'Value'}`,
    kind: 'transformation' as const,
    config,
    create: (cfg: Cfg) => make(side, cfg),
  }));
}
