import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import type { IngestMessage } from '../src/index.ts';
import { connectPacket, publishPacket, Received, rawSocket, sleep, withBroker } from './helpers.ts';

const PUBACK = 4;
const PUBREC = 5;

test('a QoS 1 PUBACK is withheld until the gate handler calls done()', () =>
  withBroker({}, async (b) => {
    const seen: { msg: IngestMessage; done: (err?: Error) => void }[] = [];
    b.ingest.attach('ais/#', (msg, done) => seen.push({ msg, done }));
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('gate-pub'));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    s.write(publishPacket('ais/1', Buffer.from('x'), 1, 7));
    await r.waitFor(() => seen.length === 1, 'the handler to see the message');
    await sleep(100);
    assert.equal(r.count(PUBACK), 0, 'no PUBACK before done()');
    assert.equal(b.ingest.inFlight(), 1);
    const m = seen[0]?.msg;
    assert.deepEqual(
      { ...m, payload: m?.payload.toString() },
      {
        topic: 'ais/1',
        payload: 'x',
        qos: 1,
        retain: false,
        dup: false,
        messageId: 7,
        clientId: 'gate-pub',
      },
    );
    seen[0]?.done();
    await r.waitFor((x) => x.count(PUBACK) === 1, 'PUBACK after done()');
    assert.equal(b.ingest.inFlight(), 0);
    s.destroy();
  }));

test('a QoS 2 PUBREC waits for every matching handler', () =>
  withBroker({}, async (b) => {
    const dones: ((err?: Error) => void)[] = [];
    b.ingest.attach('a/+', (_m, done) => dones.push(done));
    b.ingest.attach('#', (_m, done) => dones.push(done));
    b.ingest.attach('other', () => assert.fail('a non-matching handler saw the message'));
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('gate-q2'));
    s.write(publishPacket('a/b', Buffer.from('y'), 2, 9));
    await r.waitFor(() => dones.length === 2, 'both handlers');
    dones[1]?.();
    await sleep(100);
    assert.equal(r.count(PUBREC), 0, 'one handler is still holding it');
    dones[0]?.();
    await r.waitFor((x) => x.count(PUBREC) === 1, 'PUBREC');
    s.destroy();
  }));

test('acknowledgements keep the publisher order when handlers finish out of order', () =>
  withBroker({}, async (b) => {
    const dones: ((err?: Error) => void)[] = [];
    b.ingest.attach('t', (_m, done) => dones.push(done));
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'order-sub' });
    await sub.subscribeAsync('t', { qos: 1 });
    const got: string[] = [];
    sub.on('message', (_t, p) => got.push(p.toString()));
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('order-pub'));
    for (let i = 1; i <= 3; i++) s.write(publishPacket('t', Buffer.from(String(i)), 1, i));
    await r.waitFor(() => dones.length === 3, 'three messages in the gate');
    dones[2]?.();
    dones[1]?.();
    await sleep(100);
    assert.equal(r.count(PUBACK), 0, 'message 1 still holds the line');
    dones[0]?.();
    await r.waitFor((x) => x.count(PUBACK) === 3, 'three PUBACKs');
    await r.waitFor(() => got.length === 3, 'subscriber gets all three');
    assert.deepEqual(got, ['1', '2', '3']);
    s.destroy();
    await sub.endAsync();
  }));

test('a refused QoS 1 message is not acknowledged and the publisher redelivers it on reconnect', () =>
  withBroker({}, async (b, url) => {
    const attempts: IngestMessage[] = [];
    b.ingest.attach('ais/#', (msg, done) => {
      attempts.push(msg);
      if (attempts.length === 1) done(new Error('kafka unavailable'));
      else done();
    });
    const pub = await mqtt.connectAsync(url, { clientId: 'redeliver', clean: false, reconnectPeriod: 50 });
    await pub.publishAsync('ais/9', 'again', { qos: 1 });
    assert.equal(attempts.length, 2, 'seen twice: refused, then redelivered');
    assert.equal(attempts[1]?.payload.toString(), 'again');
    assert.equal(b.stats().ingest.refused, 1);
    await pub.endAsync();
  }));

test('QoS 0 messages pass the gate at once and done() only does accounting', () =>
  withBroker({}, async (b, url) => {
    const dones: (() => void)[] = [];
    b.ingest.attach('q0', (_m, done) => dones.push(done));
    const sub = await mqtt.connectAsync(url, { clientId: 'q0-sub' });
    await sub.subscribeAsync('q0');
    const got = new Promise<string>((r) => sub.on('message', (_t, p) => r(p.toString())));
    const pub = await mqtt.connectAsync(url, { clientId: 'q0-pub' });
    await pub.publishAsync('q0', 'zero', { qos: 0 });
    assert.equal(await got, 'zero', 'delivered while the handler still holds it');
    assert.equal(b.ingest.inFlight(), 1);
    dones[0]?.();
    assert.equal(b.ingest.inFlight(), 0);
    await pub.endAsync();
    await sub.endAsync();
  }));

test('messages outside every filter, and after detach, flow without the gate', () =>
  withBroker({}, async (b, url) => {
    let calls = 0;
    const detach = b.ingest.attach('gated/#', (_m, done) => {
      calls++;
      done();
    });
    const pub = await mqtt.connectAsync(url, { clientId: 'ungated' });
    await pub.publishAsync('free/1', 'a', { qos: 1 });
    assert.equal(calls, 0);
    await pub.publishAsync('gated/1', 'b', { qos: 1 });
    assert.equal(calls, 1);
    detach();
    await pub.publishAsync('gated/2', 'c', { qos: 1 });
    assert.equal(calls, 1);
    await pub.endAsync();
  }));

test('an invalid gate filter is refused with SEAWAY_MQTT_GATE_FILTER', () =>
  withBroker({}, async (b) => {
    assert.throws(() => b.ingest.attach('a/#/b', () => {}), { code: 'SEAWAY_MQTT_GATE_FILTER' });
  }));

test('a publisher is not read further while its QoS 1 message waits in the gate', () =>
  withBroker({}, async (b) => {
    const dones: (() => void)[] = [];
    b.ingest.attach('#', (_m, done) => dones.push(done));
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('one-at-a-time'));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    s.write(publishPacket('f', Buffer.alloc(10), 1, 1));
    await r.waitFor(() => dones.length === 1, 'the first message');
    for (let id = 2; id <= 50; id++) {
      s.write(publishPacket('f', Buffer.alloc(10), 1, id));
      await sleep(2);
    }
    await sleep(100);
    assert.equal(dones.length, 1, 'nothing more was read while the first message was held');
    while (r.count(PUBACK) < 50) {
      for (const d of dones.splice(0)) d();
      await sleep(10);
    }
    assert.equal(r.count(PUBACK), 50);
    s.destroy();
  }));

test('beyond ingestMaxInFlight a QoS 0 publisher is not read until messages are released', () =>
  withBroker({ ingestMaxInFlight: 5 }, async (b) => {
    const dones: (() => void)[] = [];
    b.ingest.attach('#', (_m, done) => dones.push(done));
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('flood'));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    // one write per packet, spaced, so packets arrive in several reads
    let id = 0;
    const writer = setInterval(() => s.write(publishPacket('f', Buffer.alloc(10), 0, ++id)), 2);
    await r.waitFor(() => b.stats().ingest.heldClients === 1, 'the publisher to be held');
    await sleep(100); // the chunk that was being parsed when the limit was hit is finished
    const seenWhenHeld = dones.length;
    const writtenWhenHeld = id;
    await sleep(400);
    assert.ok(id > writtenWhenHeld + 50, `the publisher kept writing (${writtenWhenHeld} -> ${id})`);
    assert.equal(dones.length, seenWhenHeld, 'nothing more was read from the held publisher');
    clearInterval(writer);
    let released = 0;
    while (released < id) {
      const batch = dones.splice(0);
      released += batch.length;
      for (const d of batch) d();
      await sleep(20);
    }
    assert.equal(released, id, 'every message reached the gate once reading resumed');
    assert.ok(b.stats().ingest.holds >= 1);
    s.destroy();
  }));
