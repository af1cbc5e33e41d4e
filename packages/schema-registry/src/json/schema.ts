// JSON Schema: validated with Ajv against the meta-schema its `$schema` names (draft-04, -06, -07,
// 2019-09, 2020-12; draft-07 when absent, as Confluent assumes), compiled so every `$ref`
// resolves. A `$ref` to another subject's schema uses the reference's `name` ("other.json" or
// "other.json#/definitions/x"), as with Confluent. Invalid keywords (`{"type":"objekt"}`), bad
// JSON and unresolved references are invalid schemas (42201).
// Canonical text: compact JSON with the author's key order (Confluent keeps it too); with
// normalize=true keys are sorted, so key order no longer changes identity.

import Ajv, { type Options } from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import draft06Json from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import AjvDraft04 from 'ajv-draft-04';

export class JsonSchemaError extends Error {
  override name = 'JsonSchemaError';
}

export type JsonDoc = boolean | Record<string, unknown>;

export interface ParsedJsonSchema {
  doc: JsonDoc;
  /** Referenced documents by reference name (and by their $id, when they have one). */
  refs: Map<string, JsonDoc>;
  canonical: string;
}

export interface JsonImport {
  name: string;
  schema: string;
}

const draft06 = draft06Json as Record<string, unknown>;

type AjvLike = {
  addSchema(schema: unknown, key?: string): unknown;
  compile(schema: unknown): unknown;
  addMetaSchema(schema: unknown): unknown;
};

function ajvFor(doc: JsonDoc): AjvLike {
  const options: Options = { strict: false, validateFormats: false, allErrors: false };
  const dialect = typeof doc === 'object' && typeof doc.$schema === 'string' ? doc.$schema : '';
  // the packages export their classes as default (ESM) or module.exports.default (CJS)
  const make = (C: unknown): AjvLike => {
    const Ctor = ((C as { default?: unknown }).default ?? C) as new (o: Options) => AjvLike;
    return new Ctor(options);
  };
  if (dialect.includes('draft-04')) return make(AjvDraft04);
  if (dialect.includes('2019-09')) return make(Ajv2019);
  if (dialect.includes('2020-12')) return make(Ajv2020);
  const ajv = make(Ajv);
  if (dialect.includes('draft-06')) ajv.addMetaSchema(draft06);
  return ajv;
}

function parseDoc(text: string, what: string): JsonDoc {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new JsonSchemaError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'boolean' && (json === null || typeof json !== 'object' || Array.isArray(json)))
    throw new JsonSchemaError(`${what} must be a JSON object or a boolean`);
  return json as JsonDoc;
}

/** `name` resolved against the root schema's absolute $id, if it has one. */
function resolveAgainst(doc: JsonDoc, name: string): string | undefined {
  if (typeof doc !== 'object' || typeof doc.$id !== 'string') return undefined;
  try {
    return new URL(name, doc.$id).href;
  } catch {
    return undefined;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** Parses and validates `text`; `imports` are the referenced schemas, nested ones included. */
export function parseJsonSchema(text: string, imports: JsonImport[], normalize: boolean): ParsedJsonSchema {
  const doc = parseDoc(text, 'the schema');
  const refs = new Map<string, JsonDoc>();
  const ajv = ajvFor(doc);
  for (const i of imports) {
    if (refs.has(i.name)) continue;
    const r = parseDoc(i.schema, `the referenced schema "${i.name}"`);
    refs.set(i.name, r);
    if (typeof r === 'object' && typeof r.$id === 'string' && !refs.has(r.$id)) refs.set(r.$id, r);
    try {
      // keyed by the reference name (and by that name resolved against the root's $id, where a
      // relative $ref lands); Ajv also files it under the referenced schema's own $id
      ajv.addSchema(typeof r === 'object' ? { ...r } : r, i.name);
      const resolved = resolveAgainst(doc, i.name);
      if (resolved && resolved !== i.name && !(typeof r === 'object' && r.$id === resolved))
        ajv.addSchema(typeof r === 'object' ? { ...r, $id: undefined } : r, resolved);
    } catch (e) {
      throw new JsonSchemaError(`the referenced schema "${i.name}": ${(e as Error).message}`);
    }
  }
  try {
    ajv.compile(typeof doc === 'object' ? { ...doc } : doc);
  } catch (e) {
    throw new JsonSchemaError((e as Error).message);
  }
  return { doc, refs, canonical: JSON.stringify(normalize ? sortKeys(doc) : doc) };
}
