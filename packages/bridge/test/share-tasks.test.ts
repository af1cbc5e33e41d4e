// A KCQL `$share/group/filter` statement held by several tasks of one connector (tasks.max > 1 with
// connect.mqtt.share.replicate=true) is spread over them in-process: the embedded broker's ingest gate
// gives each message to one task, in turns. Real mqtt.js publishers (3.1.1 and 5), QoS 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { validateMqttSourceConfig } from '../src/connector/validate.ts';
import { AvroSerializer } from '../src/converters/serialize.ts';
import { MqttSourceTask } from '../src/runtime/task.ts';
import { FakeSink, fakeRegistry, until } from './fakes.ts';

test('a $share statement held by two tasks: each QoS 1 message is written once, the tasks take turns', async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const r = validateMqttSourceConfig({
    name: 'shared',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
    'connect.mqtt.service.quality': '1',
    'tasks.max': '2',
    'connect.mqtt.share.replicate': 'true',
    'connect.mqtt.kcql':
      'INSERT INTO sh SELECT * FROM `$share/g/dev/#` WITHCONVERTER=`io.lenses.streamreactor.connect.converters.source.BytesConverter`',
  });
  assert.ok(r.settings, JSON.stringify(r.errors));
  const sink = new FakeSink();
  const serializer = new AvroSerializer(fakeRegistry());
  const tasks = [0, 1].map(
    (id) =>
      new MqttSourceTask({
        connector: 'shared',
        id,
        settings: r.settings as NonNullable<typeof r.settings>,
        statements: (r.settings as NonNullable<typeof r.settings>).kcql,
        clientId: `c-${id}`,
        sink,
        serializer,
        gate: broker.ingest,
      }),
  );
  for (const t of tasks) await t.start();
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const v4 = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'p4' });
  const v5 = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: 'p5' });
  try {
    for (let i = 0; i < 50; i++) {
      await v4.publishAsync(`dev/a/${i}`, `v4-${i}`, { qos: 1 });
      await v5.publishAsync(`dev/b/${i}`, `v5-${i}`, { qos: 1 });
    }
    await until(() => sink.records('sh').length === 100, '100 records');
    const values = sink.records('sh').map((x) => String(x.value));
    assert.equal(new Set(values).size, 100, 'no message written twice');
    assert.deepEqual(
      tasks.map((t) => t.metrics().messagesIn),
      [50, 50],
    );
  } finally {
    await Promise.all([v4.endAsync(), v5.endAsync()]);
    for (const t of tasks) await t.stop();
    await broker.close();
  }
});
