/**
 * Emits src/messages/types.generated.ts: one interface per request and response (and per nested
 * struct) describing decoded values, plus key -> type maps the codec uses for typed overloads.
 * Decoded values hold every field of every version (absent ones at their default), so fields
 * are required; a field is `| null` when any version allows null. Comments give field versions.
 */

import type { FieldDef, MessageDef, VersionRange } from '../src/messages/definition-types.ts';
import { GENERATED_HEADER, type LoadedDefinitions } from './generate-definitions.ts';

const OPEN = 0x7fff;

const TS_TYPE: Record<string, string> = {
  bool: 'boolean',
  int8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  int64: 'bigint',
  float64: 'number',
  uuid: 'string',
  string: 'string',
  bytes: 'Buffer',
  records: 'Buffer',
};

function range(r: VersionRange): string {
  if (r[1] === OPEN) return `${r[0]}+`;
  return r[0] === r[1] ? `${r[0]}` : `${r[0]}-${r[1]}`;
}

function fieldComment(f: FieldDef): string {
  const parts = [`v${range(f.versions)}`];
  if (f.nullableVersions) parts.push(`nullable ${range(f.nullableVersions)}`);
  if (f.tag !== undefined && f.taggedVersions) parts.push(`tag ${f.tag} in ${range(f.taggedVersions)}`);
  if (f.default !== undefined) parts.push(`default ${f.default === null ? 'null' : String(f.default)}`);
  return parts.join(', ');
}

function emitStruct(out: string[], typeName: string, fields: readonly FieldDef[], prefix: string, doc: string): void {
  const nested: Array<[string, readonly FieldDef[], string]> = [];
  out.push(`/** ${doc} */`);
  out.push(`export interface ${typeName} {`);
  for (const f of fields) {
    let t: string;
    if (f.type === 'struct' || (f.type === 'array' && f.items === 'struct')) {
      const nestedName = `${prefix}${f.struct}`;
      if (!nested.some(([n]) => n === nestedName))
        nested.push([nestedName, f.fields ?? [], `${f.struct} in ${prefix}.`]);
      t = f.type === 'array' ? `${nestedName}[]` : nestedName;
    } else if (f.type === 'array') {
      t = `${TS_TYPE[f.items ?? 'int32']}[]`;
    } else {
      t = TS_TYPE[f.type] ?? 'unknown';
    }
    if (f.nullableVersions || f.default === null) t += ' | null';
    out.push(`  /** ${fieldComment(f)} */`);
    out.push(`  ${f.name}: ${t};`);
  }
  out.push('}');
  out.push('');
  for (const [name, nestedFields, nestedDoc] of nested) emitStruct(out, name, nestedFields, prefix, nestedDoc);
}

function emitMessage(out: string[], m: MessageDef, apiKey: number): void {
  const flex = m.flexibleVersions ? `, flexible ${range(m.flexibleVersions)}` : '';
  emitStruct(
    out,
    m.name,
    m.fields,
    m.name,
    `${m.name} (api key ${apiKey}), versions ${range(m.validVersions)}${flex}.`,
  );
}

export function generateTypes(loaded: LoadedDefinitions): string {
  const out: string[] = [...GENERATED_HEADER, ''];
  for (const api of loaded.apis) {
    emitMessage(out, api.request, api.apiKey);
    emitMessage(out, api.response, api.apiKey);
  }
  out.push('/** Decoded request body type by api key. */');
  out.push('export interface RequestBodies {');
  for (const api of loaded.apis) out.push(`  ${api.apiKey}: ${api.request.name};`);
  out.push('}');
  out.push('');
  out.push('/** Decoded response body type by api key. */');
  out.push('export interface ResponseBodies {');
  for (const api of loaded.apis) out.push(`  ${api.apiKey}: ${api.response.name};`);
  out.push('}');
  out.push('');
  out.push('/** Api key by Kafka API name. */');
  out.push('export const ApiKey = {');
  for (const api of loaded.apis) out.push(`  ${api.name}: ${api.apiKey},`);
  out.push('} as const;');
  out.push('');
  return out.join('\n');
}
