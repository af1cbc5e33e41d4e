// The Connect REST API contract: paths, status codes and body shapes as Apache Kafka defines them,
// over fastify inject with an in-memory store, a fake gate and a fake sink (no network).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { connectRestPlugin } from '../src/rest/connect-plugin.ts';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { FakeGate, FakeSink, fakeRegistry, until } from './fakes.ts';
import { seedConfig } from './helpers.ts';

const gate = new FakeGate();
const sink = new FakeSink();
const store = memoryStore();
let worker: ConnectWorker;
let app: FastifyInstance;

const CLS = 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector';
const cfg = (extra: Record<string, string> = {}) => ({
  'connector.class': CLS,
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql': 'INSERT INTO rest-out SELECT * FROM `/rest/#`',
  'connect.mqtt.service.quality': '1',
  ...extra,
});

before(async () => {
  worker = new ConnectWorker({
    store,
    sink,
    registry: fakeRegistry(),
    gateFor: () => gate,
    workerId: '127.0.0.1:8083',
  });
  await worker.start();
  app = Fastify();
  await app.register(connectRestPlugin, { worker, prefix: '/api/connect' });
  await app.ready();
});
after(async () => {
  await worker.close();
  await app.close();
});

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await app.inject({
    method,
    url: `/api/connect${url}`,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
}

test('GET / gives version, commit and cluster id; GET /health says healthy', async () => {
  const root = await call('GET', '/');
  assert.equal(root.status, 200);
  assert.deepEqual(Object.keys(root.body).sort(), ['commit', 'kafka_cluster_id', 'version']);
  const health = await call('GET', '/health');
  assert.deepEqual(health, {
    status: 200,
    body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
    headers: health.headers,
  });
});

test('GET /connector-plugins lists the MQTT source under both class names', async () => {
  const r = await call('GET', '/connector-plugins');
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.body.map((p: { class: string; type: string }) => [p.class, p.type]),
    [
      ['com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector', 'source'],
      [CLS, 'source'],
    ],
  );
});

test('PUT /connector-plugins/{class}/config/validate answers ConfigInfos with per-key errors', async () => {
  const r = await call('PUT', `/connector-plugins/${CLS}/config/validate`, {
    'connector.class': CLS,
    name: 'v',
    'connect.mqtt.service.quality': '9',
  });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body).sort(), ['configs', 'error_count', 'groups', 'name']);
  assert.equal(r.body.name, CLS);
  const errs = Object.fromEntries(
    r.body.configs
      .filter((c: { value: { errors: string[] } }) => c.value.errors.length)
      .map((c: { definition: { name: string }; value: { errors: string[] } }) => [c.definition.name, c.value.errors]),
  );
  assert.deepEqual(Object.keys(errs).sort(), [
    'connect.mqtt.hosts',
    'connect.mqtt.kcql',
    'connect.mqtt.service.quality',
  ]);
  assert.equal(r.body.error_count, 3);
  const short = await call('PUT', '/connector-plugins/MqttSourceConnector/config/validate', { name: 'v', ...cfg() });
  assert.equal(short.body.error_count, 0);
  const unknown = await call('PUT', '/connector-plugins/com.example.Nope/config/validate', {});
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error_code, 400);
});

test('connector lifecycle: create 201 + Location, 409 on duplicate, info, config, status, tasks', async () => {
  const created = await call('POST', '/connectors', { name: 'life', config: cfg() });
  assert.equal(created.status, 201);
  assert.equal(created.headers.location, '/connectors/life');
  assert.deepEqual(created.body, {
    name: 'life',
    config: { ...cfg(), name: 'life' },
    tasks: [{ connector: 'life', task: 0 }],
    type: 'source',
  });
  const dup = await call('POST', '/connectors', { name: 'life', config: cfg() });
  assert.equal(dup.status, 409);
  assert.deepEqual(Object.keys(dup.body).sort(), ['error_code', 'message']);
  assert.equal(dup.body.error_code, 409);

  assert.deepEqual((await call('GET', '/connectors')).body.includes('life'), true);
  assert.deepEqual((await call('GET', '/connectors/life')).body, created.body);
  assert.deepEqual((await call('GET', '/connectors/life/config')).body, { ...cfg(), name: 'life' });
  const status = await call('GET', '/connectors/life/status');
  assert.deepEqual(status.body, {
    name: 'life',
    connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083', version: '4.1.1-seaway' },
    tasks: [{ id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083', version: '4.1.1-seaway' }],
    type: 'source',
  });
  const tasks = await call('GET', '/connectors/life/tasks');
  assert.deepEqual(tasks.body[0].id, { connector: 'life', task: 0 });
  assert.equal(
    tasks.body[0].config['task.class'],
    'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceTask',
  );
  assert.deepEqual((await call('GET', '/connectors/life/tasks/0/status')).body, {
    id: 0,
    state: 'RUNNING',
    worker_id: '127.0.0.1:8083',
    version: '4.1.1-seaway',
  });
  assert.equal((await call('GET', '/connectors/life/tasks/5/status')).status, 404);

  const expanded = await call('GET', '/connectors?expand=status&expand=info');
  assert.deepEqual(Object.keys(expanded.body.life).sort(), ['info', 'status']);
  assert.equal(expanded.body.life.status.connector.state, 'RUNNING');
  assert.deepEqual((await call('GET', '/connectors?expand=info')).body.life.info, created.body);
});

test('an invalid config is a 400 naming the key; a missing connector a 404', async () => {
  const bad = await call('POST', '/connectors', { name: 'bad', config: cfg({ 'connect.mqtt.service.quality': '5' }) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error_code, 400);
  assert.match(bad.body.message, /connect\.mqtt\.service\.quality/);
  assert.match(bad.body.message, /contains the following 1 error\(s\)/);
  const missing = await call('GET', '/connectors/nope/status');
  assert.deepEqual(missing.body, { error_code: 404, message: 'No status found for connector nope' });
  assert.deepEqual((await call('GET', '/connectors/nope')).body, {
    error_code: 404,
    message: 'Connector nope not found',
  });
  assert.equal((await call('GET', '/nothing/here')).status, 404);
});

test('PUT config creates (201) then updates (200); PATCH merges and null removes', async () => {
  const c1 = await call('PUT', '/connectors/putme/config', cfg());
  assert.equal(c1.status, 201);
  const c2 = await call('PUT', '/connectors/putme/config', cfg({ 'connect.mqtt.log.message': 'true' }));
  assert.equal(c2.status, 200);
  assert.equal(c2.body.config['connect.mqtt.log.message'], 'true');
  const p = await call('PATCH', '/connectors/putme/config', { 'connect.mqtt.log.message': null, 'tasks.max': '2' });
  assert.equal(p.status, 200);
  assert.equal(p.body.config['connect.mqtt.log.message'], undefined);
  assert.equal(p.body.config['tasks.max'], '2');
  const mismatch = await call('PUT', '/connectors/putme/config', cfg({ name: 'other' }));
  assert.equal(mismatch.status, 400);
});

test('pause 202, resume 202, stop 204 (no tasks), restart 204 or 202 with status, task restart 204, delete 204', async () => {
  await call('POST', '/connectors', { name: 'ops', config: cfg() });
  assert.equal((await call('PUT', '/connectors/ops/pause')).status, 202);
  assert.equal((await call('GET', '/connectors/ops/status')).body.connector.state, 'PAUSED');
  assert.equal((await call('GET', '/connectors/ops/status')).body.tasks[0].state, 'PAUSED');
  assert.equal((await call('PUT', '/connectors/ops/resume')).status, 202);
  assert.equal((await call('GET', '/connectors/ops/status')).body.connector.state, 'RUNNING');
  assert.equal((await call('PUT', '/connectors/ops/stop')).status, 204);
  const stopped = (await call('GET', '/connectors/ops/status')).body;
  assert.equal(stopped.connector.state, 'STOPPED');
  assert.deepEqual(stopped.tasks, []);
  assert.equal((await call('PUT', '/connectors/ops/resume')).status, 202);
  assert.equal((await call('GET', '/connectors/ops/status')).body.tasks[0].state, 'RUNNING');
  assert.equal((await call('POST', '/connectors/ops/restart')).status, 204);
  const r = await call('POST', '/connectors/ops/restart?includeTasks=true&onlyFailed=false');
  assert.equal(r.status, 202);
  assert.equal(r.body.name, 'ops');
  assert.equal((await call('POST', '/connectors/ops/tasks/0/restart')).status, 204);
  assert.equal((await call('DELETE', '/connectors/ops')).status, 204);
  assert.equal((await call('GET', '/connectors/ops')).status, 404);
});

test('topics lists what the connector wrote; offsets report the last message per MQTT topic', async () => {
  await call('POST', '/connectors', {
    name: 'topics',
    config: cfg({ 'connect.mqtt.kcql': 'INSERT INTO `$` SELECT * FROM `/tp/#`' }),
  });
  let acked = 0;
  gate.publish({ topic: '/tp/a', payload: Buffer.from('x') }, () => acked++);
  await until(() => acked === 1, 'ack');
  assert.deepEqual((await call('GET', '/connectors/topics/topics')).body, { topics: { topics: ['tp_a'] } });
  const offsets = (await call('GET', '/connectors/topics/offsets')).body.offsets;
  assert.equal(offsets.length, 1);
  assert.deepEqual(offsets[0].partition, { 'mqtt.topic': '/tp/a' });
  assert.equal(offsets[0].offset['kafka.topic'], 'tp_a');
});

test('the seed connector JSON is accepted unchanged apart from host and schema path', async () => {
  const seed = seedConfig('127.0.0.1:1883');
  const r = await call('POST', '/connectors', seed);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await call('GET', `/connectors/${seed.name}/status`)).body.tasks[0].state, 'RUNNING');
});

test('connector configs and target state are kept in the store and reloaded by a new worker', async () => {
  await call('POST', '/connectors', { name: 'kept', config: cfg() });
  await call('PUT', '/connectors/kept/pause');
  const w2 = new ConnectWorker({
    store,
    sink,
    registry: fakeRegistry(),
    gateFor: () => new FakeGate(),
    workerId: 'w2',
  });
  await w2.start();
  try {
    assert.ok(w2.names().includes('kept'));
    assert.equal(w2.status('kept').connector.state, 'PAUSED');
    assert.equal(store.statuses.get('connector-kept')?.state, 'PAUSED');
  } finally {
    await w2.close();
  }
});

test('tasks.max splits KCQL across tasks with -N client ids; a replicated $share statement is spread over the tasks, each message written once', async () => {
  const created = await call('POST', '/connectors', {
    name: 'split',
    config: cfg({
      'tasks.max': '2',
      'connect.mqtt.client.id': 'cid',
      'connect.mqtt.share.replicate': 'true',
      'connect.mqtt.kcql':
        'INSERT INTO sa SELECT * FROM /sa;INSERT INTO sb SELECT * FROM /sb;INSERT INTO ss SELECT * FROM `$share/g/ss`',
    }),
  });
  assert.equal(created.status, 201);
  const tasks = (await call('GET', '/connectors/split/tasks')).body;
  assert.deepEqual(
    tasks.map((t: { config: Record<string, string> }) => [
      t.config['connect.mqtt.client.id'],
      t.config['connect.mqtt.kcql'],
    ]),
    [
      [
        'cid-0',
        'INSERT INTO sa SELECT * FROM /sa;INSERT INTO sb SELECT * FROM /sb;INSERT INTO ss SELECT * FROM `$share/g/ss`',
      ],
      ['cid-1', 'INSERT INTO ss SELECT * FROM `$share/g/ss`'],
    ],
  );
  const before = sink.records('ss').length;
  let acked = 0;
  for (let i = 0; i < 10; i++) gate.publish({ topic: 'ss', payload: Buffer.from(`x${i}`) }, () => acked++);
  await until(() => acked === 10, 'acks');
  assert.equal(sink.records('ss').length - before, 10);
  const perTask = worker
    .metrics()
    .find((c) => c.name === 'split')
    ?.tasks.map((t) => t.messagesIn);
  assert.deepEqual(perTask, [5, 5], 'the two tasks holding the $share statement take turns');
  await call('DELETE', '/connectors/split');
});

test('metrics() gives plain numbers per connector and task', async () => {
  await call('POST', '/connectors', {
    name: 'metered',
    config: cfg({
      'connect.mqtt.kcql':
        'INSERT INTO mt SELECT * FROM /mt WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter`',
    }),
  });
  let acked = 0;
  gate.publish({ topic: '/mt', payload: Buffer.from('{"a":1}') }, () => acked++);
  gate.publish({ topic: '/mt', payload: Buffer.from('{bad') }, () => acked++);
  await until(() => acked === 2, 'acks');
  const m = worker.metrics().find((c) => c.name === 'metered');
  assert.ok(m);
  assert.equal(m.messagesIn, 2);
  assert.equal(m.recordsOut, 1, 'the one converted record; the dead letter counts apart');
  assert.equal(m.deadLettered, 1);
  assert.equal(m.inFlight, 0);
  assert.ok(m.bytesOut > 0);
  assert.ok(m.produceLatencyAvgMs >= 0);
  assert.equal(m.tasks.length, 1);
  assert.equal(m.tasks[0]?.state, 'RUNNING');
  for (const v of Object.values(m)) if (typeof v !== 'string' && !Array.isArray(v)) assert.equal(typeof v, 'number');
});

test('POST with initial_state PAUSED or STOPPED creates the connector in that state', async () => {
  assert.equal(
    (await call('POST', '/connectors', { name: 'born-paused', config: cfg(), initial_state: 'PAUSED' })).status,
    201,
  );
  assert.equal((await call('GET', '/connectors/born-paused/status')).body.connector.state, 'PAUSED');
  assert.equal(
    (await call('POST', '/connectors', { name: 'born-stopped', config: cfg(), initial_state: 'STOPPED' })).status,
    201,
  );
  assert.equal((await call('GET', '/connectors/born-stopped/status')).body.connector.state, 'STOPPED');
  assert.equal(
    (await call('POST', '/connectors', { name: 'born-bad', config: cfg(), initial_state: 'ASLEEP' })).status,
    400,
  );
});

test('a failed task shows its trace and restart?includeTasks=true&onlyFailed=true brings it back', async () => {
  await call('POST', '/connectors', {
    name: 'fails',
    config: cfg({
      'connect.mqtt.kcql':
        'INSERT INTO fx SELECT * FROM /fx WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter`',
      'connect.mqtt.converter.throw.on.error': 'true',
    }),
  });
  let refused: Error | undefined;
  gate.publish({ topic: '/fx', payload: Buffer.from('{oops') }, (e) => {
    refused = e;
  });
  await until(() => refused !== undefined, 'the refusal');
  const failed = (await call('GET', '/connectors/fails/status')).body;
  assert.equal(failed.tasks[0].state, 'FAILED');
  assert.match(failed.tasks[0].trace, /Failed to parse json/);
  const r = await call('POST', '/connectors/fails/restart?includeTasks=true&onlyFailed=true');
  assert.equal(r.status, 202);
  assert.equal((await call('GET', '/connectors/fails/status')).body.tasks[0].state, 'RUNNING');
});

test('concurrent creates of one name give one 201 and one 409', async () => {
  const [a, b] = await Promise.all([
    call('POST', '/connectors', { name: 'race', config: cfg() }),
    call('POST', '/connectors', { name: 'race', config: cfg() }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [201, 409]);
});

test('restarts and config updates leave no moment in which a publish bypasses the connector', async () => {
  await call('POST', '/connectors', {
    name: 'nogap',
    config: cfg({ 'connect.mqtt.kcql': 'INSERT INTO ng SELECT * FROM /ng' }),
  });
  const before = sink.records('ng').length;
  let published = 0;
  let acked = 0;
  let running = true;
  const pump = (async () => {
    while (running) {
      published++;
      gate.publish({ topic: '/ng', payload: Buffer.from('x') }, () => acked++);
      await new Promise((r) => setImmediate(r));
    }
  })();
  await call('POST', '/connectors/nogap/tasks/0/restart');
  await call('POST', '/connectors/nogap/restart?includeTasks=true');
  await call(
    'PUT',
    '/connectors/nogap/config',
    cfg({ 'connect.mqtt.kcql': 'INSERT INTO ng SELECT * FROM /ng', 'connect.mqtt.log.message': 'false' }),
  );
  running = false;
  await pump;
  await until(() => acked === published, 'all acks');
  assert.ok(
    sink.records('ng').length - before >= published,
    `${sink.records('ng').length - before} records for ${published} publishes`,
  );
});
