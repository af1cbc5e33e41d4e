import assert from 'node:assert/strict';
import { test } from 'node:test';
import { basicAuth, ConfigError, ignoredPasswordWarning, labAuth, parseConfig } from '../src/config.ts';
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
  assert.deepEqual(flagsToSettings(['--', '--web-port', '4000'], ['--web-port']), { WEB_PORT: '4000' });
  assert.deepEqual(flagsToSettings(['--seaway-password=a=b']), { SEAWAY_PASSWORD: 'a=b' });
});

test('SEAWAY_PASSWORD turns auth on, for SEAWAY_USER or admin', () => {
  assert.equal(basicAuth(parseConfig({ SEAWAY_USER: 'root' })), null);
  assert.deepEqual(basicAuth(parseConfig({ SEAWAY_PASSWORD: 'pw' })), { user: 'admin', password: 'pw' });
  assert.deepEqual(labAuth(parseConfig({ SEAWAY_USER: 'ws', SEAWAY_PASSWORD: 'pw', USER: 'me' })), {
    user: 'ws',
    password: 'pw',
    from: 'SEAWAY_PASSWORD',
  });
});

test("a login shell's USER and PASSWORD do not turn auth on outside the image, and say so", () => {
  const shell = parseConfig({ USER: 'alice', PASSWORD: 'hunter2' });
  assert.equal(labAuth(shell), null);
  assert.match(ignoredPasswordWarning(shell) ?? '', /SEAWAY_PASSWORD/);
  assert.equal(ignoredPasswordWarning(parseConfig({ USER: 'alice' })), null);
});

test("in the Docker image fast-data-dev's USER/PASSWORD turn auth on", () => {
  const image = parseConfig({ SEAWAY_IMAGE: '1', USER: 'kafka', PASSWORD: 'pw' });
  assert.deepEqual(labAuth(image), { user: 'kafka', password: 'pw', from: 'PASSWORD' });
  assert.equal(ignoredPasswordWarning(image), null);
  assert.equal(labAuth(parseConfig({ SEAWAY_IMAGE: '1', USER: 'kafka' })), null);
});

test('BIND_HOST defaults to 127.0.0.1 outside the image', () => {
  assert.equal(parseConfig({}).BIND_HOST, '127.0.0.1');
});
