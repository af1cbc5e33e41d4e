// The shortcut for client PUBLISHes no subscriber can see (src/fast-publish.ts): it must be taken
// on the lab's ingest path and must not change what any MQTT client or broker user observes.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { SubscriberIndex } from '../src/fast-publish.ts';
import type { MqttBroker } from '../src/index.ts';
import { connectPacket, publishPacket, Received, rawSocket, sleep, withBroker } from './helpers.ts';

/** Packet ids of the PUBACKs received so far, in arrival order. */
function pubackIds(r: Received): number[] {
  const ids: number[] = [];
  const b = r.buf;
  let i = 0;
  while (i + 2 <= b.length) {
    const len = b[i + 1] as number;
    if (i + 2 + len > b.length) break;
    if ((b[i] as number) >> 4 === 4) ids.push(b.readUInt16BE(i + 2));
    i += 2 + len;
  }
  return ids;
}

async function until(pred: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !pred(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

async function publisher(b: MqttBroker, id: string): Promise<{ s: Socket; r: Received }> {
  const s = await rawSocket(b.port as number);
  const r = new Received(s);
  s.write(connectPacket(id));
  await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
  return { s, r };
}

test('PUBACKs from the shortcut keep each publisher order when the gate releases them in batches out of order', () =>
  withBroker({}, async (b) => {
    const held: ((err?: Error) => void)[] = [];
    b.ingest.attach('ais/#', (_m, done) => held.push(done));
    const pubs = await Promise.all([publisher(b, 'fast-a'), publisher(b, 'fast-b'), publisher(b, 'fast-c')]);
    const N = 300;
    for (const { s } of pubs) {
      const all: Buffer[] = [];
      for (let id = 1; id <= N; id++) all.push(publishPacket('ais/1', Buffer.from(String(id)), 1, id));
      s.write(Buffer.concat(all));
    }
    // release in reverse batches while the messages arrive
    let released = 0;
    while (released < 3 * N) {
      await sleep(5);
      const batch = held.splice(0);
      for (let i = batch.length - 1; i >= 0; i--) batch[i]?.();
      released += batch.length;
    }
    const want = Array.from({ length: N }, (_, i) => i + 1);
    for (const { r } of pubs) {
      await r.waitFor((x) => pubackIds(x).length === N, `${N} PUBACKs`);
      assert.deepEqual(pubackIds(r), want);
    }
    assert.equal(b.stats().shortcutPublishes, 3 * N, 'every message took the shortcut');
    assert.match(b.prometheus(), new RegExp(`^seaway_mqtt_shortcut_publishes_total ${3 * N}$`, 'm'));
    for (const { s } of pubs) s.destroy();
  }));

test('a message refused by the gate still closes the publisher without a PUBACK', () =>
  withBroker({}, async (b) => {
    b.ingest.attach('ais/#', (m, done) => done(m.messageId === 2 ? new Error('kafka is down') : undefined));
    const { s, r } = await publisher(b, 'fast-refused');
    s.write(publishPacket('ais/1', Buffer.from('a'), 1, 1));
    s.write(publishPacket('ais/1', Buffer.from('b'), 1, 2));
    await r.waitFor((x) => x.closed, 'the connection to close');
    assert.deepEqual(pubackIds(r), [1]);
    assert.equal(b.stats().ingest.refused, 1);
  }));

test('with a matching subscriber messages go through aedes and arrive at QoS 1; without one the shortcut resumes', () =>
  withBroker({}, async (b, url) => {
    const sub = await mqtt.connectAsync(url, { clientId: 'fast-sub' });
    await sub.subscribeAsync('ais/+', { qos: 1 });
    const got: { payload: string; qos: number }[] = [];
    sub.on('message', (_t, p, packet) => got.push({ payload: p.toString(), qos: packet.qos }));
    const { s, r } = await publisher(b, 'fast-pub');
    s.write(publishPacket('ais/1', Buffer.from('seen'), 1, 1));
    await r.waitFor((x) => pubackIds(x).length === 1, 'PUBACK');
    await until(() => got.length > 0, 'the delivery');
    assert.deepEqual(got, [{ payload: 'seen', qos: 1 }]);
    assert.equal(b.stats().shortcutPublishes, 0);
    await sub.unsubscribeAsync('ais/+');
    await sleep(20); // aedes drops the listener one setImmediate after UNSUBACK
    s.write(publishPacket('ais/1', Buffer.from('unseen'), 1, 2));
    await r.waitFor((x) => pubackIds(x).length === 2, 'second PUBACK');
    assert.equal(b.stats().shortcutPublishes, 1);
    await sleep(50);
    assert.equal(got.length, 1, 'the unsubscribed client got nothing more');
    await sub.endAsync();
    s.destroy();
  }));

test('a subscriber on an unrelated filter leaves the shortcut on', () =>
  withBroker({}, async (b, url) => {
    const sub = await mqtt.connectAsync(url, { clientId: 'other-sub' });
    await sub.subscribeAsync('other/#', { qos: 1 });
    const { s, r } = await publisher(b, 'fast-pub2');
    s.write(publishPacket('ais/1', Buffer.from('x'), 1, 1));
    await r.waitFor((x) => pubackIds(x).length === 1, 'PUBACK');
    assert.equal(b.stats().shortcutPublishes, 1);
    await sub.endAsync();
    s.destroy();
  }));

test('a retained QoS 1 message is stored and reaches a later subscriber with its QoS', () =>
  withBroker({}, async (b, url) => {
    const { s, r } = await publisher(b, 'fast-retain');
    s.write(publishPacket('ais/r', Buffer.from('kept'), 1, 5).fill(0x33, 0, 1)); // 0x33: PUBLISH, QoS 1, RETAIN
    await r.waitFor((x) => pubackIds(x).length === 1, 'PUBACK');
    assert.equal(b.stats().shortcutPublishes, 0);
    const sub = await mqtt.connectAsync(url, { clientId: 'late-sub' });
    const got: { qos: number; retain: boolean; payload: string }[] = [];
    sub.on('message', (_t, p, packet) => got.push({ qos: packet.qos, retain: packet.retain, payload: p.toString() }));
    await sub.subscribeAsync('ais/r', { qos: 1 });
    await until(() => got.length > 0, 'the retained message');
    assert.deepEqual(got, [{ qos: 1, retain: true, payload: 'kept' }]);
    await sub.endAsync();
    s.destroy();
  }));

test("a listener on aedes' 'publish' event still sees every client message with its QoS", () =>
  withBroker({}, async (b) => {
    const seen: { topic: string; qos: number }[] = [];
    b.aedes.on('publish', (packet, client) => {
      if (client) seen.push({ topic: packet.topic, qos: packet.qos });
    });
    const { s, r } = await publisher(b, 'fast-observed');
    s.write(publishPacket('ais/1', Buffer.from('x'), 1, 1));
    await r.waitFor((x) => pubackIds(x).length === 1, 'PUBACK');
    await sleep(20);
    assert.deepEqual(seen, [{ topic: 'ais/1', qos: 1 }]);
    assert.equal(b.stats().shortcutPublishes, 0);
    s.destroy();
  }));

test('an offline persistent session still gets the QoS 1 messages published while it was away', () =>
  withBroker({}, async (b, url) => {
    const first = await mqtt.connectAsync(url, { clientId: 'fast-persist', clean: false });
    await first.subscribeAsync('ais/#', { qos: 1 });
    await first.endAsync();
    const { s, r } = await publisher(b, 'fast-pub3');
    s.write(publishPacket('ais/9', Buffer.from('queued'), 1, 1));
    await r.waitFor((x) => pubackIds(x).length === 1, 'PUBACK');
    assert.equal(b.stats().shortcutPublishes, 0);
    const again = mqtt.connect(url, { clientId: 'fast-persist', clean: false });
    const got: string[] = [];
    again.on('message', (_t, p) => got.push(p.toString()));
    await until(() => got.length > 0, 'the queued message');
    assert.deepEqual(got, ['queued']);
    await again.endAsync();
    s.destroy();
  }));

test('with fastPublish off every message goes through aedes', () =>
  withBroker({ fastPublish: false }, async (b) => {
    const { s, r } = await publisher(b, 'slow-pub');
    for (let id = 1; id <= 5; id++) s.write(publishPacket('ais/1', Buffer.from('x'), 1, id));
    await r.waitFor((x) => pubackIds(x).length === 5, 'PUBACKs');
    assert.deepEqual(pubackIds(r), [1, 2, 3, 4, 5]);
    assert.equal(b.stats().shortcutPublishes, 0);
    s.destroy();
  }));

test('the subscriber index matches MQTT filters, counts listeners, and assumes a match for $share filters', () => {
  const idx = new SubscriberIndex();
  const f1 = () => {};
  const f2 = () => {};
  assert.equal(idx.mayMatch('ais/1'), false);
  idx.add('ais/+', f1);
  idx.add('ais/+', f2);
  idx.add('$SYS/#', f1);
  assert.equal(idx.mayMatch('ais/1'), true);
  assert.equal(idx.mayMatch('ais'), false);
  assert.equal(idx.mayMatch('other'), false);
  idx.remove('ais/+', f1);
  assert.equal(idx.mayMatch('ais/1'), true, 'f2 still listens');
  idx.remove('ais/+', f2);
  assert.equal(idx.mayMatch('ais/1'), false);
  idx.remove('ais/+', f2); // an unknown pair changes nothing
  idx.add('#', f1);
  assert.equal(idx.mayMatch('$internal'), false, '[MQTT-4.7.2-1]');
  assert.equal(idx.mayMatch('x/y'), true);
  idx.remove('#', f1);
  idx.add('$share/g/ais/#', f1);
  assert.equal(idx.mayMatch('anything'), true);
});
