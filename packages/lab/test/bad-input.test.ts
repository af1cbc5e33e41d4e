// Small defects at the lab's edge, each answered as a client error: the static handler stays inside
// the console build (a sibling named dist-… is not served), the Basic scheme is matched in any case,
// a topic named ".." is a 400 before Kafka is asked, and a generator run with body null is a 400.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import { registerConsoleApi } from '../src/console-api/index.ts';
import { startHttpServer } from '../src/http-server.ts';
import { MetricsHub } from '../src/metrics-hub.ts';
import { registerConsole } from '../src/static-files.ts';

const root = mkdtempSync(join(tmpdir(), 'seaway-bad-input-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise it). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the static handler never serves a sibling of the console build whose name starts with "dist"', async () => {
  const dist = join(root, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'index.html'), '<html>console</html>');
  writeFileSync(join(root, 'dist-leak.txt'), 'SECRET');
  const app = Fastify();
  registerConsole(app, dist);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  try {
    for (const path of ['/..%2fdist-leak.txt', '/%2e%2e%2fdist-leak.txt', '/../dist-leak.txt']) {
      const r = await rawGet(port, path);
      assert.doesNotMatch(r.body, /SECRET/, `${path} leaked the sibling file`);
    }
    assert.match((await rawGet(port, '/index.html')).body, /console/);
  } finally {
    await app.close();
  }
});

test('Basic auth accepts the scheme in any case and still refuses bad credentials', async () => {
  const http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    hub: new MetricsHub(),
    auth: { user: 'ann', password: 'pw' },
    mqttWebSocket: null,
    routes: (app) => {
      app.get('/api/ping', async () => ({ ok: true }));
      app.post('/api/ping', async () => ({ ok: true }));
    },
  });
  try {
    const good = Buffer.from('ann:pw').toString('base64');
    for (const scheme of ['Basic', 'basic', 'BASIC']) {
      const r = await rawGet(http.port, '/api/ping', { authorization: `${scheme} ${good}` });
      assert.equal(r.status, 200, scheme);
    }
    const bad = await rawGet(http.port, '/api/ping', {
      authorization: `basic ${Buffer.from('ann:no').toString('base64')}`,
    });
    assert.equal(bad.status, 401);
    assert.equal((await rawGet(http.port, '/api/ping', { authorization: `Bearer ${good}` })).status, 401);
    // request bodies on 3030 are bounded (10 MiB): a larger one is a 413, the server stays up
    const big = await fetch(`http://127.0.0.1:${http.port}/api/ping`, {
      method: 'POST',
      headers: { authorization: `Basic ${good}`, 'content-type': 'application/json' },
      body: `"${'x'.repeat(11 * 1024 * 1024)}"`,
    });
    assert.equal(big.status, 413);
    assert.equal((await rawGet(http.port, '/api/ping', { authorization: `Basic ${good}` })).status, 200);
  } finally {
    await http.app.close();
  }
});

test('POST /api/topics with an illegal name and POST /api/generator/runs with body null answer 400', async () => {
  const app = Fastify();
  registerConsoleApi(app, {
    kafka: () => null,
    advHost: 'lab.example',
    kafkaBootstrap: 'lab.example:9092',
    ports: { web: 3030, mqtt: 1883, registry: 8081, connect: null },
    registryUrl: null,
    embeddedConnect: false,
    serveTopicList: true,
    mqttUrl: 'tcp://127.0.0.1:1',
  } as never);
  await app.ready();
  try {
    for (const name of ['..', '.', 'a/b', 'x'.repeat(250), 'naïve']) {
      const r = await app.inject({ method: 'POST', url: '/api/topics', payload: { name } });
      assert.equal(r.statusCode, 400, `${name}: ${r.body}`);
      assert.match(r.body, /invalid topic/);
    }
    const r = await app.inject({
      method: 'POST',
      url: '/api/generator/runs',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
    });
    assert.equal(r.statusCode, 400, r.body);
    const runs = await app.inject({ method: 'GET', url: '/api/generator/runs' });
    assert.deepEqual(JSON.parse(runs.body).runs, [], 'no run was started');
  } finally {
    await app.close();
  }
});

test('a DATA_DIR that cannot be written fails the start with a message naming DATA_DIR', async () => {
  const { startLab } = await import('../src/lab.ts');
  const { parseConfig } = await import('../src/config.ts');
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const cfg = parseConfig({
    DATA_DIR: join(file, 'data'),
    WEB_PORT: '0',
    MQTT_PORT: '0',
    BROKER_PORT: '0',
    KAFKA_BROKERS: '127.0.0.1:1',
  });
  await assert.rejects(
    startLab(cfg, { log: () => {} }),
    /DATA_DIR .*a-file\/data is not a writable directory \(ENOTDIR\)/,
  );
});
