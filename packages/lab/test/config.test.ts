import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, ConfigError, parseConfig } from '../src/config.ts';
import { flagsToSettings } from '../src/flags.ts';

test('defaults match the documented ports', () => {
  const c = parseConfig({});
  assert.deepEqual(
    [c.WEB_PORT, c.MQTT_PORT, c.BROKER_PORT, c.REGISTRY_PORT, c.CONNECT_PORT],
    [3030, 1883, 9092, 8081, 8083],
  );
  assert.ok(Object.isFrozen(c));
});

test('a bad port fails with the setting named', () => {
  assert.throws(
    () => parseConfig({ WEB_PORT: 'abc' }),
    (e: Error) => e instanceof ConfigError && e.code === 'SEAWAY_CONFIG_INVALID' && e.message.includes('WEB_PORT'),
  );
  assert.throws(() => parseConfig({ MQTT_PORT: '70000' }), /MQTT_PORT/);
});

test('KAFKA_BROKERS must be a host:port list', () => {
  assert.equal(parseConfig({ KAFKA_BROKERS: 'a:9092,b:9093' }).KAFKA_BROKERS, 'a:9092,b:9093');
  assert.throws(() => parseConfig({ KAFKA_BROKERS: 'localhost' }), /KAFKA_BROKERS/);
});

test('flags map to settings and override the environment', () => {
  const c = parseConfig({
    WEB_PORT: '3030',
    ...flagsToSettings(['--web-port', '4000', '--sampledata', '--adv-host=lab.local']),
  });
  assert.equal(c.WEB_PORT, 4000);
  assert.equal(c.SAMPLEDATA, true);
  assert.equal(c.ADV_HOST, 'lab.local');
  assert.throws(() => flagsToSettings(['oops']), /unexpected argument/);
});

test('basic auth needs both USER and PASSWORD', () => {
  assert.equal(basicAuth(parseConfig({ USER: 'root' })), null);
  assert.deepEqual(basicAuth(parseConfig({ USER: 'ws', PASSWORD: 'pw' })), { user: 'ws', password: 'pw' });
});
