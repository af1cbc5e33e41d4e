// The REST contract: Confluent's shapes, status codes and error codes, run on the memory store and on
// real Apache Kafka as storage.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { avro, backends, call } from './helpers.ts';

const v1 = avro({ type: 'record', name: 'Ship', namespace: 'ais', fields: [{ name: 'mmsi', type: 'long' }] });
const v2 = avro({
  type: 'record',
  name: 'Ship',
  namespace: 'ais',
  fields: [
    { name: 'mmsi', type: 'long' },
    { name: 'name', type: 'string', default: '' },
  ],
});
const v2NoDefault = avro({
  type: 'record',
  name: 'Ship',
  namespace: 'ais',
  fields: [
    { name: 'mmsi', type: 'long' },
    { name: 'name', type: 'string' },
  ],
});

for (const b of backends) {
  describe(`REST contract on ${b.name} storage`, { skip: b.skip }, () => {
    let r: RunningSchemaRegistry;
    let url: string;
    const api = (method: string, path: string, body?: unknown) => call(url, method, path, body);
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('contract')) });
      url = r.url;
    });
    after(() => r?.close());

    test('GET / and /schemas/types answer with the registry content type', async () => {
      const root = await api('GET', '/');
      assert.equal(root.status, 200);
      assert.deepEqual(root.body, {});
      assert.match(root.contentType ?? '', /^application\/vnd\.schemaregistry\.v1\+json/);
      assert.deepEqual((await api('GET', '/schemas/types')).body.sort(), ['AVRO', 'JSON', 'PROTOBUF']);
    });

    test('register returns an id; the same schema again returns the same id and no new version', async () => {
      const a = await api('POST', '/subjects/reg-value/versions', { schema: v1 });
      assert.equal(a.status, 200);
      assert.deepEqual(Object.keys(a.body), ['id']);
      const again = await api('POST', '/subjects/reg-value/versions', {
        schema: ` ${JSON.stringify(JSON.parse(v1), null, 2)} `,
      });
      assert.equal(again.body.id, a.body.id);
      assert.deepEqual((await api('GET', '/subjects/reg-value/versions')).body, [1]);
      const other = await api('POST', '/subjects/reg-other/versions', { schema: v1 });
      assert.equal(other.body.id, a.body.id, 'the same schema under another subject keeps its id');
    });

    test('schemas by id: schema, subjects and versions', async () => {
      const { id } = (await api('POST', '/subjects/byid-value/versions', { schema: v2 })).body;
      const s = await api('GET', `/schemas/ids/${id}`);
      assert.equal(s.status, 200);
      assert.deepEqual(Object.keys(s.body), ['schema']);
      assert.deepEqual(JSON.parse(s.body.schema), JSON.parse(v2));
      assert.deepEqual((await api('GET', `/schemas/ids/${id}/schema`)).body, JSON.parse(v2));
      assert.deepEqual((await api('GET', `/schemas/ids/${id}/subjects`)).body, ['byid-value']);
      assert.deepEqual((await api('GET', `/schemas/ids/${id}/versions`)).body, [{ subject: 'byid-value', version: 1 }]);
      const missing = await api('GET', '/schemas/ids/999999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, 40403);
    });

    test('subject versions: by number, latest, -1, raw schema; errors 40401, 40402, 42202', async () => {
      await api('POST', '/subjects/ver-value/versions', { schema: v1 });
      const { id } = (await api('POST', '/subjects/ver-value/versions', { schema: v2 })).body;
      const latest = await api('GET', '/subjects/ver-value/versions/latest');
      assert.deepEqual(Object.keys(latest.body), ['subject', 'version', 'id', 'schema']);
      assert.equal(latest.body.version, 2);
      assert.equal(latest.body.id, id);
      assert.equal((await api('GET', '/subjects/ver-value/versions/-1')).body.version, 2);
      assert.equal((await api('GET', '/subjects/ver-value/versions/1')).body.version, 1);
      assert.deepEqual((await api('GET', '/subjects/ver-value/versions/2/schema')).body, JSON.parse(v2));
      assert.equal((await api('GET', '/subjects/nope/versions/1')).body.error_code, 40401);
      assert.equal((await api('GET', '/subjects/nope/versions')).body.error_code, 40401);
      const v9 = await api('GET', '/subjects/ver-value/versions/9');
      assert.equal(v9.status, 404);
      assert.equal(v9.body.error_code, 40402);
      for (const bad of ['abc', '0', '-2']) {
        const x = await api('GET', `/subjects/ver-value/versions/${bad}`);
        assert.equal(x.status, 422);
        assert.equal(x.body.error_code, 42202);
      }
      assert.ok((await api('GET', '/subjects')).body.includes('ver-value'));
    });

    test('lookup finds the version of a registered schema, or 40403 / 40401', async () => {
      await api('POST', '/subjects/look-value/versions', { schema: v1 });
      const found = await api('POST', '/subjects/look-value', { schema: v1 });
      assert.equal(found.status, 200);
      assert.equal(found.body.subject, 'look-value');
      assert.equal(found.body.version, 1);
      assert.equal(typeof found.body.id, 'number');
      assert.equal((await api('POST', '/subjects/look-value', { schema: v2 })).body.error_code, 40403);
      assert.equal((await api('POST', '/subjects/look-missing', { schema: v1 })).body.error_code, 40401);
    });

    test('an incompatible register answers 409 with error 40901 and the reason', async () => {
      await api('POST', '/subjects/inc-value/versions', { schema: v1 });
      const x = await api('POST', '/subjects/inc-value/versions', { schema: v2NoDefault });
      assert.equal(x.status, 409);
      assert.equal(x.body.error_code, 40901);
      assert.match(x.body.message, /READER_FIELD_MISSING_DEFAULT_VALUE/);
      assert.equal((await api('POST', '/subjects/inc-value/versions', { schema: v2 })).status, 200);
    });

    test('compatibility endpoint: is_compatible, verbose messages, missing version and subject', async () => {
      await api('POST', '/subjects/cmp-value/versions', { schema: v1 });
      const yes = await api('POST', '/compatibility/subjects/cmp-value/versions/latest', { schema: v2 });
      assert.deepEqual(yes.body, { is_compatible: true });
      const no = await api('POST', '/compatibility/subjects/cmp-value/versions/1?verbose=true', {
        schema: v2NoDefault,
      });
      assert.equal(no.body.is_compatible, false);
      assert.ok(no.body.messages.some((m: string) => m.includes('READER_FIELD_MISSING_DEFAULT_VALUE')));
      assert.equal(
        (await api('POST', '/compatibility/subjects/cmp-value/versions/7', { schema: v2 })).body.error_code,
        40402,
      );
      assert.equal(
        (await api('POST', '/compatibility/subjects/cmp-none/versions/latest', { schema: v2 })).body.error_code,
        40401,
      );
      assert.deepEqual((await api('POST', '/compatibility/subjects/cmp-none/versions', { schema: v2 })).body, {
        is_compatible: true,
      });
    });

    test('invalid schemas answer 422 with 42201 and the parser message', async () => {
      const x = await api('POST', '/subjects/bad-value/versions', {
        schema: '{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}',
      });
      assert.equal(x.status, 422);
      assert.equal(x.body.error_code, 42201);
      assert.match(x.body.message, /unknown type "nope"/);
      assert.equal((await api('POST', '/subjects/bad-value/versions', { schema: 'not json' })).body.error_code, 42201);
      assert.equal((await api('POST', '/subjects/bad-value/versions', {})).body.error_code, 42201);
      assert.equal(
        (await api('POST', '/subjects/bad-value/versions', { schema: '{}', schemaType: 'XML' })).body.error_code,
        42201,
      );
    });

    test('bad bodies: 415 for other content types, 400 for malformed JSON, 413 over the limit', async () => {
      const plain = await fetch(`${url}/subjects/body-value/versions`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      });
      assert.equal(plain.status, 415);
      const broken = await fetch(`${url}/subjects/body-value/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{oops',
      });
      assert.equal(broken.status, 400);
      assert.equal(((await broken.json()) as { error_code: number }).error_code, 400);
      const huge = await fetch(`${url}/subjects/body-value/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ schema: 'x'.repeat(2 * 1024 * 1024) }),
      });
      assert.equal(huge.status, 413);
      const json = await fetch(`${url}/subjects/body-value/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ schema: v1 }),
      });
      assert.equal(json.status, 200, 'application/json is accepted too');
    });

    test("bodiless requests with a JSON content type work, as Confluent's Java client sends them", async () => {
      const bare = (method: string, path: string, type: string) =>
        fetch(url + path, { method, headers: { 'content-type': type } }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as unknown,
        }));
      const sr = 'application/vnd.schemaregistry.v1+json';
      await api('POST', '/subjects/bare-value/versions', { schema: v1 });
      await api('POST', '/subjects/bare-value/versions', { schema: v2 });
      await api('PUT', '/config/bare-value', { compatibility: 'FULL' });
      await api('PUT', '/mode/bare-value', { mode: 'READWRITE' });
      assert.deepEqual(await bare('GET', '/subjects/bare-value/versions', sr), { status: 200, body: [1, 2] });
      assert.deepEqual(await bare('GET', '/config', 'application/json'), {
        status: 200,
        body: { compatibilityLevel: 'BACKWARD' },
      });
      assert.deepEqual(await bare('DELETE', '/config/bare-value', sr), {
        status: 200,
        body: { compatibilityLevel: 'FULL' },
      });
      assert.deepEqual(await bare('DELETE', '/mode/bare-value', 'application/json'), {
        status: 200,
        body: { mode: 'READWRITE' },
      });
      assert.deepEqual(await bare('DELETE', '/subjects/bare-value/versions/2', sr), { status: 200, body: 2 });
      assert.deepEqual(await bare('DELETE', '/subjects/bare-value', 'application/json'), { status: 200, body: [1] });
      assert.deepEqual(await bare('DELETE', '/subjects/bare-value?permanent=true', sr), {
        status: 200,
        body: [1, 2],
      });
      const noSchema = await bare('POST', '/subjects/bare-value/versions', sr);
      assert.equal(noSchema.status, 400, 'a register without a body is refused with a reason');
    });

    test('soft and permanent deletes of versions, with 40406 and 40407', async () => {
      await api('POST', '/subjects/delv-value/versions', { schema: v1 });
      await api('POST', '/subjects/delv-value/versions', { schema: v2 });
      assert.equal((await api('DELETE', '/subjects/delv-value/versions/1?permanent=true')).body.error_code, 40407);
      const soft = await api('DELETE', '/subjects/delv-value/versions/1');
      assert.equal(soft.status, 200);
      assert.equal(soft.body, 1);
      assert.deepEqual((await api('GET', '/subjects/delv-value/versions')).body, [2]);
      assert.deepEqual((await api('GET', '/subjects/delv-value/versions?deleted=true')).body, [1, 2]);
      assert.equal((await api('GET', '/subjects/delv-value/versions/1')).body.error_code, 40402);
      assert.equal((await api('GET', '/subjects/delv-value/versions/1?deleted=true')).body.version, 1);
      assert.equal((await api('DELETE', '/subjects/delv-value/versions/1')).body.error_code, 40406);
      assert.equal((await api('DELETE', '/subjects/delv-value/versions/1?permanent=true')).body, 1);
      assert.deepEqual((await api('GET', '/subjects/delv-value/versions?deleted=true')).body, [2]);
    });

    test('soft and permanent deletes of subjects, with 40404 and 40405; versions continue after a soft delete', async () => {
      const { id } = (await api('POST', '/subjects/dels-value/versions', { schema: v1 })).body;
      assert.equal((await api('DELETE', '/subjects/dels-value?permanent=true')).body.error_code, 40405);
      assert.deepEqual((await api('DELETE', '/subjects/dels-value')).body, [1]);
      assert.ok(!(await api('GET', '/subjects')).body.includes('dels-value'));
      assert.ok((await api('GET', '/subjects?deleted=true')).body.includes('dels-value'));
      assert.equal((await api('DELETE', '/subjects/dels-value')).body.error_code, 40404);
      assert.equal((await api('GET', `/schemas/ids/${id}`)).status, 200, 'a soft-deleted schema stays readable by id');
      const again = await api('POST', '/subjects/dels-value/versions', { schema: v1 });
      assert.equal(again.body.id, id);
      assert.equal((await api('GET', '/subjects/dels-value/versions/latest')).body.version, 2);
      await api('DELETE', '/subjects/dels-value');
      assert.deepEqual((await api('DELETE', '/subjects/dels-value?permanent=true')).body, [1, 2]);
      assert.equal((await api('GET', '/subjects/dels-value/versions?deleted=true')).body.error_code, 40401);
      assert.equal((await api('DELETE', '/subjects/dels-value')).body.error_code, 40401);
    });

    test('global config: default BACKWARD, PUT answers {compatibility}, 42203 for an unknown level, DELETE resets', async () => {
      assert.deepEqual((await api('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
      assert.deepEqual((await api('PUT', '/config', { compatibility: 'FULL' })).body, { compatibility: 'FULL' });
      assert.deepEqual((await api('GET', '/config')).body, { compatibilityLevel: 'FULL' });
      const bad = await api('PUT', '/config', { compatibility: 'SIDEWAYS' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error_code, 42203);
      assert.deepEqual((await api('DELETE', '/config')).body, { compatibilityLevel: 'FULL' });
      assert.deepEqual((await api('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    });

    test('subject config: 40408 when unset, defaultToGlobal, NONE lets anything register', async () => {
      await api('POST', '/subjects/cfg-value/versions', { schema: v1 });
      const unset = await api('GET', '/config/cfg-value');
      assert.equal(unset.status, 404);
      assert.equal(unset.body.error_code, 40408);
      assert.deepEqual((await api('GET', '/config/cfg-value?defaultToGlobal=true')).body, {
        compatibilityLevel: 'BACKWARD',
      });
      assert.deepEqual((await api('PUT', '/config/cfg-value', { compatibility: 'NONE' })).body, {
        compatibility: 'NONE',
      });
      assert.deepEqual((await api('GET', '/config/cfg-value')).body, { compatibilityLevel: 'NONE' });
      assert.equal((await api('POST', '/subjects/cfg-value/versions', { schema: '"string"' })).status, 200);
      assert.deepEqual((await api('DELETE', '/config/cfg-value')).body, { compatibilityLevel: 'NONE' });
      assert.equal((await api('DELETE', '/config/cfg-value')).body.error_code, 40408);
    });

    test('transitive levels check every earlier version, plain levels only the latest', async () => {
      const s = (fields: unknown[]) => avro({ type: 'record', name: 'T', fields });
      await api('PUT', '/config/tr-value', { compatibility: 'NONE' });
      await api('POST', '/subjects/tr-value/versions', { schema: s([{ name: 'a', type: 'int' }]) });
      await api('POST', '/subjects/tr-value/versions', { schema: s([{ name: 'b', type: 'int' }]) });
      const third = s([
        { name: 'b', type: 'int' },
        { name: 'c', type: 'int', default: 0 },
      ]);
      await api('PUT', '/config/tr-value', { compatibility: 'BACKWARD_TRANSITIVE' });
      assert.equal((await api('POST', '/subjects/tr-value/versions', { schema: third })).status, 409);
      await api('PUT', '/config/tr-value', { compatibility: 'BACKWARD' });
      assert.equal((await api('POST', '/subjects/tr-value/versions', { schema: third })).status, 200);
    });

    test('FORWARD and FULL check the other direction', async () => {
      const removeField = avro({ type: 'record', name: 'Ship', namespace: 'ais', fields: [] });
      await api('POST', '/subjects/fwd-value/versions', { schema: v1 });
      await api('PUT', '/config/fwd-value', { compatibility: 'FORWARD' });
      assert.equal(
        (await api('POST', '/compatibility/subjects/fwd-value/versions/latest', { schema: removeField })).body
          .is_compatible,
        false,
      );
      assert.equal(
        (await api('POST', '/compatibility/subjects/fwd-value/versions/latest', { schema: v2NoDefault })).body
          .is_compatible,
        true,
      );
      await api('PUT', '/config/fwd-value', { compatibility: 'FULL' });
      assert.equal(
        (await api('POST', '/compatibility/subjects/fwd-value/versions/latest', { schema: v2NoDefault })).body
          .is_compatible,
        false,
      );
      assert.equal(
        (await api('POST', '/compatibility/subjects/fwd-value/versions/latest', { schema: v2 })).body.is_compatible,
        true,
      );
    });

    test('references: a schema using a named type of another subject, referencedby, and 42206 on delete', async () => {
      const pos = avro({ type: 'record', name: 'Pos', namespace: 'ais', fields: [{ name: 'lat', type: 'double' }] });
      const posId = (await api('POST', '/subjects/ref-pos/versions', { schema: pos })).body.id;
      const report = avro({ type: 'record', name: 'Report', namespace: 'ais', fields: [{ name: 'p', type: 'Pos' }] });
      const missingRef = await api('POST', '/subjects/ref-report/versions', { schema: report });
      assert.equal(missingRef.body.error_code, 42201);
      const references = [{ name: 'ais.Pos', subject: 'ref-pos', version: 1 }];
      const { id } = (await api('POST', '/subjects/ref-report/versions', { schema: report, references })).body;
      assert.notEqual(id, posId);
      const byId = await api('GET', `/schemas/ids/${id}`);
      assert.deepEqual(byId.body.references, references);
      assert.equal(JSON.parse(byId.body.schema).fields[0].type, 'Pos');
      assert.deepEqual((await api('GET', '/subjects/ref-report/versions/1')).body.references, references);
      assert.deepEqual((await api('GET', '/subjects/ref-pos/versions/1/referencedby')).body, [id]);
      const del = await api('DELETE', '/subjects/ref-pos/versions/1');
      assert.equal(del.status, 422);
      assert.equal(del.body.error_code, 42206);
    });

    test("JSON Schema and Protobuf references: $ref and import name another subject's version", async () => {
      const pos = JSON.stringify({ type: 'object', properties: { lat: { type: 'number' } } });
      await api('POST', '/subjects/jref-pos/versions', { schema: pos, schemaType: 'JSON' });
      const ship = JSON.stringify({ type: 'object', properties: { at: { $ref: 'pos.json' } } });
      const noRef = await api('POST', '/subjects/jref-ship/versions', { schema: ship, schemaType: 'JSON' });
      assert.equal(noRef.body.error_code, 42201, 'a $ref without its reference is invalid');
      const references = [{ name: 'pos.json', subject: 'jref-pos', version: 1 }];
      const j = await api('POST', '/subjects/jref-ship/versions', { schema: ship, schemaType: 'JSON', references });
      assert.equal(j.status, 200);
      assert.deepEqual((await api('GET', `/schemas/ids/${j.body.id}`)).body.references, references);
      assert.deepEqual((await api('GET', '/subjects/jref-pos/versions/1/referencedby')).body, [j.body.id]);
      const lookedUp = await api('POST', '/subjects/jref-ship', { schema: ship, schemaType: 'JSON', references });
      assert.equal(lookedUp.body.id, j.body.id);

      const posProto = 'syntax = "proto3";\npackage ais;\nmessage Pos { double lat = 1; }\n';
      await api('POST', '/subjects/pref-pos/versions', { schema: posProto, schemaType: 'PROTOBUF' });
      const shipProto = 'syntax = "proto3";\npackage ais;\nimport "pos.proto";\nmessage Ship { Pos at = 1; }\n';
      const missing = await api('POST', '/subjects/pref-ship/versions', { schema: shipProto, schemaType: 'PROTOBUF' });
      assert.equal(missing.status, 422);
      assert.equal(missing.body.error_code, 42201);
      assert.match(missing.body.message, /pos\.proto/);
      const protoRefs = [{ name: 'pos.proto', subject: 'pref-pos', version: 1 }];
      const p = await api('POST', '/subjects/pref-ship/versions', {
        schema: shipProto,
        schemaType: 'PROTOBUF',
        references: protoRefs,
      });
      assert.equal(p.status, 200);
      const got = await api('GET', `/schemas/ids/${p.body.id}`);
      assert.deepEqual(got.body.references, protoRefs);
      assert.equal(got.body.schemaType, 'PROTOBUF');
      assert.deepEqual((await api('GET', `/schemas/ids/${p.body.id}/versions`)).body, [
        { subject: 'pref-ship', version: 1 },
      ]);
      const del = await api('DELETE', '/subjects/pref-pos');
      assert.equal(del.body.error_code, 42206);
      assert.equal(
        del.body.message,
        'One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=pref-pos,version=1}.',
      );
    });

    test('normalize=true: JSON key order no longer changes identity', async () => {
      const a = '{"type":"object","properties":{"x":{"type":"string"}}}';
      const b = '{"properties":{"x":{"type":"string"}},"type":"object"}';
      const first = await api('POST', '/subjects/norm-value/versions?normalize=true', {
        schema: a,
        schemaType: 'JSON',
      });
      const second = await api('POST', '/subjects/norm-value/versions?normalize=true', {
        schema: b,
        schemaType: 'JSON',
      });
      assert.equal(second.body.id, first.body.id);
      assert.deepEqual((await api('GET', '/subjects/norm-value/versions')).body, [1]);
      const found = await api('POST', '/subjects/norm-value?normalize=true', { schema: a, schemaType: 'JSON' });
      assert.equal(found.body.version, 1);
      const plain = await api('POST', '/subjects/plain-value/versions', { schema: a, schemaType: 'JSON' });
      const other = await api('POST', '/subjects/plain-value/versions', { schema: b, schemaType: 'JSON' });
      assert.notEqual(other.body.id, plain.body.id, 'without normalize key order is part of the schema');
    });

    test('GET /contexts lists the default context', async () => {
      assert.deepEqual((await api('GET', '/contexts')).body, ['.']);
    });

    test('JSON and PROTOBUF schemas are validated, served with their schemaType, and identical ones keep their id', async () => {
      const json = '{"type":"object","properties":{"a":{"type":"integer"}}}';
      const j = await api('POST', '/subjects/json-value/versions', { schema: json, schemaType: 'JSON' });
      assert.equal(j.status, 200);
      const got = await api('GET', `/schemas/ids/${j.body.id}`);
      assert.equal(got.body.schemaType, 'JSON');
      assert.deepEqual(JSON.parse(got.body.schema), JSON.parse(json));
      const spaced = JSON.stringify(JSON.parse(json), null, 2);
      assert.equal(
        (await api('POST', '/subjects/json-value/versions', { schema: spaced, schemaType: 'JSON' })).body.id,
        j.body.id,
      );
      for (const bad of [
        '[1]',
        '{"type":"objekt"}',
        '{"properties":{"a":{"minimum":"x"}}}',
        '{"$ref":"missing.json"}',
      ]) {
        const r = await api('POST', '/subjects/json-bad/versions', { schema: bad, schemaType: 'JSON' });
        assert.equal(r.status, 422, bad);
        assert.equal(r.body.error_code, 42201, bad);
        assert.match(r.body.message, /^Invalid schema/);
      }

      const proto = 'syntax = "proto3";\npackage ais;\n\nmessage Ship {\n  int64 mmsi = 1;\n}\n';
      const p = await api('POST', '/subjects/proto-value/versions', { schema: proto, schemaType: 'PROTOBUF' });
      assert.equal(p.status, 200);
      const pv = await api('GET', '/subjects/proto-value/versions/1');
      assert.equal(pv.body.schemaType, 'PROTOBUF');
      assert.equal(pv.body.schema, proto);
      const reformatted = '// a comment\nsyntax="proto3"; package ais; message Ship { int64 mmsi=1; }';
      assert.equal(
        (await api('POST', '/subjects/proto-value/versions', { schema: reformatted, schemaType: 'PROTOBUF' })).body.id,
        p.body.id,
        "formatting and comments do not change a Protobuf schema's identity",
      );
      for (const bad of [
        'message X {',
        'syntax = "proto3"; message X { int64 a = 1 }',
        'syntax = "proto3"; message X { Missing m = 1; }',
        'syntax = "proto3"; import "other.proto"; message X { Other o = 1; }',
      ]) {
        const r = await api('POST', '/subjects/proto-bad/versions', { schema: bad, schemaType: 'PROTOBUF' });
        assert.equal(r.status, 422, bad);
        assert.equal(r.body.error_code, 42201, bad);
      }
      assert.equal(
        (await api('POST', '/subjects/proto-value/versions', { schema: proto, schemaType: 'AVRO' })).body.error_code,
        42201,
      );
    });

    test('JSON Schema evolution follows Confluent: open content model, required, types', async () => {
      const s = (o: unknown) => ({ schema: JSON.stringify(o), schemaType: 'JSON' });
      const v1j = { type: 'object', properties: { mmsi: { type: 'integer' } }, additionalProperties: false };
      assert.equal((await api('POST', '/subjects/jevo-value/versions', s(v1j))).status, 200);
      const added = { ...v1j, properties: { ...v1j.properties, name: { type: 'string' } } };
      assert.equal(
        (await api('POST', '/subjects/jevo-value/versions', s(added))).status,
        200,
        'closed model: optional property added',
      );
      const widened = { ...added, properties: { ...added.properties, mmsi: { type: 'number' } } };
      assert.equal((await api('POST', '/subjects/jevo-value/versions', s(widened))).status, 200, 'integer -> number');
      const narrowed = {
        ...widened,
        properties: { ...widened.properties, mmsi: { type: 'integer', maximum: 999999999 } },
      };
      const refused = await api('POST', '/subjects/jevo-value/versions', s(narrowed));
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error_code, 40901);
      assert.match(refused.body.message, /TYPE_NARROWED/);
      const required = { ...widened, required: ['name'] };
      const verbose = await api('POST', '/compatibility/subjects/jevo-value/versions/latest?verbose=true', s(required));
      assert.equal(verbose.body.is_compatible, false);
      assert.match(verbose.body.messages[0], /REQUIRED_ATTRIBUTE_ADDED.*#\/required\/name/);

      const open1 = { type: 'object', properties: { a: { type: 'string' } } };
      await api('POST', '/subjects/jopen-value/versions', s(open1));
      const open2 = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
      const r = await api('POST', '/compatibility/subjects/jopen-value/versions/latest?verbose=true', s(open2));
      assert.equal(r.body.is_compatible, false, 'a property added to an open content model is incompatible');
      assert.match(r.body.messages[0], /PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL/);
      const removed = { type: 'object', properties: {} };
      assert.equal(
        (await api('POST', '/compatibility/subjects/jopen-value/versions/latest', s(removed))).body.is_compatible,
        true,
        'a property removed from an open content model is compatible',
      );
    });

    test('Protobuf evolution follows Confluent: fields added and removed, types changed', async () => {
      const p = (body: string) => ({ schema: `syntax = "proto3";\npackage ais;\n${body}`, schemaType: 'PROTOBUF' });
      assert.equal(
        (await api('POST', '/subjects/pevo-value/versions', p('message Ship { int64 mmsi = 1; }'))).status,
        200,
      );
      const added = await api(
        'POST',
        '/subjects/pevo-value/versions',
        p('message Ship { int64 mmsi = 1; string name = 2; }'),
      );
      assert.equal(added.status, 200, 'adding a field is compatible under BACKWARD');
      const grouped = p('message Ship { uint64 mmsi = 1; bytes name = 2; }');
      assert.equal((await api('POST', '/subjects/pevo-value/versions', grouped)).status, 200, 'same wire group');
      const changed = p('message Ship { string mmsi = 1; bytes name = 2; }');
      const refused = await api('POST', '/compatibility/subjects/pevo-value/versions/latest?verbose=true', changed);
      assert.equal(refused.body.is_compatible, false);
      assert.match(refused.body.messages[0], /FIELD_KIND_CHANGED|FIELD_SCALAR_KIND_CHANGED/);
      const renamedMessage = p('message Vessel { uint64 mmsi = 1; }');
      const gone = await api('POST', '/compatibility/subjects/pevo-value/versions/latest?verbose=true', renamedMessage);
      assert.equal(gone.body.is_compatible, false);
      assert.match(gone.body.messages[0], /MESSAGE_REMOVED/);
      const removed = await api('POST', '/subjects/pevo-value/versions', p('message Ship { uint64 mmsi = 1; }'));
      assert.equal(removed.status, 200, 'removing a field is compatible, as with Confluent');
    });

    test('mode: READWRITE by default, READONLY refuses writes with 42205, 42204 for unknown modes', async () => {
      assert.deepEqual((await api('GET', '/mode')).body, { mode: 'READWRITE' });
      assert.equal((await api('PUT', '/mode', { mode: 'SIDEWAYS' })).body.error_code, 42204);
      assert.deepEqual((await api('PUT', '/mode/ro-value', { mode: 'READONLY' })).body, { mode: 'READONLY' });
      assert.deepEqual((await api('GET', '/mode/ro-value')).body, { mode: 'READONLY' });
      const refused = await api('POST', '/subjects/ro-value/versions', { schema: v1 });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error_code, 42205);
      assert.equal((await api('GET', '/mode/rw-value')).body.error_code, 40409);
      assert.deepEqual((await api('DELETE', '/mode/ro-value')).body, { mode: 'READONLY' });
      assert.equal((await api('POST', '/subjects/ro-value/versions', { schema: v1 })).status, 200);
    });

    test('subject names with slashes, spaces and dots work when URL-encoded', async () => {
      const subject = 'lab/ais positions.v1';
      const path = `/subjects/${encodeURIComponent(subject)}`;
      const { id } = (await api('POST', `${path}/versions`, { schema: v1 })).body;
      assert.equal(typeof id, 'number');
      assert.ok((await api('GET', '/subjects')).body.includes(subject));
      assert.equal((await api('GET', `${path}/versions/latest`)).body.subject, subject);
      assert.equal((await api('POST', path, { schema: v1 })).body.id, id);
    });

    test('GET /schemas lists versions, latestOnly keeps the newest per subject', async () => {
      await api('POST', '/subjects/list-value/versions', { schema: v1 });
      await api('POST', '/subjects/list-value/versions', { schema: v2 });
      const all = (await api('GET', '/schemas?subjectPrefix=list-')).body;
      assert.deepEqual(
        all.map((v: { version: number }) => v.version),
        [1, 2],
      );
      assert.deepEqual(Object.keys(all[0]), ['subject', 'version', 'id', 'schema']);
      const latest = (await api('GET', '/schemas?subjectPrefix=list-&latestOnly=true')).body;
      assert.deepEqual(
        latest.map((v: { version: number }) => v.version),
        [2],
      );
    });

    test('IMPORT mode keeps the given id and version; new ids then continue above it', async () => {
      const refused = await api('PUT', '/mode', { mode: 'IMPORT' });
      assert.equal(refused.body.error_code, 42205, 'IMPORT over existing subjects needs force=true');
      assert.deepEqual((await api('PUT', '/mode/imp-value', { mode: 'IMPORT' })).body, { mode: 'IMPORT' });
      const imported = await api('POST', '/subjects/imp-value/versions', { schema: '"double"', id: 500, version: 5 });
      assert.deepEqual(imported.body, { id: 500 });
      assert.equal((await api('GET', '/subjects/imp-value/versions/5')).body.id, 500);
      const clash = await api('POST', '/subjects/imp-value/versions', { schema: '"float"', id: 500, version: 6 });
      assert.equal(clash.body.error_code, 42207);
      await api('DELETE', '/mode/imp-value');
      const next = await api('POST', '/subjects/imp-next/versions', { schema: '"boolean"' });
      assert.equal(next.body.id, 501);
    });

    test('concurrent registers get distinct ids for distinct schemas and one id for one schema', async () => {
      const distinct = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api('POST', `/subjects/conc-${i}/versions`, { schema: avro({ type: 'fixed', name: `F${i}`, size: i + 1 }) }),
        ),
      );
      assert.equal(new Set(distinct.map((x) => x.body.id)).size, 12);
      const same = await Promise.all(
        Array.from({ length: 8 }, () => api('POST', '/subjects/conc-same/versions', { schema: '"null"' })),
      );
      assert.equal(new Set(same.map((x) => x.body.id)).size, 1);
      assert.deepEqual((await api('GET', '/subjects/conc-same/versions')).body, [1]);
    });

    test('unknown routes answer 404 with an error body', async () => {
      const x = await api('GET', '/nothing/here');
      assert.equal(x.status, 404);
      assert.equal(x.body.error_code, 404);
    });
  });
}
