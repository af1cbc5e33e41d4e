// Kafka Connect 4.1 behaviours of the REST API that clients and UIs rely on (issue 17), each as
// real Connect 4.1.1 answers it (CONNECT-REST.md has the table and the Kafka source of each):
// empty JSON bodies, 404 texts per route, status `version`, STOPPED and initial PAUSED without tasks,
// RESTARTING in the restart plan, KIP-875 offsets, /admin/loggers, plugin listing and config,
// validate's framework keys. Over fastify inject with an in-memory store (no network).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { connectRestPlugin } from '../src/rest/connect-plugin.ts';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { FakeGate, FakeSink, fakeRegistry, until } from './fakes.ts';

const gate = new FakeGate();
const sink = new FakeSink();
const lines: string[] = [];
let worker: ConnectWorker;
let app: FastifyInstance;

const CLS = 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector';
const cfg = (extra: Record<string, string> = {}) => ({
  'connector.class': CLS,
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql': 'INSERT INTO c41-out SELECT * FROM `/c41/#`',
  'connect.mqtt.service.quality': '1',
  ...extra,
});

before(async () => {
  worker = new ConnectWorker({
    store: memoryStore(),
    sink,
    registry: fakeRegistry(),
    gateFor: () => gate,
    workerId: '127.0.0.1:8083',
    log: (l) => lines.push(l),
  });
  await worker.start();
  app = Fastify();
  await app.register(connectRestPlugin, { worker });
  await app.ready();
});
after(async () => {
  await worker.close();
  await app.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function call(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}
/** The curl recipe: Content-Type: application/json and no body. */
const bare = (method: Method, url: string) => call(method, url, undefined, { 'content-type': 'application/json' });

test('a body-less request with Content-Type: application/json is answered as without the header', async () => {
  await call('POST', '/connectors', { name: 'bare', config: cfg() });
  assert.equal((await bare('PUT', '/connectors/bare/pause')).status, 202);
  assert.equal((await bare('PUT', '/connectors/bare/resume')).status, 202);
  assert.equal((await bare('PUT', '/connectors/bare/topics/reset')).status, 202);
  assert.equal((await bare('POST', '/connectors/bare/restart')).status, 204);
  assert.equal((await bare('POST', '/connectors/bare/tasks/0/restart')).status, 204);
  assert.equal((await bare('PUT', '/connectors/bare/stop')).status, 204);
  assert.equal((await bare('DELETE', '/connectors/bare')).status, 204);
  assert.equal((await bare('DELETE', '/connectors/bare')).status, 404);
  const broken = await call('PUT', '/connectors/x/config', '{nope', { 'content-type': 'application/json' });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error_code, 400);
});

test("404 texts are Connect's, route by route; topics of an unknown connector is 200 as in Connect", async () => {
  const cases: Array<[Method, string, string]> = [
    ['GET', '/connectors/nosuch', 'Connector nosuch not found'],
    ['GET', '/connectors/nosuch/config', 'Connector nosuch not found'],
    ['GET', '/connectors/nosuch/tasks', 'Connector nosuch not found'],
    ['DELETE', '/connectors/nosuch', 'Connector nosuch not found'],
    ['GET', '/connectors/nosuch/offsets', 'Connector nosuch not found'],
    ['DELETE', '/connectors/nosuch/offsets', 'Connector nosuch not found'],
    ['GET', '/connectors/nosuch/status', 'No status found for connector nosuch'],
    ['GET', '/connectors/nosuch/tasks/0/status', 'No status found for task nosuch-0'],
    ['PUT', '/connectors/nosuch/pause', 'Unknown connector nosuch'],
    ['PUT', '/connectors/nosuch/resume', 'Unknown connector nosuch'],
    ['PUT', '/connectors/nosuch/stop', 'Unknown connector nosuch'],
    ['POST', '/connectors/nosuch/restart', 'Unknown connector: nosuch'],
    ['POST', '/connectors/nosuch/tasks/0/restart', 'Unknown connector: nosuch'],
  ];
  for (const [method, url, message] of cases) {
    assert.deepEqual(await bare(method, url), { status: 404, body: { error_code: 404, message } }, `${method} ${url}`);
  }
  await call('POST', '/connectors', { name: 'four', config: cfg() });
  assert.deepEqual(
    (await call('GET', '/connectors/four/tasks/7/status')).body.message,
    'No status found for task four-7',
  );
  assert.deepEqual((await bare('POST', '/connectors/four/tasks/7/restart')).body, {
    error_code: 404,
    message: 'Unknown task: four-7',
  });
  assert.deepEqual(await call('GET', '/connectors/nosuch/topics'), { status: 200, body: { nosuch: { topics: [] } } });
  assert.equal((await bare('PUT', '/connectors/nosuch/topics/reset')).status, 202);
  await call('DELETE', '/connectors/four');
});

test('STOPPED lists no tasks anywhere; initial_state PAUSED creates none until resumed', async () => {
  await call('POST', '/connectors', { name: 'stopper', config: cfg() });
  await bare('PUT', '/connectors/stopper/stop');
  assert.deepEqual((await call('GET', '/connectors/stopper')).body.tasks, []);
  assert.deepEqual((await call('GET', '/connectors/stopper/tasks')).body, []);
  assert.deepEqual((await call('GET', '/connectors/stopper/status')).body.tasks, []);
  assert.equal((await call('GET', '/connectors/stopper/tasks/0/status')).status, 404);
  await bare('PUT', '/connectors/stopper/pause');
  assert.deepEqual((await call('GET', '/connectors/stopper/status')).body, {
    name: 'stopper',
    connector: { state: 'PAUSED', worker_id: '127.0.0.1:8083', version: '4.1.1-seaway' },
    tasks: [],
    type: 'source',
  });

  const born = await call('POST', '/connectors', { name: 'born', config: cfg(), initial_state: 'PAUSED' });
  assert.equal(born.status, 201);
  assert.deepEqual(born.body.tasks, []);
  const paused = (await call('GET', '/connectors/born/status')).body;
  assert.equal(paused.connector.state, 'PAUSED');
  assert.deepEqual(paused.tasks, []);
  let acked = 0;
  gate.publish({ topic: '/c41/born', payload: Buffer.from('x') }, () => acked++);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(sink.records('c41-out').length, 0, 'no task took the message');
  assert.equal((await bare('PUT', '/connectors/born/resume')).status, 202);
  const resumed = (await call('GET', '/connectors/born/status')).body;
  assert.equal(resumed.connector.state, 'RUNNING');
  assert.deepEqual(
    resumed.tasks.map((t: { state: string }) => t.state),
    ['RUNNING'],
  );
  await call('DELETE', '/connectors/born');
  await call('DELETE', '/connectors/stopper');
});

test('restart?includeTasks=true answers 202 with RESTARTING; onlyFailed with nothing failed shows RUNNING', async () => {
  await call('POST', '/connectors', { name: 'rs', config: cfg() });
  const r = await bare('POST', '/connectors/rs/restart?includeTasks=true');
  assert.equal(r.status, 202);
  assert.deepEqual(r.body, {
    name: 'rs',
    connector: { state: 'RESTARTING', worker_id: '127.0.0.1:8083', version: '4.1.1-seaway' },
    tasks: [{ id: 0, state: 'RESTARTING', worker_id: '127.0.0.1:8083', version: '4.1.1-seaway' }],
    type: 'source',
  });
  assert.equal((await call('GET', '/connectors/rs/status')).body.tasks[0].state, 'RUNNING');
  const only = await bare('POST', '/connectors/rs/restart?onlyFailed=true');
  assert.equal(only.status, 202);
  assert.equal(only.body.connector.state, 'RUNNING');
  assert.equal(only.body.tasks[0].state, 'RUNNING');
  await call('DELETE', '/connectors/rs');
});

test('offsets (KIP-875): GET shows the last message per MQTT topic; PATCH and DELETE need STOPPED', async () => {
  await call('POST', '/connectors', {
    name: 'off',
    config: cfg({ 'connect.mqtt.kcql': 'INSERT INTO off SELECT * FROM `/off/#`' }),
  });
  let acked = 0;
  gate.publish({ topic: '/off/a', payload: Buffer.from('1'), messageId: 5 }, () => acked++);
  gate.publish({ topic: '/off/a', payload: Buffer.from('2'), messageId: 6 }, () => acked++);
  gate.publish({ topic: '/off/b', payload: Buffer.from('3'), messageId: 7 }, () => acked++);
  await until(() => acked === 3, 'acks');
  const got = (await call('GET', '/connectors/off/offsets')).body.offsets;
  assert.deepEqual(
    got.map((o: { partition: object; offset: Record<string, unknown> }) => [
      o.partition,
      o.offset['message.id'],
      o.offset['kafka.topic'],
    ]),
    [
      [{ 'mqtt.topic': '/off/a' }, 6, 'off'],
      [{ 'mqtt.topic': '/off/b' }, 7, 'off'],
    ],
  );
  const stopFirst =
    "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/off/stop' endpoint";
  const patch = { offsets: [{ partition: { 'mqtt.topic': '/off/a' }, offset: { 'message.id': 1 } }] };
  assert.deepEqual(await call('PATCH', '/connectors/off/offsets', patch), {
    status: 400,
    body: { error_code: 400, message: stopFirst },
  });
  assert.deepEqual(await bare('DELETE', '/connectors/off/offsets'), {
    status: 400,
    body: { error_code: 400, message: stopFirst },
  });
  await bare('PUT', '/connectors/off/stop');
  assert.equal((await call('GET', '/connectors/off/offsets')).body.offsets.length, 2, 'kept while STOPPED');
  assert.deepEqual((await call('PATCH', '/connectors/off/offsets', { offsets: [] })).body, {
    error_code: 400,
    message: 'Partitions / offsets need to be provided for an alter offsets request',
  });
  assert.equal(
    (await call('PATCH', '/connectors/off/offsets', { offsets: [{ partition: { x: 1 }, offset: null }] })).status,
    400,
  );
  assert.deepEqual(await call('PATCH', '/connectors/off/offsets', patch), {
    status: 200,
    body: { message: 'The offsets for this connector have been altered successfully' },
  });
  const patched = (await call('GET', '/connectors/off/offsets')).body.offsets;
  assert.deepEqual(patched[0], { partition: { 'mqtt.topic': '/off/a' }, offset: { 'message.id': 1 } });
  await call('PATCH', '/connectors/off/offsets', {
    offsets: [{ partition: { 'mqtt.topic': '/off/b' }, offset: null }],
  });
  assert.equal((await call('GET', '/connectors/off/offsets')).body.offsets.length, 1, 'null removes a partition');
  assert.deepEqual(await bare('DELETE', '/connectors/off/offsets'), {
    status: 200,
    body: { message: 'The offsets for this connector have been reset successfully' },
  });
  assert.deepEqual((await call('GET', '/connectors/off/offsets')).body, { offsets: [] });
  await call('DELETE', '/connectors/off');
});

test('offsets of a connector with an external broker include its MQTT session; DELETE makes the next session clean', async () => {
  const w = new ConnectWorker({
    store: memoryStore(),
    sink,
    registry: fakeRegistry(),
    gateFor: () => undefined,
  });
  await w.create(
    'sess',
    cfg({ 'connect.mqtt.hosts': 'tcp://127.0.0.1:1', 'connect.mqtt.client.id': 'cid', 'connect.mqtt.clean': 'false' }),
  );
  try {
    const session = (o: { partition: Record<string, unknown> }) => o.partition['mqtt.session'] !== undefined;
    assert.deepEqual(w.offsets('sess').filter(session), [
      { partition: { 'mqtt.session': 'cid' }, offset: { clean: false, hosts: 'tcp://127.0.0.1:1' } },
    ]);
    await w.stop('sess');
    w.resetOffsets('sess');
    assert.deepEqual(w.offsets('sess').filter(session)[0]?.offset, { clean: true, hosts: 'tcp://127.0.0.1:1' });
  } finally {
    await w.close();
  }
});

test('/admin/loggers lists, reads and sets levels that really filter what the components log', async () => {
  const all = (await call('GET', '/admin/loggers')).body;
  assert.deepEqual(all['seaway.bridge.task'], { level: 'INFO', last_modified: null });
  assert.deepEqual(all.root, { level: 'INFO', last_modified: null });
  assert.deepEqual(await call('GET', '/admin/loggers/nosuch.logger'), {
    status: 404,
    body: { error_code: 404, message: 'Logger nosuch.logger not found.' },
  });
  assert.deepEqual((await call('PUT', '/admin/loggers/seaway.bridge', {})).body, {
    error_code: 400,
    message: "Desired 'level' parameter was not specified in request.",
  });
  assert.deepEqual(await call('PUT', '/admin/loggers/seaway.bridge', { level: 'LOUD' }), {
    status: 404,
    body: { error_code: 404, message: "invalid log level 'LOUD'." },
  });

  await call('POST', '/connectors', {
    name: 'chatty',
    config: cfg({ 'connect.mqtt.kcql': 'INSERT INTO chat SELECT * FROM /chat', 'connect.mqtt.log.message': 'true' }),
  });
  const set = await call('PUT', '/admin/loggers/seaway.bridge', { level: 'warn' });
  assert.equal(set.status, 200);
  assert.deepEqual(set.body, ['seaway.bridge', 'seaway.bridge.task', 'seaway.bridge.worker']);
  const one = (await call('GET', '/admin/loggers/seaway.bridge.task')).body;
  assert.equal(one.level, 'WARN');
  assert.equal(typeof one.last_modified, 'number');
  let acked = 0;
  const before = lines.length;
  gate.publish({ topic: '/chat', payload: Buffer.from('quiet') }, () => acked++);
  await until(() => acked === 1, 'ack');
  assert.equal(lines.slice(before).filter((l) => l.includes('Message received')).length, 0, 'WARN hides info lines');

  assert.equal((await call('PUT', '/admin/loggers/seaway.bridge.task?scope=cluster', { level: 'INFO' })).status, 204);
  gate.publish({ topic: '/chat', payload: Buffer.from('loud') }, () => acked++);
  await until(() => acked === 2, 'ack');
  assert.equal(lines.slice(before).filter((l) => l.includes('Message received')).length, 1, 'INFO shows them again');
  assert.deepEqual(
    (await call('PUT', '/admin/loggers/seaway.bridge.task', { level: 'INFO' })).body,
    [],
    'nothing changed',
  );
  await call('DELETE', '/connectors/chatty');
});

test('/connector-plugins?connectorsOnly=false lists converters; /connector-plugins/{class}/config describes a plugin', async () => {
  const only = (await call('GET', '/connector-plugins')).body;
  assert.deepEqual(
    only.map((p: { type: string }) => p.type),
    ['source', 'source'],
  );
  const all = (await call('GET', '/connector-plugins?connectorsOnly=false')).body as Array<{
    class: string;
    type: string;
    version: string;
  }>;
  const byType = (t: string) => all.filter((p) => p.type === t).map((p) => p.class);
  assert.ok(byType('converter').includes('org.apache.kafka.connect.json.JsonConverter'));
  assert.ok(byType('converter').includes('io.confluent.connect.avro.AvroConverter'));
  assert.ok(byType('header_converter').includes('org.apache.kafka.connect.storage.SimpleHeaderConverter'));
  const order = [...new Set(all.map((p) => p.type))];
  assert.deepEqual(order.slice(0, 1), ['source']);
  assert.deepEqual(order.slice(-2), ['converter', 'header_converter']);

  const conf = (await call('GET', `/connector-plugins/${CLS}/config`)).body;
  const kcql = conf.find((d: { name: string }) => d.name === 'connect.mqtt.kcql');
  assert.equal(kcql.required, true);
  assert.ok(!conf.some((d: { name: string }) => d.name === 'errors.tolerance'), 'only the connector own keys');
  const json = (await call('GET', '/connector-plugins/JsonConverter/config')).body;
  assert.deepEqual(
    json.map((d: { name: string }) => d.name),
    ['converter.type', 'schemas.enable'],
  );
  assert.deepEqual(await call('GET', '/connector-plugins/com.example.Nope/config'), {
    status: 404,
    body: { error_code: 404, message: 'Unknown plugin com.example.Nope.' },
  });
});

test("validate returns Connect's framework keys and groups, with Connect's messages for bad values", async () => {
  const r = await call('PUT', `/connector-plugins/${CLS}/config/validate`, {
    ...cfg(),
    name: 'v',
    'errors.tolerance': 'some',
    'errors.retry.timeout': 'x',
    'tasks.max.enforce': 'maybe',
    'exactly.once.support': 'x',
    'transaction.boundary': 'y',
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.groups.slice(0, 7), [
    'Common',
    'Transforms',
    'Predicates',
    'Error Handling',
    'Topic Creation',
    'Exactly Once Support',
    'offsets.topic',
  ]);
  const names = r.body.configs.map((c: { definition: { name: string } }) => c.definition.name);
  for (const k of [
    'connector.plugin.version',
    'tasks.max.enforce',
    'key.converter.plugin.version',
    'value.converter.plugin.version',
    'header.converter.plugin.version',
    'transforms',
    'predicates',
    'config.action.reload',
    'errors.retry.timeout',
    'errors.retry.delay.max.ms',
    'errors.tolerance',
    'errors.log.enable',
    'errors.log.include.messages',
    'topic.creation.groups',
    'exactly.once.support',
    'transaction.boundary',
    'transaction.boundary.interval.ms',
    'offsets.storage.topic',
  ])
    assert.ok(names.includes(k), k);
  const errs = Object.fromEntries(
    r.body.configs
      .filter((c: { value: { errors: string[] } }) => c.value.errors.length)
      .map((c: { definition: { name: string }; value: { errors: string[] } }) => [c.definition.name, c.value.errors]),
  );
  assert.deepEqual(errs, {
    'tasks.max.enforce': [
      'Invalid value maybe for configuration tasks.max.enforce: Expected value to be either true or false',
    ],
    'errors.retry.timeout': ['Invalid value x for configuration errors.retry.timeout: Not a number of type LONG'],
    'errors.tolerance': ['Invalid value some for configuration errors.tolerance: String must be one of: none, all'],
    'exactly.once.support': [
      'Invalid value x for configuration exactly.once.support: String must be one of (case insensitive): REQUIRED, REQUESTED',
    ],
    'transaction.boundary': [
      'Invalid value y for configuration transaction.boundary: String must be one of (case insensitive): INTERVAL, POLL, CONNECTOR',
    ],
  });
  assert.equal(r.body.error_count, 5);
});

test('a misspelled connector key gets a validation message naming the key it resembles; other unknown keys pass', async () => {
  const c = cfg();
  const { 'connect.mqtt.kcql': kcql, ...rest } = c;
  const r = await call('PUT', `/connector-plugins/${CLS}/config/validate`, {
    ...rest,
    name: 'v',
    'connect.mqtt.kcqll': kcql,
  });
  const entry = r.body.configs.find(
    (x: { definition: { name: string } }) => x.definition.name === 'connect.mqtt.kcqll',
  );
  assert.ok(entry, 'the unknown key is listed');
  assert.match(entry.value.errors[0], /did you mean connect\.mqtt\.kcql\?/);
  const created = await call('POST', '/connectors', { name: 'typo', config: { ...c, 'connect.mqtt.clen': 'false' } });
  assert.equal(created.status, 400);
  assert.match(created.body.message, /connect\.mqtt\.clen.*did you mean connect\.mqtt\.clean\?/);
  const other = await call('POST', '/connectors', {
    name: 'other-keys',
    config: { ...c, 'connect.mqtt.error.policy': 'THROW' },
  });
  assert.equal(other.status, 201, 'a key that resembles none of ours is ignored, as Connect does');
  await call('DELETE', '/connectors/other-keys');
});
