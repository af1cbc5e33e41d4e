// Durability: a new registry over the same topic (or memory log) serves the same ids, versions,
// deletions and configs, and never reuses an id.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startSchemaRegistry } from '../src/index.ts';
import { avro, backends, call } from './helpers.ts';

const rec = (fields: unknown[]) => avro({ type: 'record', name: 'R', namespace: 'restart', fields });

for (const b of backends) {
  describe(`restart on ${b.name} storage`, { skip: b.skip }, () => {
    test('ids, versions, soft deletes and configs are unchanged after a restart, and new ids continue', async () => {
      const where = b.newLocation('restart');
      const first = await startSchemaRegistry({ port: 0, store: b.store(where) });
      const api1 = (m: string, p: string, body?: unknown) => call(first.url, m, p, body);
      const a1 = (await api1('POST', '/subjects/a-value/versions', { schema: rec([{ name: 'x', type: 'int' }]) })).body
        .id;
      const a2 = (
        await api1('POST', '/subjects/a-value/versions', {
          schema: rec([
            { name: 'x', type: 'int' },
            { name: 'y', type: 'int', default: 0 },
          ]),
        })
      ).body.id;
      const b1 = (await api1('POST', '/subjects/b-value/versions', { schema: '"string"' })).body.id;
      await api1('DELETE', '/subjects/a-value/versions/1');
      await api1('PUT', '/config/b-value', { compatibility: 'NONE' });
      await api1('PUT', '/config', { compatibility: 'FULL' });
      const before = {
        subjects: (await api1('GET', '/subjects?deleted=true')).body,
        a: (await api1('GET', '/subjects/a-value/versions?deleted=true')).body,
        aLive: (await api1('GET', '/subjects/a-value/versions')).body,
        latest: (await api1('GET', '/subjects/a-value/versions/latest')).body,
        byId: (await api1('GET', `/schemas/ids/${a1}`)).body,
      };
      await first.close();

      const second = await startSchemaRegistry({ port: 0, store: b.store(where) });
      try {
        const api2 = (m: string, p: string, body?: unknown) => call(second.url, m, p, body);
        assert.deepEqual((await api2('GET', '/subjects?deleted=true')).body, before.subjects);
        assert.deepEqual((await api2('GET', '/subjects/a-value/versions?deleted=true')).body, before.a);
        assert.deepEqual((await api2('GET', '/subjects/a-value/versions')).body, before.aLive);
        assert.deepEqual((await api2('GET', '/subjects/a-value/versions/latest')).body, before.latest);
        assert.deepEqual((await api2('GET', `/schemas/ids/${a1}`)).body, before.byId);
        assert.equal((await api2('GET', '/subjects/b-value/versions/1')).body.id, b1);
        assert.deepEqual((await api2('GET', '/config/b-value')).body, { compatibilityLevel: 'NONE' });
        assert.deepEqual((await api2('GET', '/config')).body, { compatibilityLevel: 'FULL' });
        const next = (await api2('POST', '/subjects/c-value/versions', { schema: '"bytes"' })).body.id;
        assert.equal(next, Math.max(a1, a2, b1) + 1);
        assert.equal(
          (await api2('POST', '/subjects/a-value/versions', { schema: rec([{ name: 'x', type: 'int' }]) })).body.id,
          a1,
        );
        assert.equal((await api2('GET', '/subjects/a-value/versions/latest')).body.version, 3);
      } finally {
        await second.close();
      }
    });
  });
}
