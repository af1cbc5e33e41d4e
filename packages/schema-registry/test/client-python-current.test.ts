// A current confluent-kafka from PyPI (2.16, in a venv that .ci/run creates) against this
// registry: every SchemaRegistryClient call Seaway serves, the deletes included, and the Avro,
// JSON Schema and Protobuf serializers (Protobuf goes as a base64 FileDescriptorProto and is read
// back with ?format=serialized). The script is test/clients/python_client.py.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { command } from '../../../scripts/testing/needs.mjs';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { backends, call } from './helpers.ts';

const run = promisify(execFile);
const python = command(process.env.SEAWAY_SR_PYTHON ?? `${homedir()}/.cache/seaway/sr-python/bin/python`);
const script = new URL('./clients/python_client.py', import.meta.url).pathname;

for (const b of backends) {
  describe(`python confluent-kafka 2.16 SchemaRegistryClient on ${b.name} storage`, {
    skip: b.skip || (!python && 'no venv with confluent-kafka[schemaregistry,avro,json,protobuf]'),
  }, () => {
    let r: RunningSchemaRegistry;
    // biome-ignore lint/suspicious/noExplicitAny: the script's JSON observations
    let out: any;
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('pycurrent')) });
      const { stdout } = await run(python as string, [script, r.url], { timeout: 120_000 });
      out = JSON.parse(stdout);
    });
    after(() => r?.close());

    test('register, get, lookup, list, paging and compatibility calls', () => {
      assert.deepEqual(out.types, ['AVRO', 'JSON', 'PROTOBUF']);
      assert.deepEqual(out.contexts, ['.']);
      assert.deepEqual(out.ids, [1, 2]);
      assert.equal(out.get_schema, 'AVRO');
      assert.deepEqual(out.subjects_by_id, ['py-value']);
      assert.deepEqual(out.schema_versions, [['py-value', 1]]);
      assert.deepEqual(out.latest, [2, 2]);
      assert.equal(out.version1, 1);
      assert.deepEqual(out.versions, [1, 2]);
      assert.equal(out.lookup, 1);
      assert.equal(out.lookup_normalized, 1);
      assert.deepEqual(out.subjects, ['py-value']);
      assert.deepEqual(out.subjects_page, ['py-value']);
      assert.equal(out.test_compat, false);
      assert.equal(out.test_compat_v1, true);
      assert.equal(out.test_compat_all, true);
      assert.deepEqual(out.refused, [409, 40901]);
    });

    test('config and mode calls, subject-level and global', () => {
      assert.equal(out.get_compat, 'FULL');
      assert.equal(out.global_compat, 'BACKWARD');
      assert.equal(out.get_config, 'FULL');
      assert.equal(out.delete_config, 'FULL');
      assert.deepEqual(out.config_gone, [404, 40408]);
      assert.equal(out.global_mode, 'READWRITE');
      assert.equal(out.update_mode, 'READONLY');
      assert.equal(out.get_mode, 'READONLY');
      assert.deepEqual(out.readonly_refused, [422, 42205]);
      assert.equal(out.delete_mode, 'READONLY');
      assert.equal(out.update_global_mode, 'READWRITE');
    });

    test('references, referencedby and every delete with its error codes', () => {
      assert.equal(out.referenced_by, true);
      assert.deepEqual(out.ref_delete_refused, [422, 42206]);
      assert.equal(out.delete_version, 2);
      assert.deepEqual(out.versions_after, [1]);
      assert.deepEqual(out.deleted_versions, [1, 2]);
      assert.deepEqual(out.deleted_only, [2]);
      assert.deepEqual(out.version_soft_again, [404, 40406]);
      assert.equal(out.delete_version_permanent, 2);
      assert.deepEqual(out.delete_subject, [1]);
      assert.deepEqual(out.subject_gone, [404, 40401]);
      assert.equal(out.deleted_subjects, true);
      assert.deepEqual(out.delete_subject_permanent, [1]);
      assert.deepEqual(out.missing_schema, [404, 40403]);
      assert.deepEqual(out.missing_version, [404, 40402]);
    });

    test('Avro, JSON Schema and Protobuf serializers round-trip through the registry', async () => {
      assert.deepEqual(out.avro, { mmsi: 244670316 });
      assert.deepEqual(out.json, { mmsi: 244670316, name: 'SEAWAY' });
      assert.equal(out.json_type, 'JSON');
      assert.deepEqual(out.proto, { mmsi: 244670316, name: 'SEAWAY' });
      assert.deepEqual(out.proto_stored, ['PROTOBUF', true]);
      const stored = await call(r.url, 'GET', '/subjects/py-proto-value/versions/latest');
      assert.match(stored.body.schema, /^syntax = "proto3";\npackage ais;\n\nmessage Ship \{\n {2}int64 mmsi = 1;/);
    });
  });
}
