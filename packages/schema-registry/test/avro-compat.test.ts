// Avro schema resolution rules, one behaviour per test: can a reader read what a writer wrote?

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAvroCompatibility, type Incompatibility, parseAvro } from '../src/index.ts';

const errors = (reader: unknown, writer: unknown) =>
  checkAvroCompatibility(parseAvro(reader), parseAvro(writer)).map((i) => i.errorType);
const ok = (reader: unknown, writer: unknown) =>
  assert.deepEqual(errors(reader, writer), [], `${JSON.stringify(reader)} reads ${JSON.stringify(writer)}`);
const bad = (reader: unknown, writer: unknown, type: Incompatibility['errorType']) =>
  assert.ok(
    errors(reader, writer).includes(type),
    `${JSON.stringify(reader)} vs ${JSON.stringify(writer)}: ${errors(reader, writer)}`,
  );

const rec = (fields: unknown[], name = 'R') => ({ type: 'record', name, fields });

test('numeric promotions go int -> long -> float -> double, never back', () => {
  ok('long', 'int');
  ok('float', 'int');
  ok('double', 'int');
  ok('float', 'long');
  ok('double', 'long');
  ok('double', 'float');
  bad('int', 'long', 'TYPE_MISMATCH');
  bad('long', 'float', 'TYPE_MISMATCH');
  bad('float', 'double', 'TYPE_MISMATCH');
});

test('string and bytes read each other; other primitives do not mix', () => {
  ok('bytes', 'string');
  ok('string', 'bytes');
  bad('string', 'int', 'TYPE_MISMATCH');
  bad('boolean', 'null', 'TYPE_MISMATCH');
});

test('a reader field missing in the writer needs a default', () => {
  bad(
    rec([
      { name: 'a', type: 'int' },
      { name: 'b', type: 'int' },
    ]),
    rec([{ name: 'a', type: 'int' }]),
    'READER_FIELD_MISSING_DEFAULT_VALUE',
  );
  ok(
    rec([
      { name: 'a', type: 'int' },
      { name: 'b', type: 'int', default: 0 },
    ]),
    rec([{ name: 'a', type: 'int' }]),
  );
});

test('writer-only fields are ignored by the reader', () => {
  ok(
    rec([{ name: 'a', type: 'int' }]),
    rec([
      { name: 'a', type: 'int' },
      { name: 'b', type: 'string' },
    ]),
  );
});

test('field aliases in the reader match a renamed writer field', () => {
  ok(rec([{ name: 'b', type: 'int', aliases: ['a'] }]), rec([{ name: 'a', type: 'int' }]));
  bad(rec([{ name: 'b', type: 'int' }]), rec([{ name: 'a', type: 'int' }]), 'READER_FIELD_MISSING_DEFAULT_VALUE');
});

test('field types are checked recursively with their path', () => {
  const found = checkAvroCompatibility(
    parseAvro(rec([{ name: 'a', type: 'int' }])),
    parseAvro(rec([{ name: 'a', type: 'string' }])),
  );
  assert.equal(found[0]?.errorType, 'TYPE_MISMATCH');
  assert.equal(found[0]?.path, '/fields/0/type');
});

test('enums: writer symbols must be known to the reader unless the reader has a default', () => {
  const e = (symbols: string[], d?: string) => ({ type: 'enum', name: 'E', symbols, ...(d ? { default: d } : {}) });
  ok(e(['A', 'B', 'C']), e(['A', 'B']));
  bad(e(['A']), e(['A', 'B']), 'MISSING_ENUM_SYMBOLS');
  ok(e(['A', 'U'], 'U'), e(['A', 'B']));
});

test('fixed types must keep their size', () => {
  ok({ type: 'fixed', name: 'F', size: 4 }, { type: 'fixed', name: 'F', size: 4 });
  bad({ type: 'fixed', name: 'F', size: 8 }, { type: 'fixed', name: 'F', size: 4 }, 'FIXED_SIZE_MISMATCH');
});

test('named types match by full name, unqualified name or reader alias, not by a different name', () => {
  ok(rec([], 'a.R'), rec([], 'a.R'));
  ok(rec([], 'b.R'), rec([], 'a.R'));
  ok({ ...rec([], 'S'), aliases: ['a.R'] }, rec([], 'a.R'));
  bad(rec([], 'S'), rec([], 'R'), 'NAME_MISMATCH');
  bad({ type: 'enum', name: 'X', symbols: ['A'] }, { type: 'enum', name: 'Y', symbols: ['A'] }, 'NAME_MISMATCH');
});

test('arrays and maps compare their items and values', () => {
  ok({ type: 'array', items: 'long' }, { type: 'array', items: 'int' });
  bad({ type: 'array', items: 'int' }, { type: 'array', items: 'long' }, 'TYPE_MISMATCH');
  ok({ type: 'map', values: 'double' }, { type: 'map', values: 'float' });
  bad({ type: 'map', values: 'int' }, { type: 'map', values: 'string' }, 'TYPE_MISMATCH');
  bad({ type: 'map', values: 'int' }, { type: 'array', items: 'int' }, 'TYPE_MISMATCH');
});

test('a reader union must have a branch for the writer type', () => {
  ok(['null', 'string'], 'string');
  ok(['null', 'long'], 'int');
  bad(['null', 'string'], 'int', 'MISSING_UNION_BRANCH');
});

test('every branch of a writer union must be readable', () => {
  ok(['null', 'string', 'int'], ['null', 'string']);
  bad(['null', 'string'], ['null', 'string', 'int'], 'MISSING_UNION_BRANCH');
  ok('long', ['int', 'long']);
  bad('string', ['null', 'string'], 'TYPE_MISMATCH');
});

test('recursive types terminate', () => {
  const list = (extra: unknown[]) =>
    rec([{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'L'] }, ...extra], 'L');
  ok(list([]), list([]));
  bad(list([{ name: 'x', type: 'int' }]), list([]), 'READER_FIELD_MISSING_DEFAULT_VALUE');
});
