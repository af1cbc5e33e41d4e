// The single message transforms and predicates Seaway ships, by Connect class name
// (org.apache.kafka.connect.transforms.*); the REST plugin lists them and serves their config
// definitions, validate.ts checks `transforms.<alias>.*` against them, chain.ts builds them.
import { FIELD_TRANSFORMS } from './fields.ts';
import { HEADER_TRANSFORMS } from './headers.ts';
import { PREDICATES } from './predicates.ts';
import { ROUTING_TRANSFORMS } from './routing.ts';
import { TIMESTAMP_TRANSFORMS } from './timestamps.ts';
import type { PluginDef } from './types.ts';

export type { FieldDef, FieldType, PluginDef } from './types.ts';

export const TRANSFORM_PLUGINS: PluginDef[] = [
  ...FIELD_TRANSFORMS,
  ...TIMESTAMP_TRANSFORMS,
  ...ROUTING_TRANSFORMS,
  ...HEADER_TRANSFORMS,
  ...PREDICATES,
].sort((a, b) => (a.className < b.className ? -1 : 1));

const BY_NAME = new Map<string, PluginDef>();
for (const p of TRANSFORM_PLUGINS) {
  BY_NAME.set(p.className, p);
  BY_NAME.set(p.className.slice(p.className.lastIndexOf('.') + 1), p);
}

/** The plugin a `.type` names (full class name or simple name, $Key/$Value included). */
export function findPlugin(cls: string, kind: PluginDef['kind']): PluginDef | undefined {
  const p = BY_NAME.get(cls);
  return p && p.kind === kind ? p : undefined;
}

/** For an abstract base (InsertField): its concrete variants, as Connect's "Did you mean" lists them. */
export function variantsOf(cls: string): string[] {
  const full = cls.includes('.') ? cls : `org.apache.kafka.connect.transforms.${cls}`;
  return TRANSFORM_PLUGINS.filter((p) => p.className === `${full}$Key` || p.className === `${full}$Value`).map(
    (p) => p.className,
  );
}
