import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { withBroker, wsFrontDoor } from './helpers.ts';

for (const transport of ['tcp', 'ws'] as const) {
  for (const qos of [0, 1, 2] as const) {
    test(`mqtt.js over ${transport}: a QoS ${qos} publish reaches a QoS ${qos} subscriber`, () =>
      withBroker({}, async (b, tcpUrl) => {
        const door = transport === 'ws' ? await wsFrontDoor(b) : null;
        const url = door?.url ?? tcpUrl;
        const sub = await mqtt.connectAsync(url, { clientId: `sub-${transport}-${qos}` });
        const pub = await mqtt.connectAsync(url, { clientId: `pub-${transport}-${qos}` });
        try {
          await sub.subscribeAsync('ais/#', { qos });
          const got = new Promise<{ topic: string; payload: string; qos: number }>((resolve) =>
            sub.on('message', (topic, p, packet) => resolve({ topic, payload: p.toString(), qos: packet.qos })),
          );
          await pub.publishAsync('ais/1', 'hello', { qos });
          assert.deepEqual(await got, { topic: 'ais/1', payload: 'hello', qos });
          const s = b.stats();
          assert.equal(s.messagesIn, 1);
          assert.equal(s.bytesIn, 5);
          assert.equal(s.clients, 2);
          const views = b.clients().sort((x, y) => x.id.localeCompare(y.id));
          assert.deepEqual(
            views.map((c) => [c.id, c.transport, c.protocolVersion, c.session]),
            [
              [`pub-${transport}-${qos}`, transport, 4, 'clean'],
              [`sub-${transport}-${qos}`, transport, 4, 'clean'],
            ],
          );
          assert.deepEqual(b.subscriptions(), [{ clientId: `sub-${transport}-${qos}`, topic: 'ais/#', qos }]);
          assert.equal(b.topics()[0]?.topic, 'ais/1');
        } finally {
          await pub.endAsync();
          await sub.endAsync();
          await door?.close();
        }
      }));
  }
}

test('a retained message is delivered to a later subscriber and listed', () =>
  withBroker({}, async (b, url) => {
    const pub = await mqtt.connectAsync(url, { clientId: 'ret-pub' });
    await pub.publishAsync('status/ship1', 'moored', { qos: 1, retain: true });
    await pub.endAsync();
    const sub = await mqtt.connectAsync(url, { clientId: 'ret-sub' });
    const got = new Promise<[string, boolean]>((r) => sub.on('message', (_t, p, pk) => r([p.toString(), pk.retain])));
    await sub.subscribeAsync('status/+', { qos: 1 });
    assert.deepEqual(await got, ['moored', true]);
    assert.deepEqual(b.retained(), [{ topic: 'status/ship1', bytes: 6, qos: 1 }]);
    await sub.endAsync();
  }));

test('a will is published when its client drops without DISCONNECT', () =>
  withBroker({}, async (_b, url) => {
    const watcher = await mqtt.connectAsync(url, { clientId: 'will-watch' });
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    const got = new Promise<string>((r) => watcher.on('message', (_t, p) => r(p.toString())));
    const dying = await mqtt.connectAsync(url, {
      clientId: 'dying',
      will: { topic: 'wills/dying', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    (dying as unknown as { stream: { destroy(): void } }).stream.destroy();
    assert.equal(await got, 'gone');
    dying.end(true);
    await watcher.endAsync();
  }));

test('no will is published after a clean DISCONNECT', () =>
  withBroker({}, async (b, url) => {
    const watcher = await mqtt.connectAsync(url, { clientId: 'will-watch2' });
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    let wills = 0;
    watcher.on('message', () => wills++);
    const polite = await mqtt.connectAsync(url, {
      clientId: 'polite',
      will: { topic: 'wills/polite', payload: Buffer.from('x'), qos: 1, retain: false },
    });
    await polite.endAsync();
    // a marker published after the disconnect arrives after any will would have
    const marker = new Promise<void>((r) => watcher.on('message', (t) => t === 'wills/marker' && r()));
    await watcher.publishAsync('wills/marker', 'm', { qos: 1 });
    await marker;
    assert.equal(wills, 1, 'only the marker arrived');
    assert.equal(b.stats().messagesIn, 1);
    await watcher.endAsync();
  }));

test('an MQTT 5 CONNECT gets a v5 CONNACK advertising the limits [MQTT-3.2.2-15] [MQTT-3.2.2-22]', () =>
  withBroker({ limits: { maxPacketSize: 100_000, topicAliasMaximum: 9 } }, async (_b, url) => {
    const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, clientId: 'v5' });
    const [connack] = (await once(c as unknown as NodeJS.EventEmitter, 'connect')) as [
      { reasonCode: number; properties?: Record<string, unknown> },
    ];
    assert.equal(connack.reasonCode, 0);
    assert.equal(connack.properties?.maximumPacketSize, 100_000);
    assert.equal(connack.properties?.topicAliasMaximum, 9);
    assert.equal(connack.properties?.receiveMaximum, 1000);
    await c.endAsync();
  }));

test('the Prometheus text carries counters and gauges', () =>
  withBroker({}, async (b, url) => {
    const c = await mqtt.connectAsync(url, { clientId: 'prom' });
    await c.publishAsync('p', 'abc', { qos: 1 });
    const text = b.prometheus();
    assert.match(text, /^seaway_mqtt_messages_in_total 1$/m);
    assert.match(text, /^seaway_mqtt_bytes_in_total 3$/m);
    assert.match(text, /^seaway_mqtt_clients 1$/m);
    assert.match(text, /^seaway_mqtt_connections_total 1$/m);
    assert.doesNotMatch(text, /_total_total/);
    await c.endAsync();
  }));
