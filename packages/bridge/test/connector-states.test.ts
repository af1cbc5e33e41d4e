// What a publisher sees in each connector state, through the broker's real ingest gate: a
// configured connector's topics are acknowledged only after one of its running tasks wrote the
// record; PAUSED, STOPPED, FAILED and the moment before stored connectors start hold the PUBACK
// (refused after the hold bound); deleting the connector releases its topics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { FakeGate, FakeSink, fakeRegistry, until } from './fakes.ts';

const CLS = 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector';
const cfg = (extra: Record<string, string> = {}) => ({
  'connector.class': CLS,
  'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
  'connect.mqtt.kcql':
    'INSERT INTO st-out SELECT * FROM `/st/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter`',
  'connect.mqtt.service.quality': '1',
  'connect.mqtt.converter.throw.on.error': 'true',
  ...extra,
});

function setup(holdMs = 300, store = memoryStore()) {
  const gate = new FakeGate({ holdMs });
  const sink = new FakeSink();
  const worker = new ConnectWorker({ store, sink, registry: fakeRegistry(), gateFor: () => gate, workerId: 'w:8083' });
  return { gate, sink, worker, store };
}

/** Publish one message; resolves with 'acked' or the refusal's message. */
function publish(gate: FakeGate, payload = '{"v":1}', topic = '/st/a'): Promise<string> {
  return new Promise((resolve) =>
    gate.publish({ topic, payload: Buffer.from(payload) }, (e) => resolve(e ? e.message : 'acked')),
  );
}

test('RUNNING acknowledges after the write; PAUSED and STOPPED hold until the bound; resume takes the held message', async () => {
  const { gate, sink, worker } = setup();
  await worker.create('st', cfg());
  assert.equal(await publish(gate), 'acked');
  assert.equal(sink.records('st-out').length, 1);

  await worker.pause('st');
  assert.match(await publish(gate), /SEAWAY_MQTT_INGEST_HELD/);
  const held = publish(gate);
  await new Promise((r) => setTimeout(r, 50));
  await worker.resume('st');
  assert.equal(await held, 'acked', 'a message held during the pause is taken on resume');
  assert.equal(sink.records('st-out').length, 2);

  await worker.stop('st');
  assert.match(await publish(gate), /SEAWAY_MQTT_INGEST_HELD/);
  assert.equal(sink.records('st-out').length, 2, 'nothing written while STOPPED');
  await worker.resume('st');
  assert.equal(await publish(gate), 'acked');
  await worker.close();
});

test('a FAILED task makes the connector FAILED and its topics unacknowledged until the restart', async () => {
  const { gate, sink, worker } = setup();
  await worker.create('bad', cfg());
  assert.match(await publish(gate, '{oops'), /INGEST_REFUSED/);
  await until(() => worker.status('bad').tasks[0]?.state === 'FAILED', 'the task to fail');
  const st = worker.status('bad');
  assert.equal(st.connector.state, 'FAILED');
  assert.match(st.connector.trace ?? '', /Task bad-0 FAILED/);
  assert.equal(worker.metrics()[0]?.state, 'FAILED');
  assert.match(await publish(gate), /SEAWAY_MQTT_INGEST_HELD/);
  const held = publish(gate);
  await worker.restart('bad', true, true);
  assert.equal(await held, 'acked', 'the restarted task takes the held message');
  assert.equal(worker.status('bad').connector.state, 'RUNNING');
  assert.equal(sink.records('st-out').length, 1);
  await worker.close();
});

test('a stored STOPPED connector covers its topics after a restart; deleting it releases them', async () => {
  const store = memoryStore();
  const first = setup(300, store);
  await first.worker.create('kept', cfg({ 'connect.mqtt.kcql': 'INSERT INTO k SELECT * FROM `/k/#`' }));
  await first.worker.stop('kept');
  await first.worker.close();

  const { gate, worker } = setup(5000, store);
  await worker.start();
  assert.equal(gate.impl.stats().covers, 1, 'the stored STOPPED connector covers /k/#');
  let settled = false;
  const held = publish(gate, 'x', '/k/1').then((r) => {
    settled = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(settled, false, 'held while the connector is STOPPED');
  await worker.remove('kept');
  assert.equal(await held, 'acked', 'released when the connector is deleted');
  assert.equal(gate.impl.stats().covers, 0);
  await worker.close();
});
