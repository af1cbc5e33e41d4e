// Avro parsing and canonical text: what decides "same schema, same id" and what is rejected as 42201.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import { AvroSchemaError, canonicalAvro, parseAvro } from '../src/index.ts';

const canon = (s: unknown) => canonicalAvro(parseAvro(s));
const rejects = (s: unknown, pattern: RegExp) =>
  assert.throws(
    () => parseAvro(s),
    (e: Error) => e instanceof AvroSchemaError && pattern.test(e.message),
  );

test('canonical text ignores whitespace and attribute order', () => {
  const a = canon(JSON.parse('{ "fields": [ {"type": "int", "name": "a"} ], "name": "R", "type": "record" }'));
  const b = canon({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] });
  assert.equal(a, b);
  assert.equal(a, '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}');
});

test('canonical text keeps doc, defaults and custom properties, which therefore change identity', () => {
  const plain = canon({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] });
  const doc = canon({ type: 'record', name: 'R', doc: 'd', fields: [{ name: 'a', type: 'int', default: 1 }] });
  assert.notEqual(plain, doc);
  assert.match(doc, /"doc":"d"/);
  assert.match(doc, /"default":1/);
  assert.equal(
    canon({ type: 'long', logicalType: 'timestamp-millis' }),
    '{"type":"long","logicalType":"timestamp-millis"}',
  );
  assert.equal(canon({ type: 'string' }), '"string"');
});

test('a named type is defined once and referred to by name afterwards, relative to its namespace', () => {
  const c = canon({
    type: 'record',
    name: 'com.x.Outer',
    fields: [
      { name: 'a', type: { type: 'fixed', name: 'F', size: 4 } },
      { name: 'b', type: 'F' },
      { name: 'c', type: 'com.x.F' },
      { name: 'd', type: { type: 'enum', name: 'other.E', symbols: ['A'] } },
      { name: 'e', type: 'other.E' },
    ],
  });
  const o = JSON.parse(c);
  assert.equal(o.name, 'Outer');
  assert.equal(o.namespace, 'com.x');
  assert.deepEqual(o.fields[0].type, { type: 'fixed', name: 'F', size: 4 });
  assert.equal(o.fields[1].type, 'F');
  assert.equal(o.fields[2].type, 'F');
  assert.equal(o.fields[3].type.namespace, 'other');
  assert.equal(o.fields[4].type, 'other.E');
});

test('recursive records parse and print', () => {
  const c = canon({
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'v', type: 'int' },
      { name: 'next', type: ['null', 'Node'], default: null },
    ],
  });
  assert.match(c, /\["null","Node"\]/);
});

test('invalid schemas are rejected with a reason', () => {
  rejects({ type: 'recordx' }, /unknown type "recordx"/);
  rejects({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'Missing' }] }, /unknown type "Missing"/);
  rejects(
    {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'a', type: 'int' },
      ],
    },
    /two fields named "a"/,
  );
  rejects(
    { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int', default: 'x' }] },
    /invalid default .* 32-bit integer/,
  );
  rejects({ type: 'record', name: 'R', fields: [{ name: 'a', type: ['null', 'int'], default: 1 }] }, /expected null/);
  rejects({ type: 'enum', name: 'E', symbols: ['A', 'A'] }, /duplicate symbols/);
  rejects({ type: 'enum', name: 'E', symbols: ['A'], default: 'B' }, /not one of its symbols/);
  rejects({ type: 'fixed', name: 'F', size: -1 }, /size/);
  rejects(['int', 'int'], /twice/);
  rejects(['int', ['null']], /another union/);
  rejects({ type: 'record', name: '1bad', fields: [] }, /invalid name/);
  rejects(
    { type: 'record', name: 'R', fields: [{ name: 'a', type: { type: 'record', name: 'R', fields: [] } }] },
    /defined twice/,
  );
});

test('names from references resolve and are not inlined', () => {
  const known = new Map();
  parseAvro({ type: 'record', name: 'Pos', namespace: 'ais', fields: [{ name: 'lat', type: 'double' }] }, known);
  const external = new Set(known.keys());
  const t = parseAvro(
    { type: 'record', name: 'Report', namespace: 'ais', fields: [{ name: 'p', type: 'Pos' }] },
    known,
  );
  assert.equal(
    canonicalAvro(t, external),
    '{"type":"record","name":"Report","namespace":"ais","fields":[{"name":"p","type":"Pos"}]}',
  );
});

const fdd = sharedData('data/fast-data-dev');

test("fast-data-dev's AIS schemas parse", { skip: !fdd && 'no ../shared/data beside the repository' }, () => {
  for (const f of ['classAPositionReportSchema.json', 'classAPositionReportSchemaKey.json']) {
    const t = parseAvro(JSON.parse(readFileSync(`${fdd}/${f}`, 'utf8')));
    assert.equal(t.type, 'record');
  }
});
