// Connector secrets and names through the REST API: PASSWORD-type values (connect.mqtt.password and
// its 2017 alias) come back as [hidden] from GET /connectors/{name}, /config and /tasks; a config
// read back and PUT again keeps the stored password; a name too long to route is refused at create.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { connectRestPlugin } from '../src/rest/connect-plugin.ts';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { FakeGate, FakeSink, fakeRegistry } from './fakes.ts';

const store = memoryStore();
let worker: ConnectWorker;
let app: FastifyInstance;
const cfg = {
  'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql': 'INSERT INTO s SELECT * FROM `/s/#`',
  'connect.mqtt.service.quality': '1',
  'connect.mqtt.username': 'ann',
  'connect.mqtt.password': 's3cret',
};

before(async () => {
  worker = new ConnectWorker({ store, sink: new FakeSink(), registry: fakeRegistry(), gateFor: () => new FakeGate() });
  await worker.start();
  app = Fastify();
  await app.register(connectRestPlugin, { worker });
  await app.ready();
});
after(async () => {
  await worker.close();
  await app.close();
});

const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  const r = await app.inject({ method, url, ...(payload ? { payload } : {}) });
  return { status: r.statusCode, body: r.body, json: r.body ? JSON.parse(r.body) : undefined };
};

test('PASSWORD values are [hidden] in every REST answer and never in the response bytes', async () => {
  const created = await call('POST', '/connectors', { name: 'sec', config: cfg });
  assert.equal(created.status, 201);
  for (const url of ['/connectors/sec', '/connectors/sec/config', '/connectors/sec/tasks', '/connectors?expand=info']) {
    const r = await call('GET', url);
    assert.equal(r.status, 200, url);
    assert.doesNotMatch(r.body, /s3cret/, `${url} shows the password`);
  }
  assert.doesNotMatch(created.body, /s3cret/);
  assert.equal((await call('GET', '/connectors/sec/config')).json['connect.mqtt.password'], '[hidden]');
  assert.equal((await call('GET', '/connectors/sec/config')).json['connect.mqtt.username'], 'ann');
});

test('a config read back with [hidden] and PUT again keeps the stored password', async () => {
  const shown = (await call('GET', '/connectors/sec/config')).json;
  assert.equal((await call('PUT', '/connectors/sec/config', { ...shown, 'connect.mqtt.clean': 'false' })).status, 200);
  const stored = (await store.load()).get('sec')?.config;
  assert.equal(stored?.['connect.mqtt.password'], 's3cret');
  assert.equal(stored?.['connect.mqtt.clean'], 'false');
});

test('a connector name longer than the REST API can route is refused at create with 400', async () => {
  const name = 'n'.repeat(101);
  const r = await call('POST', '/connectors', { name, config: cfg });
  assert.equal(r.status, 400, r.body);
  assert.match(r.body, /too long/);
  assert.equal((await call('GET', '/connectors')).json.includes(name), false);
  const ok = 'n'.repeat(100);
  assert.equal((await call('POST', '/connectors', { name: ok, config: cfg })).status, 201);
  assert.equal((await call('GET', `/connectors/${ok}`)).status, 200, 'the longest allowed name can be read');
});
