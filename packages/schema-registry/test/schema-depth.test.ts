// A schema nested thousands of levels deep is refused with 422 / 42201 and a depth limit, not a 500
// "Maximum call stack size exceeded"; the registry keeps answering. Runs on each storage backend.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { MAX_SCHEMA_DEPTH } from '../src/schema-types.ts';
import { backends, call } from './helpers.ts';

/** An Avro array of arrays of … of string, `depth` levels. */
function nested(depth: number): string {
  let s = '"string"';
  for (let i = 0; i < depth; i++) s = `{"type":"array","items":${s}}`;
  return s;
}

for (const b of backends) {
  describe(`schema depth on ${b.name} storage`, { skip: b.skip }, () => {
    let r: RunningSchemaRegistry;
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('depth')) });
    });
    after(() => r?.close());

    test('a schema nested 5000 levels deep is a 422 with error_code 42201 naming the limit', async () => {
      for (const path of ['/subjects/deep-value/versions', '/compatibility/subjects/deep-value/versions/latest']) {
        const res = await call(r.url, 'POST', path, { schema: nested(5000) });
        assert.equal(res.status, 422, `${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error_code, 42201);
        assert.match(res.body.message, new RegExp(`deeper than ${MAX_SCHEMA_DEPTH} levels`));
      }
      const ok = await call(r.url, 'POST', '/subjects/deep-value/versions', { schema: nested(20) });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

    test('a request body over the limit (1 MiB by default) is a 413 and the registry keeps answering', async () => {
      const res = await fetch(`${r.url}/subjects/big-value/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: `"${'x'.repeat(2 * 1024 * 1024)}"` }),
      });
      assert.equal(res.status, 413);
      assert.equal((await call(r.url, 'GET', '/subjects')).status, 200);
    });
  });
}
