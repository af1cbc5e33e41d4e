// Shared subscriptions ($share/{group}/{filter}) for 3.1.1 and 5 clients: mqtt.js and mosquitto_sub.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createConnection } from 'node:net';
import { test } from 'node:test';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { command } from '../../../scripts/testing/needs.mjs';
import { parseShare } from '../src/shared-subscriptions.ts';
import { sleep, withBroker } from './helpers.ts';

const run = promisify(execFile);
const mosquittoSub = command('mosquitto_sub');

async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !pred(); i++) await sleep(20);
  assert.ok(pred(), `timed out waiting for ${what}`);
}

for (const protocolVersion of [4, 5] as const) {
  test(`mqtt.js v${protocolVersion}: messages are spread round robin over the members of a share group, each once [MQTT-4.8.2-3]`, () =>
    withBroker({}, async (b, url) => {
      const got: Record<string, string[]> = { m1: [], m2: [], plain: [] };
      const clients: MqttClient[] = [];
      for (const id of ['m1', 'm2']) {
        const c = await mqtt.connectAsync(url, { protocolVersion, clientId: id });
        const granted = await c.subscribeAsync('$share/g1/sh/#', { qos: 1 });
        assert.equal(granted[0]?.qos, 1);
        c.on('message', (_t, p) => got[id]?.push(p.toString()));
        clients.push(c);
      }
      const plain = await mqtt.connectAsync(url, { protocolVersion, clientId: 'plain' });
      await plain.subscribeAsync('sh/#', { qos: 1 });
      plain.on('message', (_t, p) => got.plain?.push(p.toString()));
      const pub = await mqtt.connectAsync(url, { protocolVersion, clientId: 'pub' });
      for (let i = 0; i < 10; i++) await pub.publishAsync('sh/x', String(i), { qos: 1 });
      await until(() => (got.m1?.length ?? 0) + (got.m2?.length ?? 0) === 10 && got.plain?.length === 10, 'deliveries');
      assert.equal(got.m1?.length, 5);
      assert.equal(got.m2?.length, 5);
      assert.deepEqual([...(got.m1 ?? []), ...(got.m2 ?? [])].sort(), [
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
      ]);
      assert.deepEqual(
        b
          .subscriptions()
          .filter((s) => s.clientId === 'm1')
          .map((s) => s.topic),
        ['$share/g1/sh/#'],
      );
      // a publish to the literal topic `$share/g1/sh/x` is not delivered to the members
      // (refused: 3.1.1 acknowledged and dropped, 5 PUBACK 0x87, as mosquitto)
      const refused = await new Promise<boolean>((r) =>
        pub.publish('$share/g1/sh/x', 'literal', { qos: 1 }, (err) => r(!!err)),
      );
      assert.equal(refused, protocolVersion === 5);
      await sleep(150);
      assert.equal([...(got.m1 ?? []), ...(got.m2 ?? [])].includes('literal'), false);
      // after one member unsubscribes, the other gets everything
      await clients[0]?.unsubscribeAsync('$share/g1/sh/#');
      for (let i = 0; i < 4; i++) await pub.publishAsync('sh/y', `after${i}`, { qos: 1 });
      await until(() => (got.m2 ?? []).filter((p) => p.startsWith('after')).length === 4, 'the remaining member');
      assert.equal((got.m1 ?? []).filter((p) => p.startsWith('after')).length, 0);
      await Promise.all([...clients, plain, pub].map((c) => c.endAsync()));
    }));
}

test('two share groups on one filter each get every message once', () =>
  withBroker({}, async (_b, url) => {
    const counts: Record<string, number> = {};
    const cs: MqttClient[] = [];
    for (const [id, g] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['b1', 'B'],
    ] as const) {
      const c = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: id });
      await c.subscribeAsync(`$share/${g}/two/+`, { qos: 0 });
      counts[g] = 0;
      c.on('message', () => {
        counts[g] = (counts[g] ?? 0) + 1;
      });
      cs.push(c);
    }
    for (let i = 0; i < 6; i++) await (cs[0] as MqttClient).publishAsync('two/x', 'm', { qos: 1 });
    await until(() => counts.A === 6 && counts.B === 6, 'both groups');
    await sleep(100);
    assert.deepEqual(counts, { A: 6, B: 6 });
    await Promise.all(cs.map((c) => c.endAsync()));
  }));

test(
  'mosquitto_sub -V mqttv5 and -V mqttv311 share one group',
  { skip: !mosquittoSub && 'mosquitto clients not installed' },
  () =>
    withBroker({}, async (b, url) => {
      const base = ['-h', '127.0.0.1', '-p', String(b.port), '-t', '$share/ms/ms/#', '-q', '1', '-C', '2', '-W', '10'];
      const s5 = run(mosquittoSub as string, [...base, '-V', 'mqttv5']);
      const s4 = run(mosquittoSub as string, [...base, '-V', 'mqttv311']);
      await until(() => b.subscriptions().length === 2, 'two subscriptions');
      const pub = await mqtt.connectAsync(url, { clientId: 'pub' });
      for (let i = 0; i < 4; i++) await pub.publishAsync('ms/x', `p${i}`, { qos: 1 });
      const [o5, o4] = await Promise.all([s5, s4]);
      const all = [...o5.stdout.trim().split('\n'), ...o4.stdout.trim().split('\n')].sort();
      assert.deepEqual(all, ['p0', 'p1', 'p2', 'p3']);
      await pub.endAsync();
    }),
);

test('a malformed share name is not a shared subscription [MQTT-4.8.2-1] [MQTT-4.8.2-2]', () => {
  assert.deepEqual(parseShare('$share/g/a/b'), { group: 'g', filter: 'a/b' });
  assert.equal(parseShare('$share/g+/a'), null);
  assert.equal(parseShare('$share//a'), null);
  assert.equal(parseShare('$share/g/'), null);
  assert.equal(parseShare('$share/g'), null);
});

/** A member written by hand that never sends PUBACK: CONNECT (clean), SUBSCRIBE QoS 1, then counts PUBLISH packets. */
async function silentMember(
  port: number,
  v: 4 | 5,
  filter: string,
): Promise<{ publishes: () => number; drop: () => void }> {
  const id = Buffer.from('\u0000\u0002m1');
  const connect = Buffer.concat([
    Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, v, 0x02, 0x00, 0x3c]),
    v === 5 ? Buffer.from([0]) : Buffer.alloc(0),
    id,
  ]);
  const t = Buffer.from(filter);
  const sub = Buffer.concat([
    Buffer.from([0x00, 0x01]),
    v === 5 ? Buffer.from([0]) : Buffer.alloc(0),
    Buffer.from([t.length >> 8, t.length & 255]),
    t,
    Buffer.from([1]),
  ]);
  const s = createConnection({ port, host: '127.0.0.1' });
  await new Promise((r) => s.once('connect', r));
  let buf = Buffer.alloc(0);
  let publishes = 0;
  let suback = false;
  s.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + (buf[1] as number)) {
      const type = (buf[0] as number) >> 4;
      if (type === 3) publishes++;
      if (type === 9) suback = true;
      buf = buf.subarray(2 + (buf[1] as number));
    }
  });
  s.write(Buffer.concat([Buffer.from([0x10, connect.length]), connect, Buffer.from([0x82, sub.length]), sub]));
  await until(() => suback, 'SUBACK for the silent member');
  return { publishes: () => publishes, drop: () => s.destroy() };
}

for (const protocolVersion of [4, 5] as const) {
  test(`v${protocolVersion}: QoS 1 messages a member had not acknowledged when its clean session ended go to another member of the group (mqtt.js), MQTT 5 section 4.8.2`, () =>
    withBroker({}, async (b, url) => {
      const m1 = await silentMember(b.port as number, protocolVersion, '$share/g/rd/#');
      const m2 = await mqtt.connectAsync(url, { protocolVersion, clientId: 'm2' });
      const got: string[] = [];
      m2.on('message', (_t, p) => got.push(p.toString()));
      await m2.subscribeAsync('$share/g/rd/#', { qos: 1 });
      const pub = await mqtt.connectAsync(url, { protocolVersion, clientId: 'pub' });
      for (let i = 0; i < 6; i++) await pub.publishAsync('rd/x', String(i), { qos: 1 });
      await until(() => m1.publishes() + got.length === 6, 'six deliveries over two members');
      assert.equal(m1.publishes(), 3, 'round robin gave the silent member half');
      m1.drop(); // the connection drops, the clean session ends with three unacknowledged messages
      await until(() => got.length === 6, 'the three the silent member held delivered to m2');
      assert.deepEqual([...got].sort(), ['0', '1', '2', '3', '4', '5']);
      await Promise.all([m2.endAsync(), pub.endAsync()]);
    }));
}
