// The connector as an MQTT client of an external broker (mosquitto on a free port): messages reach
// Kafka, a persistent session (clean=false) resumes after a stop with the messages published
// meanwhile, and a dead first host fails over to the next one.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { type ConnectRuntime, startConnect } from '../src/start-connect.ts';
import { memoryStore } from '../src/store/store.ts';
import { until } from './fakes.ts';
import { unique } from './helpers.ts';
import { readTopic } from './kafka-read.ts';
import { type RegistryStub, startRegistryStub } from './registry-stub.ts';

const kafka = realKafka() as string | false;
const mosquittoBin = command('mosquitto') as string | false;
const skip = (!kafka && 'no real Kafka') || (!mosquittoBin && 'no mosquitto');

let mosq: ChildProcess | undefined;
let port = 0;
let authPort = 0;
let tlsPort = 0;
let tlsDir = '';
let rt: ConnectRuntime;
let registry: RegistryStub;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return p;
}

before(async () => {
  if (skip) return;
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'seaway-mosq-'));
  // mosquitto started as root drops to its own user before reading the password file.
  chmodSync(dir, 0o755);
  authPort = await freePort();
  tlsPort = await freePort();
  tlsDir = dir;
  const ssl = (args: string) => spawnSync('openssl', args.split(' '), { cwd: dir, stdio: 'ignore' });
  ssl('req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=seaway-test-ca');
  for (const who of ['server', 'client']) {
    ssl(`req -newkey rsa:2048 -nodes -keyout ${who}.key -out ${who}.csr -subj /CN=${who}`);
    ssl(`x509 -req -in ${who}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ${who}.crt -days 1`);
  }
  for (const f of ['ca.crt', 'server.crt', 'server.key']) chmodSync(join(dir, f), 0o644);
  spawnSync('mosquitto_passwd', ['-b', '-c', join(dir, 'pw'), 'alice', 's3cret']);
  writeFileSync(
    join(dir, 'm.conf'),
    [
      'per_listener_settings true',
      'persistence false',
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      `listener ${authPort} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${join(dir, 'pw')}`,
      `listener ${tlsPort} 127.0.0.1`,
      'allow_anonymous true',
      `cafile ${join(dir, 'ca.crt')}`,
      `certfile ${join(dir, 'server.crt')}`,
      `keyfile ${join(dir, 'server.key')}`,
      'require_certificate true',
      '',
    ].join('\n'),
  );
  mosq = spawn(mosquittoBin as string, ['-c', join(dir, 'm.conf')], { stdio: 'ignore' });
  const probe = async () => {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
      await c.endAsync();
      return true;
    } catch {
      return false;
    }
  };
  const end = Date.now() + 5000;
  while (!(await probe())) if (Date.now() > end) throw new Error('mosquitto did not start');
  registry = await startRegistryStub();
  rt = await startConnect({
    brokers: [kafka as string],
    port: 0,
    host: '127.0.0.1',
    store: memoryStore(),
    registryUrl: registry.url,
  });
});

after(async () => {
  if (skip) return;
  await rt?.close();
  await registry?.close();
  mosq?.kill('SIGTERM');
});

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${rt.port}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('as an MQTT client: records reach Kafka and a persistent session resumes after stop/resume', {
  skip,
}, async () => {
  const topic = unique('ext');
  const name = unique('ext-conn');
  const created = await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${port}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.clean': 'false',
      'connect.mqtt.client.id': unique('ext-client'),
      'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`/ext/#\` WITHCONVERTER=\`io.lenses.streamreactor.connect.converters.source.JsonPassThroughConverter\``,
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const status = await rest('GET', `/connectors/${name}/status`);
  assert.equal(status.body.tasks[0].state, 'RUNNING', JSON.stringify(status.body));
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: unique('ext-pub') });
  for (let i = 0; i < 5; i++) await pub.publishAsync(`/ext/${i}`, `{"i":${i}}`, { qos: 1 });
  await until(() => (rt.metrics().find((c) => c.name === name)?.recordsOut ?? 0) === 5, '5 records out', 10_000);

  assert.equal((await rest('PUT', `/connectors/${name}/stop`)).status, 204);
  for (let i = 5; i < 8; i++) await pub.publishAsync(`/ext/${i}`, `{"i":${i}}`, { qos: 1 });
  assert.equal((await rest('PUT', `/connectors/${name}/resume`)).status, 202);
  await pub.endAsync();

  const got = await readTopic(kafka as string, topic, 8);
  assert.deepEqual(
    got.map((r) => r.value?.toString()).sort(),
    [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `{"i":${i}}`),
  );
  await rest('DELETE', `/connectors/${name}`);
});

test('a dead first host fails over to the next one in connect.mqtt.hosts', { skip }, async () => {
  const dead = await freePort();
  const name = unique('failover');
  const created = await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${dead},tcp://127.0.0.1:${port}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.source.kcql': `INSERT INTO ${unique('fo')} SELECT * FROM /fo`,
    },
  });
  assert.equal(created.status, 201);
  const st = await rest('GET', `/connectors/${name}/status`);
  assert.equal(st.body.tasks[0].state, 'RUNNING', JSON.stringify(st.body));
  await rest('DELETE', `/connectors/${name}`);
});

test('an unreachable single host fails the task with a trace in its status', { skip }, async () => {
  const dead = await freePort();
  const name = unique('unreachable');
  await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${dead}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.source.kcql': 'INSERT INTO nowhere SELECT * FROM /x',
    },
  });
  const st = await rest('GET', `/connectors/${name}/status`);
  assert.equal(st.body.tasks[0].state, 'FAILED');
  assert.match(st.body.tasks[0].trace, /ECONNREFUSED/);
  await rest('DELETE', `/connectors/${name}`);
});

test('connect.mqtt.username (or the 2017 connect.mqtt.user) and password authenticate; a wrong password fails the task', {
  skip,
}, async () => {
  const base = {
    'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': `tcp://127.0.0.1:${authPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.source.kcql': 'INSERT INTO auth SELECT * FROM /auth',
  };
  const good = unique('auth-ok');
  await rest('POST', '/connectors', {
    name: good,
    config: { ...base, 'connect.mqtt.user': 'alice', 'connect.mqtt.password': 's3cret' },
  });
  assert.equal((await rest('GET', `/connectors/${good}/status`)).body.tasks[0].state, 'RUNNING');
  const bad = unique('auth-bad');
  await rest('POST', '/connectors', {
    name: bad,
    config: { ...base, 'connect.mqtt.username': 'alice', 'connect.mqtt.password': 'nope' },
  });
  const st = (await rest('GET', `/connectors/${bad}/status`)).body;
  assert.equal(st.tasks[0].state, 'FAILED');
  assert.match(st.tasks[0].trace, /Not authorized|Bad username or password/i);
  await rest('DELETE', `/connectors/${good}`);
  await rest('DELETE', `/connectors/${bad}`);
});

test('connect.mqtt.ssl.ca.cert/cert/key connect over TLS with a client certificate (2017 key names too)', {
  skip,
}, async () => {
  const name = unique('tls');
  const topic = unique('tls-out');
  const created = await rest('POST', '/connectors', {
    name,
    config: {
      'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `ssl://127.0.0.1:${tlsPort}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.source.kcql': `INSERT INTO ${topic} SELECT * FROM /tls`,
      'connect.mqtt.connection.ssl.ca.cert': join(tlsDir, 'ca.crt'),
      'connect.mqtt.connection.ssl.cert': join(tlsDir, 'client.crt'),
      'connect.mqtt.connection.ssl.key': join(tlsDir, 'client.key'),
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const st = (await rest('GET', `/connectors/${name}/status`)).body;
  assert.equal(st.tasks[0].state, 'RUNNING', JSON.stringify(st));
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: unique('tls-pub') });
  await pub.publishAsync('/tls', 'over tls', { qos: 1 });
  await pub.endAsync();
  const [r] = await readTopic(kafka as string, topic, 1);
  assert.equal(r?.value?.toString(), 'over tls');
  await rest('DELETE', `/connectors/${name}`);
});
