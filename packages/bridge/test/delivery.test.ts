import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMqttSourceConfig } from '../src/connector/validate.ts';
import type { SchemaRegistry } from '../src/converters/registry-client.ts';
import { AvroSerializer } from '../src/converters/serialize.ts';
import { BridgeError, BridgeErrorCodes, isBridgeError } from '../src/errors.ts';
import { MqttSourceTask } from '../src/runtime/task.ts';
import { FakeGate, FakeSink, fakeRegistry, until } from './fakes.ts';

function task(
  extra: Record<string, string>,
  o: { maxPending?: number; registry?: SchemaRegistry; holdMs?: number } = {},
) {
  const r = validateMqttSourceConfig({
    name: 'd1',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.kcql':
      'INSERT INTO out SELECT * FROM `/in/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonSimpleConverter`',
    ...extra,
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  const gate = new FakeGate(o.holdMs ? { holdMs: o.holdMs } : {});
  gate.cover('d1', '/in/#');
  const sink = new FakeSink();
  const t = new MqttSourceTask({
    connector: 'd1',
    id: 0,
    settings: r.settings,
    statements: r.settings.kcql,
    clientId: 'c',
    sink,
    serializer: new AvroSerializer(o.registry ?? fakeRegistry()),
    gate,
    ...(o.maxPending ? { maxPending: o.maxPending } : {}),
  });
  return { t, gate, sink };
}

test('the PUBACK (gate done) comes only after the record is in Kafka', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  sink.hold();
  let acked = 'no' as Error | undefined | 'no';
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, (e) => {
    acked = e;
  });
  await until(() => t.metrics().inFlight === 1, 'the message to be in flight');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(acked, 'no', 'acknowledged before Kafka took the record');
  sink.unhold();
  await until(() => acked !== 'no', 'the ack');
  assert.equal(acked, undefined);
  assert.equal(sink.records('out').length, 1);
  await t.stop();
});

test('records of many publishers are batched into one produce', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  sink.hold();
  gate.publish({ topic: '/in/first', payload: Buffer.from('{"v":0}') });
  await until(() => sink.attempts === 1, 'the first send');
  let acks = 0;
  for (let i = 1; i <= 50; i++)
    gate.publish({ topic: `/in/p${i}`, payload: Buffer.from(`{"v":${i}}`), clientId: `p${i}` }, () => acks++);
  sink.unhold();
  await until(() => acks === 50, 'all acks');
  assert.equal(sink.sends.length, 2, 'one send for the first message, one for the 50 that queued behind it');
  assert.equal(sink.sends[1]?.get('out')?.length, 50);
  await t.stop();
});

test('while Kafka fails nothing is acknowledged, the status says so, and the batch is retried', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  sink.failing = new Error('broker down');
  let acked = 0;
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, (e) => {
    assert.equal(e, undefined);
    acked++;
  });
  await until(() => t.metrics().retries >= 1, 'a retry');
  assert.equal(acked, 0);
  const st = t.status('w') as { delivery?: { blocked: boolean; error: string } };
  assert.equal(st.delivery?.blocked, true);
  assert.match(st.delivery?.error ?? '', /broker down/);
  sink.failing = null;
  await until(() => acked === 1, 'the ack after recovery');
  assert.equal(sink.records('out').length, 1);
  assert.equal((t.status('w') as { delivery?: unknown }).delivery, undefined);
  await t.stop();
});

test('past the in-flight bound new messages are refused (no PUBACK) instead of buffered', async () => {
  const { t, gate, sink } = task({}, { maxPending: 3 });
  await t.start();
  sink.hold();
  const results: Array<Error | undefined> = [];
  for (let i = 0; i < 5; i++) gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, (e) => results.push(e));
  await until(() => results.length === 2, 'two refusals');
  // the gate passes the task's refusal on as its cause
  assert.ok(results.every((e) => isBridgeError((e as Error).cause, BridgeErrorCodes.BACKPRESSURE)));
  assert.equal(t.metrics().refused, 2);
  sink.unhold();
  await until(() => results.length === 5, 'the three accepted acks');
  await t.stop();
});

test('an unconvertible payload goes to the dead-letter topic with headers naming the error', async () => {
  const { t, gate, sink } = task({ 'errors.deadletterqueue.topic.name': 'dead' });
  await t.start();
  let acked = 'no' as Error | undefined | 'no';
  gate.publish({ topic: '/in/x', payload: Buffer.from('{broken') }, (e) => {
    acked = e;
  });
  await until(() => acked !== 'no', 'the ack');
  assert.equal(acked, undefined);
  const [rec] = sink.records('dead');
  assert.ok(rec);
  assert.equal(rec.value?.toString(), '{broken');
  assert.equal(rec.headers['__connect.errors.exception.class.name'], BridgeErrorCodes.CONVERT);
  assert.match(rec.headers['__connect.errors.exception.message'] ?? '', /Failed to parse json/);
  assert.equal(rec.headers['__connect.errors.topic'], 'out');
  assert.equal(rec.headers['mqtt.topic'], '/in/x');
  assert.equal(t.metrics().deadLettered, 1);
  // A dead letter is not a record out: "in · out" stays honest (1 in, 0 out, 1 dead-lettered).
  assert.equal(t.metrics().messagesIn, 1);
  assert.equal(t.metrics().recordsOut, 0);
  assert.equal(t.metrics().bytesOut, 0);
  await t.stop();
});

test('with throw.on.error the task fails with a trace and the message stays unacknowledged', async () => {
  const { t, gate, sink } = task({ 'connect.mqtt.converter.throw.on.error': 'true' });
  await t.start();
  let acked = 'no' as Error | undefined | 'no';
  gate.publish({ topic: '/in/x', payload: Buffer.from('{broken') }, (e) => {
    acked = e;
  });
  await until(() => acked !== 'no', 'the refusal');
  assert.ok(acked instanceof Error);
  assert.equal(t.state, 'FAILED');
  assert.match(t.status('w').trace ?? '', /Failed to parse json/);
  assert.equal(gate.attached(), 0, 'a failed task no longer takes messages');
  assert.equal(sink.records().length, 0);
  await t.stop();
});

test('MQTT metadata travels as headers; DUP messages are processed by default and skipped when disabled', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  let n = 0;
  gate.publish(
    { topic: '/in/h', payload: Buffer.from('{"v":1}'), qos: 1, retain: true, dup: true, messageId: 99 },
    () => n++,
  );
  await until(() => n === 1, 'ack');
  assert.deepEqual(sink.records('out')[0]?.headers, {
    'mqtt.topic': '/in/h',
    'mqtt.qos': '1',
    'mqtt.retained': 'true',
    'mqtt.duplicate': 'true',
    'mqtt.message.id': '99',
  });
  await t.stop();

  const skip = task({ 'connect.mqtt.process.duplicates': 'false' });
  await skip.t.start();
  let m = 0;
  skip.gate
    .publish({ topic: '/in/h', payload: Buffer.from('{"v":1}'), dup: true }, () => m++);
  await until(() => m === 1, 'ack');
  assert.equal(skip.sink.records().length, 0);
  assert.equal(skip.t.metrics().skippedDuplicates, 1);
  await skip.t.stop();
});

test('a paused task leaves messages unacknowledged in the gate and delivers them on resume', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  t.pause();
  let acked = 0;
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, () => acked++);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(acked, 0);
  assert.equal(sink.records().length, 0);
  assert.equal(gate.attached(), 0, 'a paused task is detached; the cover holds its topics');
  t.resume();
  await until(() => acked === 1, 'ack after resume');
  assert.equal(sink.records().length, 1);
  await t.stop();
});

test('a message taken before the pause is still written and acknowledged', async () => {
  const { t, gate, sink } = task({});
  await t.start();
  sink.hold();
  let acked = 0;
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, (e) => {
    assert.equal(e, undefined);
    acked++;
  });
  await until(() => sink.attempts === 1, 'the produce');
  t.pause();
  sink.unhold();
  await until(() => acked === 1, 'the ack of the message taken before the pause');
  assert.equal(sink.records().length, 1);
  await t.stop();
});

test('after a task failed its topics get no PUBACK: the next valid message is refused after the hold bound', async () => {
  const { t, gate, sink } = task({ 'connect.mqtt.converter.throw.on.error': 'true' }, { holdMs: 200 });
  await t.start();
  let first: Error | undefined | 'no' = 'no';
  gate.publish({ topic: '/in/x', payload: Buffer.from('{broken') }, (e) => {
    first = e;
  });
  await until(() => first !== 'no', 'the refusal of the bad payload');
  assert.equal(t.state, 'FAILED');
  let next: Error | undefined | 'no' = 'no';
  gate.publish({ topic: '/in/x', payload: Buffer.from('{"v":1}') }, (e) => {
    next = e;
  });
  await until(() => next !== 'no', 'the refusal after the hold bound');
  assert.match(String((next as unknown as Error).message), /SEAWAY_MQTT_INGEST_HELD/);
  assert.equal(sink.records().length, 0);
  await t.stop();
});

test('a schema the registry refuses (4xx) dead-letters its records; an unreachable registry is retried', async () => {
  let down = true;
  const registry: SchemaRegistry = {
    async register(subject) {
      if (subject === 'out-value')
        throw new BridgeError(BridgeErrorCodes.REGISTRY, 'HTTP 409 incompatible', { status: 409 });
      if (down) throw new BridgeError(BridgeErrorCodes.REGISTRY, 'schema registry is unreachable');
      return 1;
    },
  };
  const { t, gate, sink } = task({}, { registry });
  await t.start();
  let acked = 0;
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') }, () => acked++);
  await until(() => t.metrics().retries >= 1, 'a retry while the registry is down');
  assert.equal(acked, 0);
  down = false;
  await until(() => acked === 1, 'the ack');
  assert.equal(sink.records('out').length, 0);
  const [dead] = sink.records('d1-dlq');
  assert.equal(dead?.headers['__connect.errors.exception.class.name'], BridgeErrorCodes.REGISTRY);
  await t.stop();
});

test('a produce that gets no answer shows as blocked delivery in the status before any error', async (t) => {
  const { t: task_, gate, sink } = task({});
  await task_.start();
  sink.hold();
  gate.publish({ topic: '/in/a', payload: Buffer.from('{"v":1}') });
  await until(() => sink.attempts === 1, 'the produce');
  assert.equal(task_.status('w').delivery, undefined, 'not yet');
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 6000 });
  const d = task_.status('w').delivery as { blocked: boolean; error: string };
  t.mock.timers.reset();
  assert.equal(d.blocked, true);
  assert.match(d.error, /no answer from Kafka for \d+ s/);
  sink.unhold();
  await until(() => sink.records().length === 1, 'the write');
  assert.equal(task_.status('w').delivery, undefined);
  await task_.stop();
});
