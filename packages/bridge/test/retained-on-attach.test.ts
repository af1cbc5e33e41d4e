// KCQL PROPERTIES('retained.on.attach'='true'): a task starting on the embedded broker writes the
// retained messages matching its statement, as a subscriber is sent them on SUBSCRIBE; without it
// (the default) only messages published after the task attached are written. Retained messages are
// published by mqtt.js and, when installed, mosquitto_pub -r.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { command } from '../../../scripts/testing/needs.mjs';
import { validateMqttSourceConfig } from '../src/connector/validate.ts';
import { AvroSerializer } from '../src/converters/serialize.ts';
import { MqttSourceTask } from '../src/runtime/task.ts';
import { FakeSink, fakeRegistry, until } from './fakes.ts';

const mosquittoPub = command('mosquitto_pub');

function task(broker: Awaited<ReturnType<typeof startMqttBroker>>, sink: FakeSink, kcql: string) {
  const r = validateMqttSourceConfig({
    name: 'ret',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.kcql': kcql,
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  return new MqttSourceTask({
    connector: 'ret',
    id: 0,
    settings: r.settings,
    statements: r.settings.kcql,
    clientId: 'c',
    sink,
    serializer: new AvroSerializer(fakeRegistry()),
    gate: broker.ingest,
  });
}

/** The payload of a BytesConverter record: Confluent wire format (magic byte, schema id), Avro bytes (length < 64). */
const payload = (v: unknown) => (v as Buffer).subarray(6).toString();

const BYTES = 'WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.BytesConverter`';

test('retained.on.attach: the retained messages matching the statement are written when the task starts; not by default', async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'retainer' });
  try {
    await pub.publishAsync('site/a/state', 'on', { qos: 1, retain: true });
    await pub.publishAsync('site/b/state', 'off', { qos: 0, retain: true });
    await pub.publishAsync('other/state', 'elsewhere', { qos: 1, retain: true });
    if (mosquittoPub) {
      await promisify(execFile)(mosquittoPub, [
        '-p',
        String(broker.port),
        '-h',
        '127.0.0.1',
        '-t',
        'site/c/state',
        '-m',
        'idle',
        '-r',
        '-q',
        '1',
      ]);
    }
    const expected = ['on', 'off', ...(mosquittoPub ? ['idle'] : [])].sort();
    await until(() => broker.stats().retained === expected.length + 1, 'retained stored');

    const plainSink = new FakeSink();
    const plain = task(broker, plainSink, `INSERT INTO plain SELECT * FROM \`site/+/state\` ${BYTES}`);
    const withRetainedSink = new FakeSink();
    const withRetained = task(
      broker,
      withRetainedSink,
      `INSERT INTO kept SELECT * FROM \`site/+/state\` ${BYTES} PROPERTIES('retained.on.attach'='true')`,
    );
    await plain.start();
    await withRetained.start();
    await until(() => withRetainedSink.records('kept').length === expected.length, 'retained written');
    const kept = withRetainedSink.records('kept');
    assert.deepEqual(kept.map((r) => payload(r.value)).sort(), expected);
    assert.ok(kept.every((r) => r.headers['mqtt.retained'] === 'true'));

    await pub.publishAsync('site/a/state', 'live', { qos: 1 });
    await until(
      () => plainSink.records('plain').length === 1 && withRetainedSink.records('kept').length === expected.length + 1,
      'live message',
    );
    assert.deepEqual(
      plainSink.records('plain').map((r) => payload(r.value)),
      ['live'],
      'default: nothing retained',
    );
    await plain.stop();
    await withRetained.stop();
  } finally {
    await pub.endAsync();
    await broker.close();
  }
});
