/**
 * The committed definitions match Kafka's message JSON: regenerating from ../shared gives the same
 * file, and spot checks pin facts from the JSON that the broker depends on.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import {
  generateDefinitions,
  loadDefinitions,
  SERVED_APIS,
  stripJsonComments,
} from '../scripts/generate-definitions.ts';
import { generateTypes } from '../scripts/generate-types.ts';
import { apiDefinition } from '../src/codec/message-codec.ts';
import type { FieldDef } from '../src/messages/definition-types.ts';
import { API_DEFINITIONS, REQUEST_HEADER } from '../src/messages/definitions.generated.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Kafka's message JSON sits in ../shared beside the repo (CI has it; a fresh clone does not).
const messageDir = sharedData('kafka-protocol/message');
const generated = (file: string) => readFileSync(resolve(here, '../src/messages', file), 'utf8');
const noJson = !messageDir && 'Kafka message JSON not found in ../shared; cannot check regeneration';

test('regenerating from the Kafka message JSON reproduces the committed definitions and types', {
  skip: noJson,
}, () => {
  const loaded = loadDefinitions(messageDir as string);
  const stale = 'is stale: run `node --import tsx scripts/generate.ts` in packages/kafka-protocol';
  assert.ok(generateDefinitions(loaded) === generated('definitions.generated.ts'), `definitions.generated.ts ${stale}`);
  assert.ok(generateTypes(loaded) === generated('types.generated.ts'), `types.generated.ts ${stale}`);
});

test('comment stripping keeps // inside strings', () => {
  const text = '{ "a": "http://x", // note\n "b": 1 /* block */ }';
  assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: 'http://x', b: 1 });
});

const field = (fields: readonly FieldDef[] | undefined, name: string): FieldDef => {
  const f = fields?.find((x) => x.name === name);
  assert.ok(f, `field ${name}`);
  return f;
};

test('every served API is defined once with its advertised versions', () => {
  assert.equal(API_DEFINITIONS.length, SERVED_APIS.length);
  for (const [name, min, max] of SERVED_APIS) {
    const api = API_DEFINITIONS.find((a) => a.name === name);
    assert.ok(api, name);
    assert.deepEqual(api.advertised, [min, max]);
    assert.ok(api.request.validVersions[0] <= min && api.request.validVersions[1] >= max, `${name} request covers`);
  }
  assert.equal(new Set(API_DEFINITIONS.map((a) => a.apiKey)).size, API_DEFINITIONS.length);
});

test('spot checks: Produce, Fetch, ApiVersions, Metadata and the request header', () => {
  const produce = apiDefinition(0);
  assert.equal(produce?.name, 'Produce');
  assert.deepEqual(produce?.request.flexibleVersions, [9, 0x7fff]);
  const txn = field(produce?.request.fields, 'transactionalId');
  assert.deepEqual([txn.versions, txn.nullableVersions, txn.default], [[3, 0x7fff], [3, 0x7fff], null]);
  const records = field(field(field(produce?.request.fields, 'topicData').fields, 'partitionData').fields, 'records');
  assert.equal(records.type, 'records');

  const fetch = apiDefinition(1);
  assert.equal(field(fetch?.request.fields, 'maxBytes').default, 0x7fffffff);
  const clusterId = field(fetch?.request.fields, 'clusterId');
  assert.deepEqual([clusterId.tag, clusterId.taggedVersions], [0, [12, 0x7fff]]);

  const apiVersions = apiDefinition(18);
  const epoch = field(apiVersions?.response.fields, 'finalizedFeaturesEpoch');
  assert.deepEqual([epoch.type, epoch.tag, epoch.default], ['int64', 1, -1n]);

  const metadata = apiDefinition(3);
  const topicId = field(field(metadata?.response.fields, 'topics').fields, 'topicId');
  assert.deepEqual([topicId.type, topicId.versions], ['uuid', [10, 0x7fff]]);
  assert.equal(field(metadata?.request.fields, 'allowAutoTopicCreation').default, true);

  const clientId = field(REQUEST_HEADER.fields, 'clientId');
  assert.equal(clientId.flexibleVersions, null, 'client id is never a compact string');

  const joinGroup = apiDefinition(11);
  assert.deepEqual(field(joinGroup?.request.fields, 'groupInstanceId').nullableVersions, [5, 0x7fff]);
  assert.equal(field(field(joinGroup?.request.fields, 'protocols').fields, 'metadata').type, 'bytes');
});
