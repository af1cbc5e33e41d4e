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
  });
}
