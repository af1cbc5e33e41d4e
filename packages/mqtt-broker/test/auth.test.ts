import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { hashPassword } from '../src/index.ts';
import { withBroker } from './helpers.ts';

const refusedCode = async (url: string, opts: mqtt.IClientOptions) => {
  const err = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...opts }).then(
    (c) => {
      c.end(true);
      return null;
    },
    (e: { code?: number }) => e,
  );
  return err?.code;
};

test('without users anyone may connect', () =>
  withBroker({}, async (_b, url) => {
    const c = await mqtt.connectAsync(url, { clientId: 'anon' });
    await c.endAsync();
  }));

test('with MQTT_USERS-style users, a right password connects and wrong ones get CONNACK 4 or 5', () => {
  const lines: string[] = [];
  return withBroker({ users: 'alice:s3cret,bob:hunter2', log: (l) => lines.push(l) }, async (b, url) => {
    const ok = await mqtt.connectAsync(url, { clientId: 'a1', username: 'alice', password: 's3cret' });
    assert.equal(b.clients()[0]?.username, 'alice');
    await ok.endAsync();
    assert.equal(await refusedCode(url, { username: 'alice', password: 'wrong' }), 4);
    assert.equal(await refusedCode(url, { username: 'mallory', password: 's3cret' }), 4);
    assert.equal(await refusedCode(url, {}), 5);
    const s = b.stats();
    assert.equal(s.rejectedAuth, 2);
    assert.equal(s.rejectedNotAuthorized, 1);
    assert.ok(lines.some((l) => l.includes('CONNACK 4') && l.includes('"alice"')));
    assert.ok(!lines.some((l) => l.includes('wrong') || l.includes('s3cret')), 'no password in the log');
  });
});

test('a users file with scrypt hashes and ACLs: SUBACK 0x80 outside the ACL, denied publishes are dropped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seaway-users-'));
  const file = join(dir, 'users.json');
  writeFileSync(
    file,
    JSON.stringify([
      { username: 'sensor', password: hashPassword('pw'), publish: ['ais/%c/#'], subscribe: ['cmd/%u/+'] },
      { username: 'ops', password: 'opspw' },
    ]),
  );
  return withBroker({ usersFile: file }, async (b, url) => {
    const ops = await mqtt.connectAsync(url, { clientId: 'ops', username: 'ops', password: 'opspw' });
    await ops.subscribeAsync('#', { qos: 1 });
    const got: string[] = [];
    ops.on('message', (t) => got.push(t));
    const sensor = await mqtt.connectAsync(url, { clientId: 's1', username: 'sensor', password: 'pw' });
    // mqtt.js turns a SUBACK holding 0x80 into an error that carries the packet
    const suback = await sensor
      .subscribeAsync({ 'cmd/sensor/+': { qos: 1 }, 'cmd/#': { qos: 1 }, 'cmd/sensor/reboot': { qos: 0 } })
      .then(
        () => assert.fail('expected a refused subscription'),
        (e: { packet?: { granted: number[] } }) => e.packet,
      );
    assert.deepEqual(suback?.granted, [1, 128, 0]);
    await sensor.publishAsync('ais/s1/pos', 'ok', { qos: 1 });
    await sensor.publishAsync('ais/s2/pos', 'not mine', { qos: 1 }); // acknowledged, dropped
    await sensor.publishAsync('ais/s1/end', 'ok', { qos: 1 });
    while (got.length < 2) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ['ais/s1/pos', 'ais/s1/end']);
    assert.equal(b.stats().rejectedPublishAcl, 1);
    assert.equal(b.stats().rejectedSubscribeAcl, 1);
    await sensor.endAsync();
    await ops.endAsync();
  });
});

test('a malformed users setting fails start with SEAWAY_MQTT_USERS', async () => {
  await assert.rejects(
    withBroker({ users: 'nocolon' }, async () => {}),
    { code: 'SEAWAY_MQTT_USERS' },
  );
});

test('a bad limit fails start with SEAWAY_MQTT_CONFIG naming the setting', async () => {
  await assert.rejects(
    withBroker({ limits: { maxPacketSize: 1 } }, async () => {}),
    (e: Error & { code: string }) => {
      assert.equal(e.code, 'SEAWAY_MQTT_CONFIG');
      assert.match(e.message, /limits\.maxPacketSize/);
      return true;
    },
  );
});
