import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMqttSourceConfig } from '../src/connector/validate.ts';
import { pointsAtEmbedded } from '../src/start-connect.ts';

function settings(hosts: string) {
  const r = validateMqttSourceConfig({
    name: 'e',
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'connect.mqtt.hosts': hosts,
    'connect.mqtt.kcql': 'INSERT INTO t SELECT * FROM /x',
    'connect.mqtt.service.quality': '1',
  });
  assert.ok(r.settings);
  return r.settings;
}

test('a connector pointing at the embedded broker (local name, same port) uses the gate; others connect as clients', () => {
  const emb = { host: 'lab.example', port: 1883 };
  assert.ok(pointsAtEmbedded(settings('tcp://127.0.0.1:1883'), emb));
  assert.ok(pointsAtEmbedded(settings('tcp://localhost:1883'), emb));
  assert.ok(pointsAtEmbedded(settings('tcp://lab.example:1883'), emb));
  assert.ok(!pointsAtEmbedded(settings('tcp://127.0.0.1:1884'), emb));
  assert.ok(!pointsAtEmbedded(settings('tcp://mqtt.elsewhere:1883'), emb));
  assert.ok(!pointsAtEmbedded(settings('tcp://elsewhere:1883,tcp://127.0.0.1:1883'), emb));
});
