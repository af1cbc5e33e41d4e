// Compatibility levels over a subject's history: direction (BACKWARD reads old data with the new
// schema, FORWARD the reverse, FULL both) and reach (latest only, or every version when transitive).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCompatibility, parseSchema } from '../src/schema-types.ts';
import type { CompatibilityLevel, SchemaVersion } from '../src/types.ts';

const noRefs = () => undefined;
const parse = (o: unknown) => parseSchema('AVRO', JSON.stringify(o), [], noRefs);
const rec = (fields: unknown[]) => ({ type: 'record', name: 'R', fields });
const history = (...schemas: unknown[]): SchemaVersion[] =>
  schemas.map((s, i) => ({
    subject: 's',
    version: i + 1,
    id: i + 1,
    schemaType: 'AVRO',
    schema: parse(s).canonical,
    references: [],
    deleted: false,
  }));
const reparse = (v: SchemaVersion) => parseSchema(v.schemaType, v.schema, v.references, noRefs);
const compatible = (level: CompatibilityLevel, next: unknown, previous: SchemaVersion[]) =>
  checkCompatibility(level, parse(next), previous, reparse).length === 0;

const a = { name: 'a', type: 'int' };
const b = { name: 'b', type: 'int' };
const bDefault = { name: 'b', type: 'int', default: 0 };

test('BACKWARD allows adding a field with a default and refuses one without', () => {
  const h = history(rec([a]));
  assert.ok(compatible('BACKWARD', rec([a, bDefault]), h));
  assert.ok(!compatible('BACKWARD', rec([a, b]), h));
});

test('FORWARD allows removing a field the old schema can default, and adding any field', () => {
  assert.ok(compatible('FORWARD', rec([a, b]), history(rec([a]))));
  assert.ok(!compatible('FORWARD', rec([a]), history(rec([a, b]))));
  assert.ok(compatible('FORWARD', rec([a]), history(rec([a, bDefault]))));
});

test('FULL needs both directions', () => {
  assert.ok(!compatible('FULL', rec([a, b]), history(rec([a]))));
  assert.ok(compatible('FULL', rec([a, bDefault]), history(rec([a]))));
});

test('plain levels look at the latest version only, transitive levels at every version', () => {
  // v1 {a}, v2 {b}: the candidate {b, c} reads v2 but not v1 (no a, and a has no default to add)
  const h = history(rec([a]), rec([b]));
  const next = rec([b, { name: 'c', type: 'int', default: 0 }]);
  assert.ok(compatible('BACKWARD', next, h));
  assert.ok(!compatible('BACKWARD_TRANSITIVE', next, h));
  // FORWARD: old schemas must read the new one; v1 {a} cannot read data without a
  assert.ok(compatible('FORWARD', rec([b]), h));
  assert.ok(!compatible('FORWARD_TRANSITIVE', rec([b]), h));
  assert.ok(compatible('FULL', rec([b, { name: 'c', type: 'int', default: 0 }]), h));
  assert.ok(!compatible('FULL_TRANSITIVE', rec([b, { name: 'c', type: 'int', default: 0 }]), h));
});

test('NONE accepts anything, including a change of type', () => {
  assert.ok(compatible('NONE', 'string', history(rec([a]))));
  assert.ok(!compatible('BACKWARD', 'string', history(rec([a]))));
});

test('a change of schema type is incompatible under any level but NONE', () => {
  const json = parseSchema('JSON', '{"type":"object"}', [], noRefs);
  const messages = checkCompatibility('BACKWARD', json, history(rec([a])), reparse);
  assert.match(messages[0] ?? '', /Incompatible schema type: AVRO to JSON/);
});

test('messages name the old version, its schema and the level', () => {
  const messages = checkCompatibility('BACKWARD', parse(rec([a, b])), history(rec([a])), reparse);
  assert.ok(messages.includes('{oldSchemaVersion: 1}'));
  assert.ok(messages.includes("{compatibility: 'BACKWARD'}"));
  assert.ok(messages.some((m) => m.startsWith("{oldSchema: '")));
});
