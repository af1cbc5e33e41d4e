// @kafkajs/confluent-schema-registry against this registry: register, encode, decode (Confluent wire
// format: magic 0 + 4-byte id), compatibility, references; on memory and real Kafka storage.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SchemaRegistry as Client, SchemaType } from '@kafkajs/confluent-schema-registry';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { avro, backends } from './helpers.ts';

const position = {
  type: 'record',
  name: 'aisClassAPositionReport',
  namespace: 'com.lensesio.ais',
  fields: [
    { name: 'Type', type: 'int' },
    { name: 'MMSI', type: 'long' },
    { name: 'Speed', type: 'float' },
    { name: 'Longitude', type: 'double' },
    { name: 'Latitude', type: 'double' },
    { name: 'location', type: 'string' },
  ],
};
const report = { Type: 1, MMSI: 244670316, Speed: 12.5, Longitude: 4.1, Latitude: 51.9, location: '51.9,4.1' };

for (const b of backends) {
  describe(`@kafkajs/confluent-schema-registry on ${b.name} storage`, { skip: b.skip }, () => {
    let r: RunningSchemaRegistry;
    let client: Client;
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('kafkajs')) });
      client = new Client({ host: r.url }, { forSchemaOptions: {} });
    });
    after(() => r?.close());

    test('register, encode and decode an AIS position report', async () => {
      const { id } = await client.register({ type: SchemaType.AVRO, schema: avro(position) }, { subject: 'ais-value' });
      const bytes = await client.encode(id, report);
      assert.equal(bytes[0], 0, 'magic byte');
      assert.equal(bytes.readInt32BE(1), id, 'schema id');
      const fresh = new Client({ host: r.url });
      const back = await fresh.decode(bytes);
      assert.equal(back.MMSI, report.MMSI);
      assert.equal(back.location, report.location);
      assert.equal(await fresh.getLatestSchemaId('ais-value'), id);
      assert.equal(
        await fresh.getRegistryIdBySchema('ais-value', { type: SchemaType.AVRO, schema: avro(position) }),
        id,
      );
    });

    test('registering again returns the same id; an incompatible schema is refused with 409', async () => {
      const first = await client.register({ type: SchemaType.AVRO, schema: avro(position) }, { subject: 'evo-value' });
      const again = await client.register({ type: SchemaType.AVRO, schema: avro(position) }, { subject: 'evo-value' });
      assert.equal(again.id, first.id);
      const breaking = { ...position, fields: [...position.fields, { name: 'Heading', type: 'int' }] };
      await assert.rejects(
        client.register({ type: SchemaType.AVRO, schema: avro(breaking) }, { subject: 'evo-value' }),
        (e: { status?: number; message: string }) =>
          e.status === 409 && /READER_FIELD_MISSING_DEFAULT_VALUE/.test(e.message),
      );
      const evolving = { ...position, fields: [...position.fields, { name: 'Heading', type: 'int', default: 511 }] };
      const second = await client.register({ type: SchemaType.AVRO, schema: avro(evolving) }, { subject: 'evo-value' });
      assert.notEqual(second.id, first.id);
      // data written with v1 decodes (the client resolves it with the writer's schema)
      const old = await client.encode(first.id, report);
      assert.equal((await client.decode(old)).MMSI, report.MMSI);
    });

    test('a compatibility option the subject does not have is reported by the client', async () => {
      await client.register(
        { type: SchemaType.AVRO, schema: avro(position) },
        { subject: 'cfg-value', compatibility: 'FULL' as never },
      );
      await assert.rejects(
        client.register(
          { type: SchemaType.AVRO, schema: avro(position) },
          { subject: 'cfg-value', compatibility: 'BACKWARD' as never },
        ),
        /Compatibility does not match/,
      );
    });

    test('schemas with references register and decode', async () => {
      const pos = {
        type: 'record',
        name: 'Pos',
        namespace: 'ais',
        fields: [
          { name: 'lat', type: 'double' },
          { name: 'lon', type: 'double' },
        ],
      };
      await client.register({ type: SchemaType.AVRO, schema: avro(pos) }, { subject: 'ais.Pos' });
      const ship = {
        type: 'record',
        name: 'Ship',
        namespace: 'ais',
        fields: [
          { name: 'mmsi', type: 'long' },
          { name: 'pos', type: 'ais.Pos' },
        ],
      };
      const { id } = await client.register(
        {
          type: SchemaType.AVRO,
          schema: avro(ship),
          references: [{ name: 'ais.Pos', subject: 'ais.Pos', version: 1 }],
        },
        { subject: 'ship-value' },
      );
      const bytes = await client.encode(id, { mmsi: 1, pos: { lat: 2, lon: 3 } });
      const back = await new Client({ host: r.url }).decode(bytes);
      assert.deepEqual({ ...back, pos: { ...back.pos } }, { mmsi: 1, pos: { lat: 2, lon: 3 } });
    });

    test('JSON Schema: register, validate on encode, decode; an incompatible change is refused', async () => {
      const schema = JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { mmsi: { type: 'integer' }, name: { type: 'string' } },
        required: ['mmsi'],
      });
      const { id } = await client.register({ type: SchemaType.JSON, schema }, { subject: 'json-ships-value' });
      const bytes = await client.encode(id, { mmsi: 244670316, name: 'SEAWAY' });
      assert.equal(bytes.readInt32BE(1), id);
      assert.deepEqual(await new Client({ host: r.url }).decode(bytes), { mmsi: 244670316, name: 'SEAWAY' });
      await assert.rejects(client.encode(id, { name: 'no mmsi' }), 'the client validates against the schema');
      assert.equal(await client.getRegistryId('json-ships-value', 1), id);
      assert.equal(await client.getRegistryId('json-ships-value', 'latest'), id);
      assert.equal(await client.getRegistryIdBySchema('json-ships-value', { type: SchemaType.JSON, schema }), id);
      assert.ok(await new Client({ host: r.url }).getSchema(id), 'getSchema builds a validator from the stored schema');
      const narrowed = JSON.stringify({
        type: 'object',
        properties: { mmsi: { type: 'string' }, name: { type: 'string' } },
        required: ['mmsi'],
      });
      await assert.rejects(
        client.register({ type: SchemaType.JSON, schema: narrowed }, { subject: 'json-ships-value' }),
        (e: { status?: number; message: string }) => e.status === 409 && /TYPE_CHANGED/.test(e.message),
      );
      const { id: same } = await client.register({ type: SchemaType.JSON, schema }, { subject: 'json-ships-value' });
      assert.equal(same, id);
    });

    test('Protobuf: register with an import reference, encode and decode; adding a field is compatible', async () => {
      const pos = 'syntax = "proto3";\npackage ais;\nmessage Pos { double lat = 1; double lon = 2; }\n';
      await client.register({ type: SchemaType.PROTOBUF, schema: pos }, { subject: 'pos.proto' });
      const ship =
        'syntax = "proto3";\npackage ais;\nimport "pos.proto";\nmessage Ship { int64 mmsi = 1; Pos at = 2; }\n';
      const references = [{ name: 'pos.proto', subject: 'pos.proto', version: 1 }];
      const { id } = await client.register(
        { type: SchemaType.PROTOBUF, schema: ship, references },
        { subject: 'proto-ships-value' },
      );
      const bytes = await client.encode(id, { mmsi: 244670316, at: { lat: 51.9, lon: 4.1 } });
      const back = await new Client({ host: r.url }).decode(bytes);
      assert.equal(String(back.mmsi), '244670316');
      assert.deepEqual({ lat: back.at.lat, lon: back.at.lon }, { lat: 51.9, lon: 4.1 });
      // (getRegistryIdBySchema drops references, so a lookup of a schema with imports cannot work)
      const posId = await client.getRegistryId('pos.proto', 1);
      const reformatted = `// reformatted\n${pos.replace(/\n/g, ' ')}`;
      assert.equal(
        await client.getRegistryIdBySchema('pos.proto', { type: SchemaType.PROTOBUF, schema: reformatted }),
        posId,
        'lookup finds the schema through its canonical form',
      );
      assert.equal(await client.getLatestSchemaId('proto-ships-value'), id);
      const grown = ship.replace('Pos at = 2;', 'Pos at = 2; string name = 3;');
      const v2 = await client.register(
        { type: SchemaType.PROTOBUF, schema: grown, references },
        { subject: 'proto-ships-value' },
      );
      assert.notEqual(v2.id, id);
      const changed = ship.replace('int64 mmsi = 1;', 'string mmsi = 1;');
      await assert.rejects(
        client.register({ type: SchemaType.PROTOBUF, schema: changed, references }, { subject: 'proto-ships-value' }),
        (e: { status?: number; message: string }) => e.status === 409 && /FIELD_SCALAR_KIND_CHANGED/.test(e.message),
      );
    });
  });
}
