import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { connectPacket, frame, publishPacket, Received, rawSocket, sleep, withBroker } from './helpers.ts';

async function stillServes(url: string): Promise<void> {
  const sub = await mqtt.connectAsync(url, { clientId: `after-${Math.random()}` });
  await sub.subscribeAsync('ok', { qos: 1 });
  const got = new Promise<string>((r) => sub.on('message', (_t, p) => r(p.toString())));
  const pub = await mqtt.connectAsync(url, { clientId: `after-pub-${Math.random()}` });
  await pub.publishAsync('ok', 'fine', { qos: 1 });
  assert.equal(await got, 'fine');
  await pub.endAsync();
  await sub.endAsync();
}

/** xorshift32, so a failing fuzz run can be replayed from its seed. */
function rng(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

test('a fuzz run of malformed packets closes the offenders and a normal client still works', () =>
  withBroker({ limits: { connectTimeoutMs: 500, maxPacketSize: 64 * 1024 } }, async (b, url) => {
    const rand = rng(20261125);
    const byte = () => Math.floor(rand() * 256);
    const cases: Buffer[] = [];
    for (let i = 0; i < 150; i++) {
      const kind = i % 5;
      if (kind === 0) cases.push(Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 200) }, byte)));
      else if (kind === 1)
        cases.push(Buffer.concat([connectPacket(`fz${i}`), Buffer.from(Array.from({ length: 50 }, byte))]));
      else if (kind === 2)
        cases.push(Buffer.concat([connectPacket(`fz${i}`), Buffer.from([0x30 | 0x06, 4, 0, 1, 0x61, 0])])); // QoS 3
      else if (kind === 3)
        cases.push(Buffer.concat([connectPacket(`fz${i}`), Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0x7f])])); // bad length
      else
        cases.push(
          Buffer.concat([connectPacket(`fz${i}`), frame(0x82, Buffer.from([0, 1, 0, 3, 0x61, 0x23, 0x62, 3]))]),
        ); // "a#b", qos 3
    }
    const sockets = await Promise.all(cases.map(() => rawSocket(b.port as number)));
    const closed = sockets.map((s) => new Received(s));
    sockets.forEach((s, i) => {
      s.write(cases[i] as Buffer);
    });
    // random bytes after a CONNECT (kind 1) may be a valid packet or an incomplete one the broker
    // rightly waits for; every other kind is a protocol violation that must close the connection
    await Promise.all(
      closed.map((r, i) => (i % 5 === 1 ? null : r.waitFor((x) => x.closed, `fuzz case ${i} to be closed`, 10_000))),
    );
    await stillServes(url);
    for (const s of sockets) s.destroy();
    assert.ok(b.stats().closedForErrors >= 120, `closed for errors: ${b.stats().closedForErrors}`);
    await sleep(50);
    assert.equal(b.stats().openConnections, 0);
  }));

test('a packet announcing more than maxPacketSize is refused before its body arrives', () =>
  withBroker({ limits: { maxPacketSize: 1024 } }, async (b, url) => {
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('big'));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    s.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x01, 0, 1])); // PUBLISH of 2 MiB, first bytes only
    await r.waitFor((x) => x.closed, 'the connection to close');
    assert.equal(b.stats().rejectedTooLarge, 1);
    await stillServes(url);
  }));

test('connections beyond maxConnections are closed at once and counted', () =>
  withBroker({ limits: { maxConnections: 3 } }, async (b) => {
    const held = await Promise.all([1, 2, 3].map(() => rawSocket(b.port as number)));
    await sleep(50);
    const extra = await rawSocket(b.port as number);
    const r = new Received(extra);
    await r.waitFor((x) => x.closed, 'the extra connection to close');
    assert.equal(b.stats().rejectedConnectionLimit, 1);
    for (const s of held) s.destroy();
  }));

test('connections beyond maxConnectionsPerAddress from one address are closed until some of them end', () =>
  withBroker({ limits: { maxConnectionsPerAddress: 2 } }, async (b, url) => {
    const held = await Promise.all([1, 2].map(() => rawSocket(b.port as number)));
    await sleep(50);
    const extra = await rawSocket(b.port as number);
    await new Received(extra).waitFor((x) => x.closed, 'the extra connection to close');
    assert.equal(b.stats().rejectedConnectionLimit, 1);
    for (const s of held) s.destroy();
    await sleep(50);
    await stillServes(url);
  }));

test('a client that never sends CONNECT is closed after connectTimeoutMs', () =>
  withBroker({ limits: { connectTimeoutMs: 200 } }, async (b) => {
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    await r.waitFor((x) => x.closed, 'the silent connection to close', 3000);
    assert.equal(b.stats().closedForErrors, 1);
  }));

test('a client that goes silent past 1.5 x keep-alive is closed', () =>
  withBroker({}, async (b) => {
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    const c = connectPacket('sleepy');
    c.writeUInt16BE(1, 10); // keep-alive 1 s
    s.write(c);
    await r.waitFor((x) => x.closed, 'the silent client to be closed', 4000);
    assert.equal(b.stats().keepaliveTimeouts, 1);
  }));

test('a topic longer than maxTopicLength closes a publisher and is refused to a subscriber', () =>
  withBroker({ limits: { maxTopicLength: 16 } }, async (b, url) => {
    const c = await mqtt.connectAsync(url, { clientId: 'longsub' });
    const suback = await c.subscribeAsync('x'.repeat(17), { qos: 1 }).then(
      () => null,
      (e: { packet?: { granted: number[] } }) => e.packet,
    );
    assert.deepEqual(suback?.granted, [128]);
    // 9 characters but 18 bytes of UTF-8: the limit counts bytes
    const suback2 = await c.subscribeAsync('é'.repeat(9), { qos: 1 }).then(
      () => null,
      (e: { packet?: { granted: number[] } }) => e.packet,
    );
    assert.deepEqual(suback2?.granted, [128]);
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('longpub'));
    s.write(publishPacket('y'.repeat(17), Buffer.from('p'), 1));
    await r.waitFor((x) => x.closed, 'the publisher to be closed');
    assert.equal(r.count(4), 0, 'no PUBACK');
    assert.equal(b.stats().rejectedBadTopic, 3);
    await c.endAsync();
  }));

test('a subscriber that stops reading loses QoS 0 messages (counted) while others get everything', () =>
  withBroker({}, async (b, url) => {
    const stuck = await rawSocket(b.port as number);
    const sr = new Received(stuck);
    stuck.write(connectPacket('stuck'));
    stuck.write(frame(0x82, Buffer.from([0, 1, 0, 4, 0x62, 0x75, 0x6c, 0x6b, 0]))); // SUBSCRIBE "bulk" QoS 0
    await sr.waitFor((x) => x.count(9) === 1, 'SUBACK');
    stuck.pause();
    const fast = await mqtt.connectAsync(url, { clientId: 'fast' });
    await fast.subscribeAsync('bulk', { qos: 0 });
    let fastGot = 0;
    fast.on('message', () => fastGot++);
    const pub = await mqtt.connectAsync(url, { clientId: 'bulk-pub' });
    const n = 400;
    const body = Buffer.alloc(64 * 1024, 1); // 25 MiB in all: more than the kernel buffers of the stuck socket
    for (let i = 0; i < n; i++) await pub.publishAsync('bulk', body, { qos: 1 });
    while (fastGot < n) await sleep(20);
    assert.ok(b.stats().droppedSlowSubscriber > 0, 'the stuck subscriber lost messages');
    const views = new Map(b.clients().map((c) => [c.id, c.droppedSlow]));
    assert.ok((views.get('stuck') ?? 0) > 0, 'counted against the stuck client');
    assert.equal(views.get('fast'), 0);
    await pub.endAsync();
    await fast.endAsync();
    stuck.destroy();
    await once(stuck, 'close');
  }));
