// Real clients nobody here wrote: Mosquitto's command-line clients and Eclipse paho (python).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { command, pythonModule } from '../../../scripts/testing/needs.mjs';
import { sleep, withBroker, wsFrontDoor } from './helpers.ts';

const run = promisify(execFile);
const mosquittoPub = command('mosquitto_pub');
const mosquittoSub = command('mosquitto_sub');
const python = pythonModule('paho.mqtt.client');
const mosq = !mosquittoPub || !mosquittoSub ? 'mosquitto clients not installed' : false;

async function exitOf(file: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(file, args, { timeout: 10_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

test('mosquitto_sub receives QoS 0, 1 and 2 messages and a retained one from mosquitto_pub', { skip: mosq }, () =>
  withBroker({}, async (b) => {
    const p = String(b.port);
    const base = ['-h', '127.0.0.1', '-p', p];
    await run(mosquittoPub as string, [...base, '-t', 'm/ret', '-m', 'kept', '-q', '1', '-r']);
    const sub = run(mosquittoSub as string, [...base, '-t', 'm/#', '-q', '2', '-v', '-C', '4', '-W', '10']);
    while (b.subscriptions().length === 0) await sleep(20);
    for (const q of [0, 1, 2])
      await run(mosquittoPub as string, [...base, '-t', `m/q${q}`, '-m', `v${q}`, '-q', String(q)]);
    const { stdout } = await sub;
    assert.deepEqual(stdout.trim().split('\n'), ['m/ret kept', 'm/q0 v0', 'm/q1 v1', 'm/q2 v2']);
  }),
);

test(
  'mosquitto_pub with users: accepted with the right password, refused with a wrong one or none',
  { skip: mosq },
  () =>
    withBroker({ users: 'dev:pa55' }, async (b) => {
      const base = ['-h', '127.0.0.1', '-p', String(b.port), '-t', 'x', '-m', 'y', '-q', '1'];
      assert.equal((await exitOf(mosquittoPub as string, [...base, '-u', 'dev', '-P', 'pa55'])).code, 0);
      const bad = await exitOf(mosquittoPub as string, [...base, '-u', 'dev', '-P', 'nope']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.out, /bad user name or password/i);
      const none = await exitOf(mosquittoPub as string, base);
      assert.notEqual(none.code, 0);
      assert.match(none.out, /not authori[sz]ed/i);
    }),
);

for (const v of ['mqttv311', 'mqttv5'] as const) {
  test(`mosquitto_pub -V ${v} to mosquitto_sub -V ${v}: QoS 1 delivered`, { skip: mosq }, () =>
    withBroker({}, async (b) => {
      const base = ['-h', '127.0.0.1', '-p', String(b.port), '-V', v];
      const sub = run(mosquittoSub as string, [...base, '-t', 'v/#', '-q', '1', '-v', '-C', '1', '-W', '10']);
      while (b.subscriptions().length === 0) await sleep(20);
      const r = await exitOf(mosquittoPub as string, [...base, '-t', 'v/x', '-m', 'hello', '-q', '1']);
      assert.equal(r.code, 0, r.out);
      assert.equal((await sub).stdout.trim(), 'v/x hello');
    }),
  );
}

test(
  'mosquitto_pub -V mqttv5 user properties and content type reach mosquitto_sub -V mqttv5 [MQTT-3.3.2-17] [MQTT-3.3.2-20]',
  { skip: mosq },
  () =>
    withBroker({}, async (b) => {
      const base = ['-h', '127.0.0.1', '-p', String(b.port), '-V', 'mqttv5'];
      const sub = run(mosquittoSub as string, [
        ...base,
        '-t',
        'p/#',
        '-q',
        '1',
        '-F',
        '%t %P %C %p',
        '-C',
        '1',
        '-W',
        '10',
      ]);
      while (b.subscriptions().length === 0) await sleep(20);
      const r = await exitOf(mosquittoPub as string, [
        ...base,
        ...['-t', 'p/x', '-m', 'body', '-q', '1'],
        ...['-D', 'publish', 'user-property', 'site', 'north'],
        ...['-D', 'publish', 'content-type', 'text/plain'],
      ]);
      assert.equal(r.code, 0, r.out);
      assert.equal((await sub).stdout.trim(), 'p/x site:north text/plain body');
    }),
);

test('mosquitto_sub subscribing outside its ACL is told so (SUBACK 0x80)', { skip: mosq }, () =>
  withBroker({ users: [{ username: 'u', password: 'p', subscribe: ['mine/#'] }] }, async (b) => {
    const r = await exitOf(mosquittoSub as string, [
      ...['-h', '127.0.0.1', '-p', String(b.port), '-u', 'u', '-P', 'p'],
      ...['-t', 'theirs/#', '-q', '1', '-C', '1', '-W', '2'],
    ]);
    assert.match(r.out, /denied|rejected|fail/i);
    assert.equal(b.stats().rejectedSubscribeAcl, 1);
  }),
);

for (const transport of ['tcp', 'websockets'] as const) {
  test(`paho over ${transport}: QoS 0/1/2 and retained delivery`, { skip: !python && 'paho not installed' }, () =>
    withBroker({}, async (b) => {
      const door = transport === 'websockets' ? await wsFrontDoor(b) : null;
      try {
        const port = door ? new URL(door.url).port : String(b.port);
        const { stdout } = await run(
          python as string,
          [join(import.meta.dirname, 'fixtures/paho_roundtrip.py'), '127.0.0.1', port, transport],
          {
            timeout: 20_000,
          },
        );
        assert.deepEqual(JSON.parse(stdout), {
          got: [
            { topic: 'paho/q0', payload: 'm0', qos: 0, retain: false },
            { topic: 'paho/q1', payload: 'm1', qos: 1, retain: false },
            { topic: 'paho/q2', payload: 'm2', qos: 2, retain: false },
            { topic: 'paho/ret', payload: 'kept', qos: 1, retain: false },
          ],
          late: [{ topic: 'paho/ret', retain: true }],
        });
      } finally {
        await door?.close();
      }
    }),
  );
}

for (const transport of ['tcp', 'websockets'] as const) {
  test(
    `paho MQTT 5 over ${transport}: CONNACK properties, user properties, content type and subscription identifier`,
    { skip: !python && 'paho not installed' },
    () =>
      withBroker({}, async (b) => {
        const door = transport === 'websockets' ? await wsFrontDoor(b) : null;
        try {
          const port = door ? new URL(door.url).port : String(b.port);
          const { stdout } = await run(
            python as string,
            [join(import.meta.dirname, 'fixtures/paho_v5.py'), '127.0.0.1', port, transport],
            {
              timeout: 20_000,
            },
          );
          assert.deepEqual(JSON.parse(stdout), {
            connack: { rc: 0, topicAliasMaximum: 64 },
            got: [
              {
                topic: 'paho5/x',
                payload: 'hello',
                qos: 1,
                user: [['site', 'north']],
                contentType: 'text/plain',
                subscriptionIdentifier: [7],
              },
            ],
          });
        } finally {
          await door?.close();
        }
      }),
  );
}
