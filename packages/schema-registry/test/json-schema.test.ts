// JSON Schema support: validation against the draft's meta-schema (Ajv), $ref to references,
// canonical text, and Confluent's compatibility rules under each level.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError } from '../src/errors.ts';
import { diffJsonSchema } from '../src/json/compat.ts';
import { parseJsonSchema } from '../src/json/schema.ts';
import { checkCompatibility, parseSchema } from '../src/schema-types.ts';
import type { CompatibilityLevel, SchemaVersion } from '../src/types.ts';

const parsed = (o: unknown, refs: Array<{ name: string; schema: string }> = []) =>
  parseJsonSchema(JSON.stringify(o), refs, false);
/** Incompatible difference types when `update` replaces `original` as the reader. */
const diff = (original: unknown, update: unknown) =>
  diffJsonSchema(parsed(original), parsed(update)).map((d) => d.type);
const invalid = (text: string, pattern: RegExp) =>
  assert.throws(
    () => parseSchema('JSON', text, [], () => undefined),
    (e: Error) => e instanceof RegistryError && e.errorCode === 42201 && pattern.test(e.message),
    text,
  );

test('invalid JSON Schemas are refused with 42201 and the validator message', () => {
  invalid('{"type":"objekt"}', /type/);
  invalid('{"type":"object","properties":{"a":{"maxLength":-1}}}', /maxLength/);
  invalid('{"type":"object","required":"a"}', /required/);
  invalid('{"$ref":"other.json"}', /other\.json/);
  invalid('"string"', /object or a boolean/);
  invalid('{"type":', /not valid JSON/);
});

test('every draft from 4 to 2020-12 is checked against its own meta-schema', () => {
  const drafts = {
    'http://json-schema.org/draft-04/schema#': { type: 'number', minimum: 0, exclusiveMinimum: true },
    'http://json-schema.org/draft-06/schema#': { type: 'number', exclusiveMinimum: 0 },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
    'http://json-schema.org/draft-07/schema#': { if: { type: 'string' }, then: { minLength: 1 } },
    'https://json-schema.org/draft/2019-09/schema': { type: 'object', dependentRequired: { a: ['b'] } },
    'https://json-schema.org/draft/2020-12/schema': { type: 'array', prefixItems: [{ type: 'string' }] },
  };
  for (const [$schema, body] of Object.entries(drafts))
    assert.doesNotThrow(() => parsed({ $schema, ...body }), $schema);
  // draft-04 wants a boolean exclusiveMinimum; 2020-12 wants prefixItems to be an array
  assert.throws(() => parsed({ $schema: 'http://json-schema.org/draft-04/schema#', exclusiveMinimum: 0 }));
  assert.throws(() => parsed({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: {} }));
});

test('a $ref names a reference; its definitions resolve', () => {
  const other = JSON.stringify({ definitions: { Pos: { type: 'object', properties: { lat: { type: 'number' } } } } });
  const p = parsed({ type: 'object', properties: { at: { $ref: 'pos.json#/definitions/Pos' } } }, [
    { name: 'pos.json', schema: other },
  ]);
  assert.equal(p.refs.size, 1);
  assert.throws(() => parsed({ $ref: 'pos.json#/definitions/Nope' }, [{ name: 'pos.json', schema: other }]));
  // a relative $ref under an absolute $id still names the reference
  const rooted = { $id: 'https://example.com/ship.json', properties: { at: { $ref: 'pos.json#/definitions/Pos' } } };
  assert.doesNotThrow(() => parsed(rooted, [{ name: 'pos.json', schema: other }]));
});

test('canonical text is compact, keeps key order, and sorts keys with normalize', () => {
  assert.equal(parsed({ type: 'object', properties: {} }).canonical, '{"type":"object","properties":{}}');
  const n = parseJsonSchema('{ "type": "object", "additionalProperties": false }', [], true);
  assert.equal(n.canonical, '{"additionalProperties":false,"type":"object"}');
});

test('types may widen but not narrow or change', () => {
  assert.deepEqual(diff({ type: 'integer' }, { type: 'number' }), []);
  assert.deepEqual(diff({ type: 'number' }, { type: 'integer' }), ['TYPE_NARROWED']);
  assert.deepEqual(diff({ type: 'string' }, { type: 'number' }), ['TYPE_CHANGED']);
  assert.deepEqual(diff({ type: 'string' }, { type: ['string', 'null'] }), [], 'a sum type extended');
  assert.deepEqual(diff({ type: ['string', 'null'] }, { type: 'string' }), ['TYPE_CHANGED']);
  assert.deepEqual(diff({ type: 'string' }, true), [], 'anything reads a string');
});

test('limits may loosen but not tighten', () => {
  assert.deepEqual(diff({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 9 }), []);
  assert.deepEqual(diff({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 3 }), ['MAX_LENGTH_DECREASED']);
  assert.deepEqual(diff({ type: 'string' }, { type: 'string', pattern: '^a' }), ['PATTERN_ADDED']);
  assert.deepEqual(diff({ type: 'string', pattern: '^a' }, { type: 'string' }), []);
  assert.deepEqual(diff({ type: 'number', minimum: 5 }, { type: 'number', minimum: 1 }), []);
  assert.deepEqual(diff({ type: 'number', minimum: 1 }, { type: 'number', minimum: 5 }), ['MINIMUM_INCREASED']);
  assert.deepEqual(diff({ type: 'array', maxItems: 2 }, { type: 'array' }), []);
  assert.deepEqual(diff({ type: 'array' }, { type: 'array', uniqueItems: true }), ['UNIQUE_ITEMS_ADDED']);
  assert.deepEqual(diff({ enum: ['a'] }, { enum: ['a', 'b'] }), []);
  assert.deepEqual(diff({ enum: ['a', 'b'] }, { enum: ['a'] }), ['ENUM_ARRAY_NARROWED']);
});

test('objects: the content model decides about added and removed properties', () => {
  const open = (p: object, extra: object = {}) => ({ type: 'object', properties: p, ...extra });
  const closed = (p: object, extra: object = {}) => open(p, { additionalProperties: false, ...extra });
  const s = { type: 'string' };
  assert.deepEqual(diff(open({}), open({ a: s })), ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL']);
  assert.deepEqual(diff(open({}), open({ a: {} })), [], 'an empty schema accepts what the open model did');
  assert.deepEqual(diff(open({ a: s }), open({})), []);
  assert.deepEqual(diff(closed({}), closed({ a: s })), []);
  assert.deepEqual(diff(closed({}), closed({ a: s }, { required: ['a'] })), [
    'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  ]);
  assert.deepEqual(diff(closed({}), closed({ a: { ...s, default: 'x' } }, { required: ['a'] })), []);
  assert.deepEqual(diff(closed({ a: s }), closed({})), ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL']);
  assert.deepEqual(diff(open({ a: s }), open({ a: s }, { required: ['a'] })), ['REQUIRED_ATTRIBUTE_ADDED']);
  assert.deepEqual(diff(open({ a: s }, { required: ['a'] }), open({ a: s })), []);
  assert.deepEqual(diff(closed({}), open({})), [], 'opening the content model is compatible');
  assert.deepEqual(diff(open({}), closed({})), ['ADDITIONAL_PROPERTIES_REMOVED']);
  const partial = (p: object) => open(p, { additionalProperties: { type: 'string' } });
  assert.deepEqual(diff(partial({}), partial({ a: s })), [], 'covered by additionalProperties');
  assert.deepEqual(diff(partial({}), partial({ a: { type: 'number' } })), [
    'TYPE_CHANGED',
    'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  ]);
  assert.deepEqual(diff(open({ a: { type: 'integer' } }), open({ a: { type: 'string' } })).length, 1);
});

test('combined schemas: anyOf may grow, allOf may shrink, branches must still match', () => {
  const s = { type: 'string' };
  const n = { type: 'number' };
  assert.deepEqual(diff({ anyOf: [s] }, { anyOf: [s, n] }), []);
  assert.deepEqual(diff({ anyOf: [s, n] }, { anyOf: [s] }), ['SUM_TYPE_NARROWED']);
  assert.deepEqual(diff({ allOf: [s, { maxLength: 3 }] }, { allOf: [s] }), []);
  assert.deepEqual(diff({ oneOf: [s, n] }, { anyOf: [s, n] }), []);
  assert.deepEqual(diff({ anyOf: [s, n] }, { oneOf: [s, n] }), ['COMBINED_TYPE_CHANGED']);
  assert.deepEqual(diff({ anyOf: [s, n] }, { anyOf: [s, { type: 'boolean' }] }), ['COMBINED_TYPE_SUBSCHEMAS_CHANGED']);
});

test('$refs are followed on both sides, recursive ones terminate', () => {
  const tree = (leaf: string) => ({
    definitions: {
      Node: {
        type: 'object',
        properties: { v: { type: leaf }, kids: { type: 'array', items: { $ref: '#/definitions/Node' } } },
      },
    },
    $ref: '#/definitions/Node',
  });
  assert.deepEqual(diff(tree('integer'), tree('number')), []);
  assert.deepEqual(diff(tree('number'), tree('integer')), ['TYPE_NARROWED']);
});

const history = (...schemas: unknown[]): SchemaVersion[] =>
  schemas.map((s, i) => ({
    subject: 's',
    version: i + 1,
    id: i + 1,
    schemaType: 'JSON',
    schema: JSON.stringify(s),
    references: [],
    deleted: false,
  }));
const reparse = (v: SchemaVersion) => parseSchema(v.schemaType, v.schema, v.references, () => undefined);
const compatible = (level: CompatibilityLevel, next: unknown, previous: SchemaVersion[]) =>
  checkCompatibility(
    level,
    parseSchema('JSON', JSON.stringify(next), [], () => undefined),
    previous,
    reparse,
  );

test('levels: BACKWARD reads old data with the new schema, FORWARD the reverse, FULL both, transitive all', () => {
  const int = { type: 'object', properties: { a: { type: 'integer' } } };
  const num = { type: 'object', properties: { a: { type: 'number' } } };
  assert.deepEqual(compatible('BACKWARD', num, history(int)), []);
  assert.notDeepEqual(compatible('FORWARD', num, history(int)), []);
  assert.deepEqual(compatible('FORWARD', int, history(num)), []);
  assert.notDeepEqual(compatible('FULL', num, history(int)), []);
  assert.deepEqual(compatible('FULL', int, history(int)), []);
  assert.deepEqual(compatible('NONE', { type: 'string' }, history(int)), []);
  // v1 integer, v2 anything, v3 string: fine against v2, not against v1
  const str = { type: 'object', properties: { a: { type: 'string' } } };
  const any = { type: 'object', properties: { a: {} } };
  assert.deepEqual(compatible('BACKWARD', any, history(int)), []);
  assert.deepEqual(compatible('FORWARD', str, history(int, any)), []);
  const transitive = compatible('FORWARD_TRANSITIVE', str, history(int, any));
  assert.match(transitive.join(' '), /TYPE_CHANGED[\s\S]*oldSchemaVersion: 1/);
  assert.deepEqual(compatible('BACKWARD_TRANSITIVE', num, history(int, int)), []);
  assert.notDeepEqual(compatible('FULL_TRANSITIVE', num, history(num, int)), []);
});
