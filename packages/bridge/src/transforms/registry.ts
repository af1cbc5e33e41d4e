// The single message transforms and predicates Seaway ships, by Connect class name (filled in by
// the transform files); the REST plugin lists them and serves their config definitions.
export type FieldType = 'STRING' | 'LIST' | 'BOOLEAN' | 'INT' | 'LONG' | 'CLASS' | 'PASSWORD';

/** One config key of a transform or predicate, as Connect's ConfigDef describes it. */
export interface FieldDef {
  name: string;
  type: FieldType;
  /** undefined = required (no default); null = default null. */
  default: string | null | undefined;
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  documentation: string;
}

export interface PluginDef {
  className: string;
  kind: 'transformation' | 'predicate';
  config: FieldDef[];
}

export const TRANSFORM_PLUGINS: PluginDef[] = [];
