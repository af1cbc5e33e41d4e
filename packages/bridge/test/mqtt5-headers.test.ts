// MQTT 5 PUBLISH metadata becomes record headers: a real mqtt.js v5 publisher, the embedded broker's
// ingest gate, a connector task, and a sink standing in for Kafka.
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

test('MQTT 5 user properties, content type, payload format, response topic, correlation data and message expiry become mqtt.* headers', async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const r = validateMqttSourceConfig({
    name: 'h5',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.kcql':
      'INSERT INTO out SELECT * FROM `/in/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.BytesConverter`',
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  const sink = new FakeSink();
  const t = new MqttSourceTask({
    connector: 'h5',
    id: 0,
    settings: r.settings,
    statements: r.settings.kcql,
    clientId: 'c',
    sink,
    serializer: new AvroSerializer(fakeRegistry()),
    gate: broker.ingest,
  });
  await t.start();
  const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, clientId: 'p5' });
  const v4 = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'p4' });
  try {
    await v5.publishAsync('/in/a', 'hello', {
      qos: 1,
      properties: {
        userProperties: { site: 'north', tag: ['x', 'y'] },
        contentType: 'text/plain',
        payloadFormatIndicator: true,
        responseTopic: '/out/reply',
        correlationData: Buffer.from([1, 2, 3]),
        messageExpiryInterval: 120,
      },
    });
    await v4.publishAsync('/in/b', 'old', { qos: 1 });
    await until(() => sink.records('out').length === 2, 'two records');
    const [a, b] = sink.records('out');
    assert.deepEqual(a?.headers, {
      'mqtt.topic': '/in/a',
      'mqtt.qos': '1',
      'mqtt.retained': 'false',
      'mqtt.duplicate': 'false',
      'mqtt.message.id': String(a?.headers['mqtt.message.id']),
      'mqtt.content.type': 'text/plain',
      'mqtt.payload.format': 'utf-8',
      'mqtt.response.topic': '/out/reply',
      'mqtt.correlation.data': 'AQID',
      'mqtt.message.expiry': '120',
      'mqtt.user.site': 'north',
      'mqtt.user.tag': '["x","y"]',
    });
    assert.deepEqual(Object.keys(b?.headers ?? {}).sort(), [
      'mqtt.duplicate',
      'mqtt.message.id',
      'mqtt.qos',
      'mqtt.retained',
      'mqtt.topic',
    ]);
  } finally {
    await Promise.all([v5.endAsync(), v4.endAsync()]);
    await t.stop();
    await broker.close();
  }
});

test('a JSON converter sends a payload declared UTF-8 (Payload Format Indicator 1) but not UTF-8 to the dead-letter topic; the same bytes undeclared, and valid text declared, are converted', async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const r = validateMqttSourceConfig({
    name: 'u8',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'errors.deadletterqueue.topic.name': 'u8-dlq',
    'connect.mqtt.kcql':
      'INSERT INTO out SELECT * FROM `/in/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonPassThroughConverter`',
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  const sink = new FakeSink();
  const t = new MqttSourceTask({
    connector: 'u8',
    id: 0,
    settings: r.settings,
    statements: r.settings.kcql,
    clientId: 'c',
    sink,
    serializer: new AvroSerializer(fakeRegistry()),
    gate: broker.ingest,
  });
  await t.start();
  const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, clientId: 'pu8' });
  // {"v":"<0xff>"}: 0xff never occurs in UTF-8
  const bad = Buffer.concat([Buffer.from('{"v":"'), Buffer.from([0xff]), Buffer.from('"}')]);
  try {
    await v5.publishAsync('/in/bad', bad, { qos: 1, properties: { payloadFormatIndicator: true } });
    await v5.publishAsync('/in/undeclared', bad, { qos: 1 });
    await v5.publishAsync('/in/good', '{"v":"é"}', { qos: 1, properties: { payloadFormatIndicator: true } });
    await until(
      () => sink.records('out').length === 2 && sink.records('u8-dlq').length === 1,
      'two records, one dead letter',
    );
    const [dead] = sink.records('u8-dlq');
    assert.equal(dead?.headers['mqtt.topic'], '/in/bad');
    assert.deepEqual(dead?.value, bad, 'the dead letter carries the payload unaltered');
    assert.match(String(dead?.headers['__connect.errors.exception.message']), /not valid UTF-8/);
    assert.deepEqual(
      sink.records('out').map((m) => m.headers['mqtt.topic']),
      ['/in/undeclared', '/in/good'],
    );
    assert.equal(String(sink.records('out')[1]?.value), '{"v":"é"}');
  } finally {
    await v5.endAsync();
    await t.stop();
    await broker.close();
  }
});

const mosquittoPub = command('mosquitto_pub') as string | false;

test("KCQL PROPERTIES('key.user.property'='device') keys records by that MQTT 5 user property (mqtt.js v5, mosquitto_pub -V mqttv5); without it the converter's key stays", async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const r = validateMqttSourceConfig({
    name: 'kp',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.kcql':
      "INSERT INTO keyed SELECT * FROM `/dev/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.JsonPassThroughConverter` PROPERTIES('key.user.property'='device')",
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  const sink = new FakeSink();
  const t = new MqttSourceTask({
    connector: 'kp',
    id: 0,
    settings: r.settings,
    statements: r.settings.kcql,
    clientId: 'c',
    sink,
    serializer: new AvroSerializer(fakeRegistry()),
    gate: broker.ingest,
  });
  await t.start();
  const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 5, clientId: 'pkp' });
  try {
    await v5.publishAsync('/dev/a', '{"t":1}', { qos: 1, properties: { userProperties: { device: 'd-7', x: 'y' } } });
    await v5.publishAsync('/dev/b', '{"t":2}', { qos: 1 });
    let expected = 2;
    if (mosquittoPub) {
      await promisify(execFile)(mosquittoPub, [
        '-h',
        '127.0.0.1',
        '-p',
        String(broker.port),
        '-V',
        'mqttv5',
        '-q',
        '1',
        '-t',
        '/dev/c',
        '-m',
        '{"t":3}',
        '-D',
        'publish',
        'user-property',
        'device',
        'd-9',
      ]);
      expected = 3;
    }
    await until(() => sink.records('keyed').length === expected, `${expected} records`);
    const keys = sink.records('keyed').map((m) => [m.headers['mqtt.topic'], String(m.key)]);
    assert.deepEqual(keys[0], ['/dev/a', 'd-7']);
    // JsonPassThrough's own key when the property is absent: "<mqtt topic><delimiter><message id>"
    assert.equal(keys[1]?.[0], '/dev/b');
    assert.match(String(keys[1]?.[1]), /^\/dev\/b\.\d+$/);
    if (expected === 3) assert.deepEqual(keys[2], ['/dev/c', 'd-9']);
  } finally {
    await v5.endAsync();
    await t.stop();
    await broker.close();
  }
});
