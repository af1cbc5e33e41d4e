// Per schema type: validation, canonical text (identity: same canonical text and references means
// same id) and compatibility.
// - AVRO: full. Parsed by avro/schema.ts (references supply named types), canonical text from
//   avro/canonical.ts, compatibility by avro/compat.ts for every level.
// - JSON: validated as JSON (an object or a boolean, as JSON Schema allows), canonical text is the
//   compact re-serialisation (key order kept).
// - PROTOBUF: stored as text (line endings normalised, trimmed); validated only for non-empty text
//   with balanced braces. Seaway does not parse .proto files.
// JSON and PROTOBUF compatibility is a documented subset: under any level but NONE a new version
// is compatible only with identical previous versions (so re-registering works); anything else is
// reported incompatible with a message saying to set the subject's compatibility to NONE.

import { canonicalAvro } from './avro/canonical.ts';
import { checkAvroCompatibility } from './avro/compat.ts';
import { AvroSchemaError, type AvroType, type NamedTypes, parseAvro } from './avro/schema.ts';
import { invalidSchema } from './errors.ts';
import type { CompatibilityLevel, SchemaReference, SchemaType, SchemaVersion } from './types.ts';

export interface ParsedSchema {
  schemaType: SchemaType;
  canonical: string;
  references: SchemaReference[];
  /** AVRO only: the resolved tree, for compatibility checks. */
  avro?: AvroType;
}

/** Finds the version a reference points at, or undefined when it does not exist. */
export type ReferenceLookup = (ref: SchemaReference) => SchemaVersion | undefined;

/** Deeper schemas are refused (42201): parsing, canonical form and compatibility recurse per level. */
export const MAX_SCHEMA_DEPTH = 256;

/** Nesting depth of parsed JSON, measured without recursion (a hostile schema cannot overflow the stack). */
function jsonDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_SCHEMA_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function parseJsonText(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalidSchema(`the schema is not valid JSON: ${(e as Error).message}`);
  }
  if (jsonDepth(json) > MAX_SCHEMA_DEPTH) {
    throw invalidSchema(`the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
  }
  return json;
}

function loadAvroReferences(
  refs: SchemaReference[],
  lookup: ReferenceLookup,
  known: NamedTypes,
  done: Set<string>,
  depth: number,
): void {
  if (depth > 32) throw invalidSchema('schema references nest deeper than 32 levels (a reference cycle?)');
  for (const ref of refs) {
    const target = lookup(ref);
    if (!target)
      throw invalidSchema(
        `reference "${ref.name}" points at subject ${ref.subject} version ${ref.version}, which does not exist`,
      );
    const key = `${target.subject}\u0000${target.version}`;
    if (done.has(key)) continue;
    done.add(key);
    if (target.schemaType !== 'AVRO')
      throw invalidSchema(`reference "${ref.name}" is a ${target.schemaType} schema, not AVRO`);
    loadAvroReferences(target.references, lookup, known, done, depth + 1);
    try {
      parseAvro(JSON.parse(target.schema), known);
    } catch (e) {
      throw invalidSchema(`referenced schema ${ref.subject}/${ref.version}: ${(e as Error).message}`);
    }
  }
}

export function parseSchema(
  schemaType: SchemaType,
  text: string,
  references: SchemaReference[],
  lookup: ReferenceLookup,
): ParsedSchema {
  if (text.trim() === '') throw invalidSchema('the schema is empty');
  switch (schemaType) {
    case 'AVRO': {
      const json = parseJsonText(text);
      const known: NamedTypes = new Map();
      loadAvroReferences(references, lookup, known, new Set(), 0);
      const external = new Set(known.keys());
      try {
        const avro = parseAvro(json, known);
        return { schemaType, canonical: canonicalAvro(avro, external), references, avro };
      } catch (e) {
        if (e instanceof AvroSchemaError) throw invalidSchema(e.message);
        throw e;
      }
    }
    case 'JSON': {
      const json = parseJsonText(text);
      if (typeof json !== 'boolean' && (json === null || typeof json !== 'object' || Array.isArray(json)))
        throw invalidSchema('a JSON Schema must be an object or a boolean');
      return { schemaType, canonical: JSON.stringify(json), references };
    }
    case 'PROTOBUF': {
      const canonical = text.replace(/\r\n?/g, '\n').trim();
      let depth = 0;
      for (const ch of canonical.replace(/"(?:[^"\\]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')) {
        if (ch === '{') depth++;
        else if (ch === '}' && --depth < 0) break;
      }
      if (depth !== 0) throw invalidSchema('the Protobuf schema has unbalanced braces');
      return { schemaType, canonical, references };
    }
  }
}

/** Formats Confluent-style verbose messages for one incompatible previous version. */
function messagesFor(found: string[], old: SchemaVersion, level: CompatibilityLevel): string[] {
  return [
    ...found,
    `{oldSchemaVersion: ${old.version}}`,
    `{oldSchema: '${old.schema}'}`,
    `{compatibility: '${level}'}`,
  ];
}

function oneWay(reader: ParsedSchema, writer: ParsedSchema): string[] {
  if (!reader.avro || !writer.avro) return [];
  return checkAvroCompatibility(reader.avro, writer.avro).map(
    (i) => `{errorType:'${i.errorType}', description:'${i.description}', additionalInfo:'${i.additionalInfo}'}`,
  );
}

/**
 * Checks `next` against `previous` (ascending by version, deleted ones already removed) under
 * `level`; returns the verbose messages, empty when compatible. `parseOld` re-parses an old version.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  next: ParsedSchema,
  previous: SchemaVersion[],
  parseOld: (v: SchemaVersion) => ParsedSchema,
): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? [...previous].reverse() : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const out: string[] = [];
  const problems = (old: SchemaVersion): string[] => {
    if (old.schemaType !== next.schemaType)
      return [
        `{errorType:'TYPE_MISMATCH', description:'Incompatible schema type: ${old.schemaType} to ${next.schemaType}'}`,
      ];
    if (next.schemaType !== 'AVRO')
      return old.schema === next.canonical
        ? []
        : [
            `{errorType:'NOT_CHECKED', description:'Seaway does not check ${next.schemaType} compatibility: only identical schemas pass under ${level}; set the compatibility of this subject to NONE to register changed ${next.schemaType} schemas'}`,
          ];
    let oldParsed: ParsedSchema;
    try {
      oldParsed = parseOld(old);
    } catch (e) {
      return [
        `{errorType:'OLD_SCHEMA_UNREADABLE', description:'version ${old.version} cannot be parsed for comparison: ${(e as Error).message}'}`,
      ];
    }
    return [...(backward ? oneWay(next, oldParsed) : []), ...(forward ? oneWay(oldParsed, next) : [])];
  };
  for (const old of against) {
    const found = problems(old);
    if (found.length > 0) out.push(...messagesFor(found, old, level));
  }
  return out;
}
