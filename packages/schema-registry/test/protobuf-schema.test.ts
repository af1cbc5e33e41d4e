// Protobuf support: parsing (protobufjs), imports satisfied by references, the canonical printer,
// and Confluent's compatibility rules under each level.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError } from '../src/errors.ts';
import { diffProtobuf } from '../src/protobuf/compat.ts';
import { parseProtobuf } from '../src/protobuf/schema.ts';
import { checkCompatibility, parseSchema } from '../src/schema-types.ts';
import type { CompatibilityLevel, SchemaVersion } from '../src/types.ts';

const proto3 = (body: string, pkg = 'ais') => `syntax = "proto3";\npackage ${pkg};\n${body}`;
const diff = (original: string, update: string) =>
  diffProtobuf(parseProtobuf(proto3(original), []), parseProtobuf(proto3(update), [])).map((d) => d.type);
const invalid = (text: string, pattern: RegExp) =>
  assert.throws(
    () => parseSchema('PROTOBUF', text, [], () => undefined),
    (e: Error) => e instanceof RegistryError && e.errorCode === 42201 && pattern.test(e.message),
    text,
  );

test('bad syntax, unknown types and imports without a reference are refused with 42201', () => {
  invalid('message X {', /does not parse/);
  invalid(proto3('message X { int64 a = 1 }'), /does not parse/);
  invalid(proto3('message X { Missing m = 1; }'), /unresolved type.*Missing/);
  invalid(proto3('import "pos.proto";\nmessage X { Pos p = 1; }'), /imports "pos\.proto" but no reference/);
  invalid('syntax = "proto3";', /defines no message/);
});

test('imports resolve through references; well-known google/protobuf types need none', () => {
  const pos = { name: 'pos.proto', schema: proto3('message Pos { double lat = 1; double lon = 2; }') };
  const p = parseProtobuf(
    proto3(
      'import "pos.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Ship { Pos at = 1; google.protobuf.Timestamp seen = 2; }',
    ),
    [pos],
  );
  assert.deepEqual(p.topLevel, ['ais.Ship'], 'referenced types are not part of this file');
  const lookup = (r: { subject: string; version: number }) =>
    r.subject === 'pos'
      ? ({
          subject: 'pos',
          version: 1,
          id: 1,
          schemaType: 'PROTOBUF',
          schema: pos.schema,
          references: [],
          deleted: false,
        } as SchemaVersion)
      : undefined;
  assert.doesNotThrow(() =>
    parseSchema(
      'PROTOBUF',
      proto3('import "pos.proto";\nmessage Ship { Pos at = 1; }'),
      [{ name: 'pos.proto', subject: 'pos', version: 1 }],
      lookup,
    ),
  );
});

test('the canonical text drops comments and formatting but keeps content', () => {
  const a = parseProtobuf(
    '// ships\nsyntax="proto3";package ais;message Ship{int64 mmsi=1;/* x */ repeated string names=2;oneof o{string a=3;int32 b=4;}map<string,int64> m=5;enum K{A=0;}}',
    [],
  );
  assert.equal(
    a.canonical,
    'syntax = "proto3";\npackage ais;\n\nmessage Ship {\n  int64 mmsi = 1;\n  repeated string names = 2;\n  oneof o {\n    string a = 3;\n    int32 b = 4;\n  }\n  map<string, int64> m = 5;\n  enum K {\n    A = 0;\n  }\n}\n',
  );
  assert.equal(parseProtobuf(a.canonical, []).canonical, a.canonical, 'printing is stable');
  assert.notEqual(
    parseProtobuf(proto3('message Ship { int64 mmsi = 2; }'), []).canonical,
    parseProtobuf(proto3('message Ship { int64 mmsi = 1; }'), []).canonical,
  );
});

test('fields: added and removed are compatible, kinds and wire groups must stay', () => {
  assert.deepEqual(diff('message S { int64 a = 1; }', 'message S { int64 a = 1; string b = 2; }'), []);
  assert.deepEqual(diff('message S { int64 a = 1; string b = 2; }', 'message S { int64 a = 1; }'), []);
  assert.deepEqual(diff('message S { int64 a = 1; }', 'message S { int64 renamed = 1; }'), []);
  assert.deepEqual(diff('message S { int32 a = 1; }', 'message S { uint64 a = 1; }'), [], 'one varint group');
  assert.deepEqual(diff('message S { string a = 1; }', 'message S { bytes a = 1; }'), []);
  assert.deepEqual(diff('message S { int32 a = 1; }', 'message S { sint32 a = 1; }'), ['FIELD_SCALAR_KIND_CHANGED']);
  assert.deepEqual(diff('message S { int64 a = 1; }', 'message S { string a = 1; }'), ['FIELD_SCALAR_KIND_CHANGED']);
  assert.deepEqual(diff('message S { int64 a = 1; }', 'message S { T a = 1; } message T {}'), ['FIELD_KIND_CHANGED']);
  assert.deepEqual(diff('message S { map<string, int32> a = 1; }', 'message S { map<string, string> a = 1; }'), [
    'FIELD_SCALAR_KIND_CHANGED',
  ]);
  assert.deepEqual(
    diff('enum E { A = 0; } message S { E a = 1; }', 'message S { int32 a = 1; }'),
    [],
    'enums are varints',
  );
});

test("messages: removing one or changing a field's message type is incompatible", () => {
  assert.deepEqual(diff('message S { int64 a = 1; }', 'message T { int64 a = 1; }'), ['MESSAGE_REMOVED']);
  assert.deepEqual(diff('message S {}', 'message S {} message T {}'), []);
  assert.deepEqual(
    diff('message S { A a = 1; } message A {} message B {}', 'message S { B a = 1; } message A {} message B {}'),
    ['FIELD_NAMED_TYPE_CHANGED'],
  );
  const nested = diff(
    'message S { A a = 1; } message A { int64 x = 1; }',
    'message S { A a = 1; } message A { string x = 1; }',
  );
  assert.ok(nested.includes('FIELD_SCALAR_KIND_CHANGED') && nested.includes('FIELD_NAMED_TYPE_CHANGED'), nested.join());
  assert.deepEqual(
    diffProtobuf(parseProtobuf(proto3('message S {}', 'a'), []), parseProtobuf(proto3('message S {}', 'b'), [])).map(
      (d) => d.type,
    ),
    ['PACKAGE_CHANGED'],
  );
  assert.deepEqual(diff('message S { message N { int64 x = 1; } }', 'message S { message N { string x = 1; } }'), [
    'FIELD_SCALAR_KIND_CHANGED',
  ]);
});

test('oneofs and proto2 required fields follow Confluent', () => {
  assert.deepEqual(
    diff('message S { oneof o { int64 a = 1; } }', 'message S { oneof o { int64 a = 1; string b = 2; } }'),
    [],
  );
  assert.deepEqual(
    diff('message S { oneof o { int64 a = 1; string b = 2; } }', 'message S { oneof o { int64 a = 1; } }'),
    ['ONEOF_FIELD_REMOVED'],
  );
  assert.deepEqual(
    diff('message S { int64 a = 1; }', 'message S { oneof o { int64 a = 1; } }'),
    [],
    'one field moved into a new oneof',
  );
  assert.deepEqual(
    diff('message S { int64 a = 1; string b = 2; }', 'message S { oneof o { int64 a = 1; string b = 2; } }'),
    ['MULTIPLE_FIELDS_MOVED_TO_ONEOF'],
  );
  const p2 = (body: string) => parseProtobuf(`syntax = "proto2";\n${body}`, []);
  assert.deepEqual(
    diffProtobuf(
      p2('message S { optional int32 a = 1; }'),
      p2('message S { optional int32 a = 1; required int32 b = 2; }'),
    ).map((d) => d.type),
    ['REQUIRED_FIELD_ADDED'],
  );
  assert.deepEqual(
    diffProtobuf(p2('message S { required int32 a = 1; }'), p2('message S { }')).map((d) => d.type),
    ['REQUIRED_FIELD_REMOVED'],
  );
});

const history = (...bodies: string[]): SchemaVersion[] =>
  bodies.map((b, i) => ({
    subject: 's',
    version: i + 1,
    id: i + 1,
    schemaType: 'PROTOBUF',
    schema: parseProtobuf(proto3(b), []).canonical,
    references: [],
    deleted: false,
  }));
const reparse = (v: SchemaVersion) => parseSchema(v.schemaType, v.schema, v.references, () => undefined);
const check = (level: CompatibilityLevel, next: string, previous: SchemaVersion[]) =>
  checkCompatibility(
    level,
    parseSchema('PROTOBUF', proto3(next), [], () => undefined),
    previous,
    reparse,
  );

test('levels: plain levels check the latest version, transitive ones every version, messages as Confluent', () => {
  const v1 = 'message S { int64 a = 1; }';
  const v2 = 'message S { }';
  const v3 = 'message S { string a = 1; }';
  assert.deepEqual(check('BACKWARD', v3, history(v1, v2)), []);
  const transitive = check('BACKWARD_TRANSITIVE', v3, history(v1, v2));
  assert.deepEqual(transitive.slice(1), [
    '{oldSchemaVersion: 1}',
    `{oldSchema: '${history(v1)[0]?.schema}'}`,
    "{compatibility: 'BACKWARD_TRANSITIVE'}",
  ]);
  assert.match(transitive[0] ?? '', /^\{errorType:"FIELD_SCALAR_KIND_CHANGED", description:".*#\/S\/1.*"\}$/);
  assert.deepEqual(check('FORWARD', v3, history(v1, v2)), []);
  assert.notDeepEqual(check('FORWARD_TRANSITIVE', v3, history(v1, v2)), []);
  assert.notDeepEqual(check('FULL', 'message T {}', history(v1)), []);
  assert.deepEqual(check('FULL_TRANSITIVE', 'message S { int64 a = 1; string b = 2; }', history(v1, v1)), []);
  assert.deepEqual(check('NONE', 'message T {}', history(v1)), []);
});
