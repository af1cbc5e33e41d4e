// Covers: a connector's topics get no PUBACK while none of its tasks is attached; parked messages
// go to the task that attaches, are released when the cover goes, and are refused after holdMs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import type { IngestMessage } from '../src/index.ts';
import { connectPacket, publishPacket, Received, rawSocket, sleep, withBroker } from './helpers.ts';

const PUBACK = 4;

async function publisher(
  port: number,
  id: string,
): Promise<{ r: Received; send(t: string, mid: number): void; end(): void }> {
  const s = await rawSocket(port);
  const r = new Received(s);
  s.write(connectPacket(id));
  await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
  return { r, send: (t, mid) => s.write(publishPacket(t, Buffer.from(`m${mid}`), 1, mid)), end: () => s.destroy() };
}

test('a covered topic with no attached task gets no PUBACK; the task that attaches takes the message', () =>
  withBroker({}, async (b) => {
    b.ingest.cover('conn-a', 'sensors/#');
    const p = await publisher(b.port as number, 'cover-1');
    p.send('sensors/1', 1);
    // PUBACKs leave in PUBLISH order on one connection [MQTT-4.6.0-2]: the uncovered topic is
    // published by another client and acknowledged at once
    const q = await publisher(b.port as number, 'cover-1b');
    q.send('other/1', 2);
    await q.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK of the uncovered topic');
    q.end();
    await sleep(150);
    assert.equal(p.r.count(PUBACK), 0, 'no PUBACK for the covered topic without a task');
    assert.equal(b.stats().ingest.parked, 1);
    const seen: IngestMessage[] = [];
    // a handler of another owner does not release it
    b.ingest.attach('sensors/#', (_m, done) => done(), 'conn-b');
    await sleep(100);
    assert.equal(p.r.count(PUBACK), 0);
    b.ingest.attach(
      'sensors/+',
      (m, done) => {
        seen.push(m);
        setTimeout(done, 50);
      },
      'conn-a',
    );
    assert.equal(seen.length, 1, 'the parked message went to the attaching task');
    assert.equal(seen[0]?.payload.toString(), 'm1');
    await p.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK once the task called done()');
    assert.equal(b.stats().ingest.parked, 0);
    p.end();
  }));

test('a message parked for longer than ingestHoldMs is refused: no PUBACK, the connection closes', () =>
  withBroker({ ingestHoldMs: 300 }, async (b) => {
    b.ingest.cover('conn-a', 'held/#');
    const p = await publisher(b.port as number, 'cover-2');
    p.send('held/x', 1);
    await p.r.waitFor((x) => x.closed, 'the connection to close after the hold bound', 5000);
    assert.equal(p.r.count(PUBACK), 0);
    assert.equal(b.stats().ingest.heldTimeouts, 1);
    assert.equal(b.stats().ingest.parked, 0);
  }));

test('mqtt.js redelivers a refused held message and gets its PUBACK once a task attaches', () =>
  withBroker({ ingestHoldMs: 300 }, async (b, url) => {
    b.ingest.cover('conn-a', 'redo/#');
    const got: string[] = [];
    const c = await mqtt.connectAsync(url, { clientId: 'cover-redo', clean: false, reconnectPeriod: 100 });
    const acked = c.publishAsync('redo/1', 'hello', { qos: 1 });
    await sleep(700); // refused at least once meanwhile
    assert.ok(b.stats().ingest.heldTimeouts >= 1, 'the hold bound refused it');
    b.ingest.attach(
      'redo/#',
      (m, done) => {
        got.push(m.payload.toString());
        done();
      },
      'conn-a',
    );
    await acked;
    assert.ok(got.includes('hello'));
    await c.endAsync();
  }));

test('removing the last cover of an owner releases what waited for it', () =>
  withBroker({}, async (b) => {
    const uncover = b.ingest.cover('gone', 'x/#');
    const p = await publisher(b.port as number, 'cover-3');
    p.send('x/1', 1);
    await sleep(100);
    assert.equal(p.r.count(PUBACK), 0);
    uncover();
    await p.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK once the connector is gone');
    p.end();
  }));

test('held at start: nothing QoS 1 is acknowledged until open(), and hold() holds again', () =>
  withBroker({ ingestHeldAtStart: true }, async (b) => {
    const p = await publisher(b.port as number, 'cover-4');
    p.send('any/topic', 1);
    await sleep(150);
    assert.equal(p.r.count(PUBACK), 0, 'held');
    assert.equal(b.stats().ingest.parked, 1);
    b.ingest.open();
    await p.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK after open()');
    // a shutdown hold works the same
    const release = b.ingest.hold('stopping');
    p.send('any/topic', 2);
    await sleep(150);
    assert.equal(p.r.count(PUBACK), 1);
    release();
    await p.r.waitFor((x) => x.count(PUBACK) === 2, 'the PUBACK after the hold ends');
    p.end();
  }));

test('a message held at start goes to the connector that covered its topic meanwhile, not straight to PUBACK', () =>
  withBroker({ ingestHeldAtStart: true }, async (b) => {
    const p = await publisher(b.port as number, 'cover-6');
    p.send('late/1', 1);
    await sleep(100);
    b.ingest.cover('conn-late', 'late/#');
    b.ingest.open();
    await sleep(150);
    assert.equal(p.r.count(PUBACK), 0, 'now waiting for the connector, not acknowledged');
    const dones: (() => void)[] = [];
    b.ingest.attach('late/#', (_m, done) => dones.push(done), 'conn-late');
    assert.equal(dones.length, 1, 'the task got the message held since start-up');
    await sleep(100);
    assert.equal(p.r.count(PUBACK), 0);
    dones[0]?.();
    await p.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK after the task wrote it');
    p.end();
  }));

test('during a hold even a message a handler would take waits; it reaches the handler when the hold ends', () =>
  withBroker({}, async (b) => {
    const seen: string[] = [];
    b.ingest.attach(
      'h/#',
      (m, done) => {
        seen.push(m.topic);
        done();
      },
      'conn-h',
    );
    const p = await publisher(b.port as number, 'cover-7');
    const release = b.ingest.hold('stopping');
    p.send('h/1', 1);
    await sleep(150);
    assert.deepEqual(seen, []);
    assert.equal(p.r.count(PUBACK), 0);
    release();
    await p.r.waitFor((x) => x.count(PUBACK) === 1, 'the PUBACK once the hold ended');
    assert.deepEqual(seen, ['h/1']);
    p.end();
  }));
