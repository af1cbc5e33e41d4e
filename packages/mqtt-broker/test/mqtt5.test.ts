// MQTT 5 behaviour with mqtt.js (protocolVersion 5) and raw sockets, plus the 3.1.1 fixes of issue
// 16. Titles carry the spec statement ids where the spec has one.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { connectPacket, frame, publishPacket, Received, rawSocket, sleep, withBroker, wsFrontDoor } from './helpers.ts';

const v5 = (url: string, opts: IClientOptions = {}) =>
  mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, ...opts });

function nextMessage(c: MqttClient): Promise<{ topic: string; payload: Buffer; packet: mqtt.IPublishPacket }> {
  return new Promise((resolve) => c.once('message', (topic, payload, packet) => resolve({ topic, payload, packet })));
}

type Acked = { reasonCode?: number } | undefined;
function publishReason(c: MqttClient, topic: string, qos: 1 | 2): Promise<number> {
  return new Promise((resolve) =>
    c.publish(topic, 'x', { qos }, (err, packet) => {
      const rc = (packet as Acked)?.reasonCode ?? (err as { code?: number } | undefined)?.code;
      resolve(rc ?? 0);
    }),
  );
}

for (const transport of ['tcp', 'ws'] as const) {
  test(`mqtt.js v5 over ${transport}: user properties, content type, payload format, response topic and correlation data reach a v5 subscriber [MQTT-3.3.2-17] [MQTT-3.3.2-20] [MQTT-3.3.2-4]`, () =>
    withBroker({}, async (b, tcpUrl) => {
      const door = transport === 'ws' ? await wsFrontDoor(b) : null;
      const url = door?.url ?? tcpUrl;
      try {
        const sub = await v5(url, { clientId: 's' });
        await sub.subscribeAsync('rr/#', { qos: 1 });
        const pub = await v5(url, { clientId: 'p' });
        const got = nextMessage(sub);
        await pub.publishAsync('rr/req', '{"a":1}', {
          qos: 1,
          properties: {
            userProperties: { site: 'north', k: ['a', 'b'] },
            contentType: 'application/json',
            payloadFormatIndicator: true,
            responseTopic: 'rr/reply',
            correlationData: Buffer.from('c-1'),
          },
        });
        const { packet } = await got;
        const p = packet.properties ?? {};
        assert.deepEqual({ ...p.userProperties }, { site: 'north', k: ['a', 'b'] });
        assert.equal(p.contentType, 'application/json');
        assert.equal(p.payloadFormatIndicator, true);
        assert.equal(p.responseTopic, 'rr/reply');
        assert.equal(Buffer.from(p.correlationData as Buffer).toString(), 'c-1');
        await Promise.all([sub.endAsync(), pub.endAsync()]);
      } finally {
        await door?.close();
      }
    }));
}

test('v5 and 3.1.1 clients exchange messages; the 3.1.1 subscriber gets the payload without properties', () =>
  withBroker({}, async (_b, url) => {
    const old = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'old' });
    await old.subscribeAsync('mix/#', { qos: 1 });
    const pub = await v5(url, { clientId: 'new' });
    const got = nextMessage(old);
    await pub.publishAsync('mix/a', 'hi', { qos: 1, properties: { userProperties: { a: '1' } } });
    const { topic, payload } = await got;
    assert.equal(topic, 'mix/a');
    assert.equal(payload.toString(), 'hi');
    await Promise.all([old.endAsync(), pub.endAsync()]);
  }));

test('v5 empty client id gets an Assigned Client Identifier [MQTT-3.2.2-16]', () =>
  withBroker({}, async (b, url) => {
    const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, clientId: '' });
    const [connack] = (await once(c as unknown as NodeJS.EventEmitter, 'connect')) as [
      { properties?: { assignedClientIdentifier?: string } },
    ];
    const id = connack.properties?.assignedClientIdentifier;
    assert.ok(id && id.length > 0);
    assert.deepEqual(
      b.clients().map((x) => x.id),
      [id],
    );
    await c.endAsync();
  }));

test('3.1.1 empty client id with CleanSession=0 gets CONNACK 0x02 and is closed [MQTT-3.1.3-8]', () =>
  withBroker({}, async (b) => {
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('', { clean: false }));
    await r.waitFor((x) => x.closed, 'the connection to close');
    assert.deepEqual([...r.buf.subarray(0, 4)], [0x20, 2, 0, 2]);
    assert.equal(b.sessions().length, 0);
  }));

test('v5 topic alias from the client is resolved for subscribers [MQTT-3.3.2-12]', () =>
  withBroker({}, async (_b, url) => {
    const sub = await v5(url, { clientId: 's' });
    await sub.subscribeAsync('alias/#', { qos: 1 });
    const pub = await v5(url, { clientId: 'p' });
    const got: string[] = [];
    sub.on('message', (t, m) => got.push(`${t}=${m}`));
    await pub.publishAsync('alias/one', '1', { qos: 1, properties: { topicAlias: 3 } });
    await pub.publishAsync('', '2', { qos: 1, properties: { topicAlias: 3 } });
    while (got.length < 2) await sleep(20);
    assert.deepEqual(got, ['alias/one=1', 'alias/one=2']);
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  }));

test('v5 subscription identifier is sent with matching publishes [MQTT-3.3.4-3]', () =>
  withBroker({}, async (_b, url) => {
    const sub = await v5(url, { clientId: 's' });
    await sub.subscribeAsync('sid/#', { qos: 1, properties: { subscriptionIdentifier: 42 } });
    const got = nextMessage(sub);
    await sub.publishAsync('sid/x', 'y', { qos: 1 });
    assert.equal((await got).packet.properties?.subscriptionIdentifier, 42);
    await sub.endAsync();
  }));

test('v5 No Local: a client does not get its own publishes [MQTT-3.8.3-3]', () =>
  withBroker({}, async (_b, url) => {
    const c = await v5(url, { clientId: 'nl' });
    await c.subscribeAsync('nl/#', { qos: 1, nl: true });
    const other = await v5(url, { clientId: 'other' });
    const got: string[] = [];
    c.on('message', (t) => got.push(t));
    await c.publishAsync('nl/own', 'x', { qos: 1 });
    await other.publishAsync('nl/theirs', 'x', { qos: 1 });
    while (got.length < 1) await sleep(20);
    await sleep(100);
    assert.deepEqual(got, ['nl/theirs']);
    await Promise.all([c.endAsync(), other.endAsync()]);
  }));

test('v5 Retain As Published keeps the RETAIN flag on forwarded messages, else it is cleared [MQTT-3.3.1-12] [MQTT-3.3.1-13]', () =>
  withBroker({}, async (_b, url) => {
    const rap = await v5(url, { clientId: 'rap' });
    await rap.subscribeAsync('rap/#', { qos: 1, rap: true });
    const plain = await v5(url, { clientId: 'plain' });
    await plain.subscribeAsync('rap/#', { qos: 1 });
    const a = nextMessage(rap);
    const p = nextMessage(plain);
    const pub = await v5(url, { clientId: 'pub' });
    await pub.publishAsync('rap/x', 'r', { qos: 1, retain: true });
    assert.equal((await a).packet.retain, true);
    assert.equal((await p).packet.retain, false);
    await Promise.all([rap.endAsync(), plain.endAsync(), pub.endAsync()]);
  }));

test('v5 Retain Handling: 0 sends retained at subscribe, 1 only for a new subscription, 2 never [MQTT-3.3.1-9] [MQTT-3.3.1-10] [MQTT-3.3.1-11]', () =>
  withBroker({}, async (_b, url) => {
    const pub = await v5(url, { clientId: 'pub' });
    await pub.publishAsync('rh/x', 'kept', { qos: 1, retain: true });
    const counts: Record<number, number> = {};
    for (const rh of [0, 1, 2] as const) {
      const c = await v5(url, { clientId: `rh${rh}` });
      counts[rh] = 0;
      c.on('message', () => {
        counts[rh] = (counts[rh] ?? 0) + 1;
      });
      await c.subscribeAsync('rh/#', { qos: 1, rh });
      await c.subscribeAsync('rh/#', { qos: 1, rh }); // the same subscription again
      await sleep(150);
      await c.endAsync();
    }
    assert.deepEqual(counts, { 0: 2, 1: 1, 2: 0 });
    await pub.endAsync();
  }));

test('v5 message expiry: a queued message past its expiry is not delivered, one within it has the remaining time [MQTT-3.3.2-5] [MQTT-3.3.2-6]', () =>
  withBroker({}, async (_b, url) => {
    const sub = await v5(url, { clientId: 'exp', clean: false, properties: { sessionExpiryInterval: 60 } });
    await sub.subscribeAsync('exp/#', { qos: 1 });
    await sub.endAsync();
    const pub = await v5(url, { clientId: 'pub' });
    await pub.publishAsync('exp/short', 'gone', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await pub.publishAsync('exp/long', 'kept', { qos: 1, properties: { messageExpiryInterval: 100 } });
    await sleep(1200);
    const got: { topic: string; expiry?: number }[] = [];
    const back = mqtt.connect(url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      clientId: 'exp',
      clean: false,
      properties: { sessionExpiryInterval: 60 },
    });
    back.on('message', (topic, _m, packet) => got.push({ topic, expiry: packet.properties?.messageExpiryInterval }));
    await once(back as unknown as NodeJS.EventEmitter, 'connect');
    while (got.length < 1) await sleep(20);
    await sleep(100);
    assert.equal(got.length, 1);
    assert.equal(got[0]?.topic, 'exp/long');
    assert.ok((got[0]?.expiry ?? 0) <= 99 && (got[0]?.expiry ?? 0) >= 90, String(got[0]?.expiry));
    await Promise.all([back.endAsync(), pub.endAsync()]);
  }));

test('v5 session expiry: a session is resumed (Session Present) within its interval [MQTT-3.1.2-23]', () =>
  withBroker({}, async (_b, url) => {
    const opts = { clientId: 'se', clean: false, properties: { sessionExpiryInterval: 30 } } as const;
    const a = await v5(url, opts);
    await a.subscribeAsync('se/#', { qos: 1 });
    await a.endAsync();
    const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, ...opts });
    const [connack] = (await once(c as unknown as NodeJS.EventEmitter, 'connect')) as [{ sessionPresent: boolean }];
    assert.equal(connack.sessionPresent, true);
    await c.endAsync();
  }));

test('v5 will delay: the will is published after its delay, not at once [MQTT-3.1.3-9]', () =>
  withBroker({}, async (_b, url) => {
    const watcher = await v5(url, { clientId: 'w' });
    await watcher.subscribeAsync('will/#', { qos: 1 });
    const got: number[] = [];
    watcher.on('message', () => got.push(Date.now()));
    const dying = await v5(url, {
      clientId: 'dying',
      properties: { sessionExpiryInterval: 10 },
      will: {
        topic: 'will/d',
        payload: Buffer.from('bye'),
        qos: 1,
        retain: false,
        properties: { willDelayInterval: 1 },
      },
    });
    const gone = Date.now();
    (dying as unknown as { stream: { destroy(): void } }).stream.destroy();
    await sleep(500);
    assert.equal(got.length, 0, 'not yet');
    while (got.length < 1) await sleep(50);
    assert.ok((got[0] as number) - gone >= 900);
    await watcher.endAsync();
  }));

test('v5 PUBLISH to $SYS gets PUBACK 0x87, 3.1.1 is acknowledged and dropped; neither is disconnected (as mosquitto)', () =>
  withBroker({}, async (b, url) => {
    const c5 = await v5(url, { clientId: 'five' });
    assert.equal(await publishReason(c5, '$SYS/broker/x', 1), 0x87);
    const c4 = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, clientId: 'four' });
    await c4.publishAsync('$SYS/broker/x', 'y', { qos: 1 });
    assert.equal(c4.connected && c5.connected, true);
    assert.equal(b.stats().rejectedPublishSys, 2);
    assert.equal(b.stats().closedForErrors, 0);
    await Promise.all([c4.endAsync(), c5.endAsync()]);
  }));

test('v5 publish outside the ACL gets PUBACK/PUBREC 0x87 and is not delivered [MQTT-3.3.5-2]', () =>
  withBroker({ users: [{ username: 'u', password: 'p', publish: ['mine/#'] }] }, async (b, url) => {
    const c = await v5(url, { clientId: 'acl', username: 'u', password: 'p' });
    await c.subscribeAsync('#', { qos: 1 });
    const got: string[] = [];
    c.on('message', (t) => got.push(t));
    assert.equal(await publishReason(c, 'theirs/x', 1), 0x87);
    assert.equal(await publishReason(c, 'theirs/y', 2), 0x87);
    await c.publishAsync('mine/x', 'ok', { qos: 1 });
    while (got.length < 1) await sleep(20);
    assert.deepEqual(got, ['mine/x']);
    assert.equal(b.stats().rejectedPublishAcl, 2);
    await c.endAsync();
  }));

test('ingest gate: a v5 refusal with a reason code is sent in the PUBACK; without one the connection closes (redelivery)', () =>
  withBroker({}, async (b, url) => {
    b.ingest.attach('gate/#', (msg, done) => {
      if (msg.topic === 'gate/quota') done(Object.assign(new Error('no room'), { reasonCode: 0x97 }));
      else if (msg.topic === 'gate/fail') done(new Error('kafka down'));
      else done();
    });
    const c = await v5(url, { clientId: 'g' });
    assert.equal(await publishReason(c, 'gate/ok', 1), 0);
    assert.equal(await publishReason(c, 'gate/quota', 1), 0x97);
    assert.equal(c.connected, true);
    const closed = once(c as unknown as NodeJS.EventEmitter, 'close');
    c.publish('gate/fail', 'x', { qos: 1 });
    await closed;
    assert.equal(b.stats().ingest.refused, 2);
    c.end(true);
  }));

test('v5 publishes nobody subscribes to take the shortcut (fast-publish.ts) like 3.1.1', () =>
  withBroker({}, async (b, url) => {
    const c = await v5(url, { clientId: 'fast' });
    for (let i = 0; i < 5; i++) await c.publishAsync('fast/x', 'y', { qos: 1 });
    assert.equal(b.stats().shortcutPublishes, 5);
    await c.endAsync();
  }));

test('a QoS 2 retransmission with DUP before PUBREL is counted once and offered to the gate once [MQTT-4.3.3-10]', () =>
  withBroker({}, async (b) => {
    const seen: string[] = [];
    b.ingest.attach('q2/#', (msg, done) => {
      seen.push(msg.topic);
      done();
    });
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    s.write(connectPacket('q2', { clean: false }));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    const p = publishPacket('q2/x', Buffer.from('once'), 2, 7);
    s.write(p);
    await r.waitFor((x) => x.count(5) === 1, 'PUBREC');
    const dup = Buffer.from(p);
    dup[0] = (dup[0] as number) | 0x08;
    s.write(dup);
    await r.waitFor((x) => x.count(5) === 2, 'second PUBREC');
    s.write(Buffer.from([0x62, 2, 0, 7])); // PUBREL
    await r.waitFor((x) => x.count(7) === 1, 'PUBCOMP');
    assert.deepEqual(seen, ['q2/x']);
    assert.equal(b.stats().messagesIn, 1);
    assert.equal(b.stats().duplicatesIgnored, 1);
    s.destroy();
  }));

test('v5 packet over maxPacketSize: DISCONNECT 0x95 before the body arrives [MQTT-3.2.2-15]', () =>
  withBroker({ limits: { maxPacketSize: 1024 } }, async (b) => {
    const lines: string[] = [];
    void lines;
    const s = await rawSocket(b.port as number);
    const r = new Received(s);
    // MQTT 5 CONNECT: protocol name, level 5, clean start, keep-alive 60, no properties, client id "big"
    s.write(frame(0x10, Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0x02, 0, 60, 0, 0, 3, 0x62, 0x69, 0x67])));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    s.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x01, 0, 1])); // PUBLISH of 2 MiB, first bytes only
    await r.waitFor((x) => x.count(14) === 1, 'DISCONNECT');
    const at = r.buf.lastIndexOf(0xe0);
    assert.equal(r.buf[at + 2], 0x95);
    await r.waitFor((x) => x.closed, 'close');
    assert.equal(b.stats().rejectedTooLarge, 1);
  }));

test('v5 CONNECT with an Authentication Method is refused with CONNACK 0x8C (no enhanced auth configured)', () =>
  withBroker({}, async (_b, url) => {
    await assert.rejects(
      v5(url, { clientId: 'am', properties: { authenticationMethod: 'SCRAM-SHA-1' } }),
      /Bad authentication method|authentication/i,
    );
  }));

test('server DISCONNECT with a reason: a v5 client taken over by the same id gets 0x8E [MQTT-3.1.4-3]', () =>
  withBroker({}, async (_b, url) => {
    const first = await v5(url, { clientId: 'same' });
    const reason = new Promise<number>((r) =>
      first.on('disconnect', (p) => r((p as { reasonCode?: number }).reasonCode ?? -1)),
    );
    const second = await v5(url, { clientId: 'same' });
    assert.equal(await reason, 0x8e);
    first.end(true);
    await second.endAsync();
  }));

test('3.1.1 Session Present is 1 for a stored session without subscriptions, also after a restart; 0 after a clean session [MQTT-3.2.2-2] [MQTT-3.2.2-1]', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mqtt5-sp-'));
  const connack = async (port: number, clean: boolean): Promise<number[]> => {
    const s = await rawSocket(port);
    const r = new Received(s);
    s.write(connectPacket('pub-only', { clean }));
    await r.waitFor((x) => x.count(2) === 1, 'CONNACK');
    s.write(Buffer.from([0xe0, 0]));
    s.end();
    await r.waitFor((x) => x.closed, 'close');
    return [...r.buf.subarray(0, 4)];
  };
  try {
    await withBroker({ dataDir: dir }, async (b) => {
      assert.deepEqual(await connack(b.port as number, false), [0x20, 2, 0, 0], 'first time: no session');
      assert.deepEqual(await connack(b.port as number, false), [0x20, 2, 1, 0], 'resumed');
      assert.deepEqual(
        b.sessions().map((x) => x.clientId),
        ['pub-only'],
      );
    });
    await withBroker({ dataDir: dir }, async (b) => {
      assert.deepEqual(await connack(b.port as number, false), [0x20, 2, 1, 0], 'resumed after a restart');
      assert.deepEqual(await connack(b.port as number, true), [0x20, 2, 0, 0], 'clean session');
      assert.deepEqual(await connack(b.port as number, false), [0x20, 2, 0, 0], 'the clean session discarded it');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mosquitto-style $SYS/broker statistics are retained under stable names; aedes events use the broker name', () =>
  withBroker({ brokerName: 'lab-1' }, async (_b, url) => {
    const c = await mqtt.connectAsync(url, { clientId: 'sys' });
    await c.publishAsync('sys/x', 'y', { qos: 1 });
    const got = new Map<string, string>();
    c.on('message', (t, p) => got.set(t, p.toString()));
    await c.subscribeAsync(['$SYS/broker/#', '$SYS/lab-1/#'], { qos: 0 });
    await new Promise((r) => setTimeout(r, 200));
    assert.match(got.get('$SYS/broker/uptime') ?? '', /^\d+ seconds$/);
    assert.match(got.get('$SYS/broker/version') ?? '', /seaway/);
    assert.ok(got.has('$SYS/broker/clients/connected'));
    assert.ok(got.has('$SYS/broker/messages/received'));
    assert.ok(got.has('$SYS/broker/retained messages/count'));
    const other = await mqtt.connectAsync(url, { clientId: 'newcomer' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(got.get('$SYS/lab-1/new/clients'), 'newcomer');
    await Promise.all([c.endAsync(), other.endAsync()]);
  }));

test('a "#" subscriber gets no retained $SYS messages; a "$SYS/#" subscriber does [MQTT-4.7.2-1]', () =>
  withBroker({}, async (_b, url) => {
    for (const [filter, wantSys] of [
      ['#', false],
      ['$SYS/#', true],
    ] as const) {
      const c = await mqtt.connectAsync(url, { clientId: `w${wantSys}` });
      const topics: string[] = [];
      c.on('message', (t) => topics.push(t));
      await c.subscribeAsync(filter, { qos: 0 });
      await sleep(150);
      assert.equal(
        topics.some((t) => t.startsWith('$SYS/broker/')),
        wantSys,
        filter,
      );
      await c.endAsync();
    }
  }));
