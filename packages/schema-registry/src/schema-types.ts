// Per schema type: validation, canonical text (identity: same canonical text and references means
// same id) and compatibility.
// - AVRO: full. Parsed by avro/schema.ts (references supply named types), canonical text from
//   avro/canonical.ts, compatibility by avro/compat.ts for every level.
// - JSON: validated and compiled by Ajv (json/schema.ts; references are other subjects' schemas
//   named in $ref), canonical text is compact JSON (keys sorted with normalize=true), compatibility
//   by json/compat.ts (Confluent's JSON Schema rules).
// - PROTOBUF: parsed by protobufjs (protobuf/schema.ts; imports must be references), canonical
//   text printed from the parsed file, compatibility by protobuf/compat.ts (Confluent's rules).
// Verbose compatibility messages: Avro's as Avro Java words them; JSON and Protobuf ones as
// {errorType:"…", description:"…"}, then the old version, its schema and the level, as Confluent.

import { canonicalAvro } from './avro/canonical.ts';
import { checkAvroCompatibility } from './avro/compat.ts';
import { AvroSchemaError, type AvroType, type NamedTypes, parseAvro } from './avro/schema.ts';
import { invalidSchema } from './errors.ts';
import { diffJsonSchema } from './json/compat.ts';
import { type JsonImport, JsonSchemaError, type ParsedJsonSchema, parseJsonSchema } from './json/schema.ts';
import { diffProtobuf } from './protobuf/compat.ts';
import { type ParsedProto, ProtobufSchemaError, type ProtoImport, parseProtobuf } from './protobuf/schema.ts';
import type { CompatibilityLevel, SchemaReference, SchemaType, SchemaVersion } from './types.ts';

export interface ParsedSchema {
  schemaType: SchemaType;
  canonical: string;
  references: SchemaReference[];
  /** AVRO only: the resolved tree, for compatibility checks. */
  avro?: AvroType;
  json?: ParsedJsonSchema;
  proto?: ParsedProto;
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
  normalize = false,
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
      try {
        const json = parseJsonSchema(text, importsOf(references, lookup, 'JSON'), normalize);
        return { schemaType, canonical: json.canonical, references, json };
      } catch (e) {
        if (e instanceof JsonSchemaError) throw invalidSchema(e.message);
        throw e;
      }
    }
    case 'PROTOBUF': {
      try {
        const proto = parseProtobuf(text, importsOf(references, lookup, 'PROTOBUF'));
        return { schemaType, canonical: proto.canonical, references, proto };
      } catch (e) {
        if (e instanceof ProtobufSchemaError) throw invalidSchema(e.message);
        throw e;
      }
    }
  }
}

/** The texts of the referenced schemas, nested references included, by reference name. */
function importsOf(
  refs: SchemaReference[],
  lookup: ReferenceLookup,
  type: 'JSON' | 'PROTOBUF',
): Array<JsonImport & ProtoImport> {
  const out: Array<JsonImport & ProtoImport> = [];
  const seen = new Set<string>();
  const visit = (list: SchemaReference[], depth: number) => {
    if (depth > 32) throw invalidSchema('schema references nest deeper than 32 levels (a reference cycle?)');
    for (const ref of list) {
      const target = lookup(ref);
      if (!target)
        throw invalidSchema(
          `reference "${ref.name}" points at subject ${ref.subject} version ${ref.version}, which does not exist`,
        );
      if (target.schemaType !== type)
        throw invalidSchema(`reference "${ref.name}" is a ${target.schemaType} schema, not ${type}`);
      if (seen.has(ref.name)) continue;
      seen.add(ref.name);
      out.push({ name: ref.name, schema: target.schema });
      visit(target.references, depth + 1);
    }
  };
  visit(refs, 0);
  return out;
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

const describeDifference = (d: { type: string; path: string }): string =>
  `{errorType:"${d.type}", description:"${d.type.toLowerCase().replace(/_/g, ' ')} at path '${d.path}'"}`;

/** Messages for "can `reader` read what `writer` wrote"; empty when it can. */
function oneWay(reader: ParsedSchema, writer: ParsedSchema): string[] {
  if (reader.json && writer.json) return diffJsonSchema(writer.json, reader.json).map(describeDifference);
  if (reader.proto && writer.proto) return diffProtobuf(writer.proto, reader.proto).map(describeDifference);
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
