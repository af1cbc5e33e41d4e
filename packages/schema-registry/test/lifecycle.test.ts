// Mounting and readiness: the plugin under a prefix on another fastify server (as the lab does on
// 3030), 503 until the store has been read to the end, and start failures surfacing with codes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import {
  createMemoryStore,
  createSchemaRegistry,
  ErrorCode,
  type RegistryStore,
  SchemaRegistry,
  SeawayCode,
  schemaRegistryRoutes,
  startSchemaRegistry,
} from '../src/index.ts';

test('the plugin serves the API under a prefix and leaves the host server alone', async () => {
  const app = Fastify();
  app.get('/api/health', async () => ({ ok: true }));
  app.post('/api/echo', async (req) => req.body);
  const registry = createSchemaRegistry({ store: createMemoryStore() });
  await registry.start();
  await app.register(schemaRegistryRoutes, { prefix: '/api/schema-registry', registry });
  try {
    const reg = await app.inject({
      method: 'POST',
      url: '/api/schema-registry/subjects/t-value/versions',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      payload: JSON.stringify({ schema: '"string"' }),
    });
    assert.equal(reg.statusCode, 200);
    assert.deepEqual(reg.json(), { id: 1 });
    assert.deepEqual((await app.inject({ url: '/api/schema-registry/subjects' })).json(), ['t-value']);
    const missing = await app.inject({ url: '/api/schema-registry/nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error_code, 404);
    assert.deepEqual((await app.inject({ url: '/api/health' })).json(), { ok: true });
    const echo = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
    assert.deepEqual(echo.json(), { a: 1 }, "the host's own JSON parser still works outside the prefix");
  } finally {
    await app.close();
    await registry.close();
  }
});

test('routes answer 503 with error 50301 until the store has been read to the end', async () => {
  let release: () => void = () => {};
  const inner = createMemoryStore();
  const slow: RegistryStore = {
    description: 'slow memory',
    open: async (l) => {
      await new Promise<void>((r) => (release = r));
      await inner.open(l);
    },
    append: (k, v) => inner.append(k, v),
    close: () => inner.close(),
  };
  const registry = new SchemaRegistry(slow);
  const app = Fastify();
  await app.register(schemaRegistryRoutes, { registry });
  const started = registry.start();
  try {
    const early = await app.inject({ url: '/subjects' });
    assert.equal(early.statusCode, 503);
    assert.equal(early.json().error_code, ErrorCode.NOT_READY);
    release();
    await started;
    assert.equal((await app.inject({ url: '/subjects' })).statusCode, 200);
  } finally {
    await app.close();
    await registry.close();
  }
});

test('startSchemaRegistry without brokers or store fails with SEAWAY_SR_CONFIG', async () => {
  await assert.rejects(startSchemaRegistry({ port: 0 }), (e: { code?: string }) => e.code === SeawayCode.CONFIG);
});

test('a store that cannot open makes start reject with its code (SEAWAY_SR_STORE_START)', async () => {
  const store: RegistryStore = {
    description: 'broken',
    open: async () => {
      throw Object.assign(new Error('connection refused'), { code: SeawayCode.STORE_START });
    },
    append: async () => {},
    close: async () => {},
  };
  await assert.rejects(
    startSchemaRegistry({ port: 0, store }),
    (e: { code?: string }) => e.code === SeawayCode.STORE_START,
  );
});

test('waitUntilReady=false listens at once and serves 503 until the store is read', async () => {
  let release: () => void = () => {};
  const inner = createMemoryStore();
  const slow: RegistryStore = {
    description: 'slow memory',
    open: async (l) => {
      await new Promise<void>((r) => (release = r));
      await inner.open(l);
    },
    append: (k, v) => inner.append(k, v),
    close: () => inner.close(),
  };
  const r = await startSchemaRegistry({ port: 0, store: slow, waitUntilReady: false });
  try {
    assert.equal(r.registry.status, 'starting');
    assert.equal((await fetch(`${r.url}/subjects`)).status, 503);
    release();
    await r.registry.start();
    assert.equal((await fetch(`${r.url}/subjects`)).status, 200);
  } finally {
    await r.close();
  }
});

test('one registry served on its own port and mounted on a host server shares one state', async () => {
  const registry = createSchemaRegistry({ store: createMemoryStore() });
  await registry.start();
  const own = await startSchemaRegistry({ port: 0, registry });
  const host = Fastify();
  await host.register(schemaRegistryRoutes, { prefix: '/api/schema-registry', registry });
  try {
    const res = await fetch(`${own.url}/subjects/shared-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: '"long"' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual((await host.inject({ url: '/api/schema-registry/subjects' })).json(), ['shared-value']);
    await own.close();
    assert.equal(registry.status, 'ready', 'closing the port leaves a registry it did not create open');
  } finally {
    await host.close();
    await registry.close();
  }
});
