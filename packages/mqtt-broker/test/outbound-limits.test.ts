// What an MQTT 5 client announces in CONNECT, applied to what the broker sends it (outbound-limits.ts):
// Receive Maximum, Maximum Packet Size, every matching Subscription Identifier. The subscriber is a raw
// socket speaking through mqtt-packet, so the test decides when PUBACKs go; publishers are mqtt.js.
import assert from 'node:assert/strict';
import { connect as tcp } from 'node:net';
import { test } from 'node:test';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { sleep, withBroker } from './helpers.ts';

interface Received {
  cmd: string;
  qos?: number;
  messageId?: number;
  payload?: Buffer;
  properties?: Record<string, unknown>;
}

/** A v5 client on a raw socket that never acknowledges anything unless told to. */
async function rawV5(port: number, clientId: string, properties: Record<string, unknown>, clean = true) {
  const s = tcp(port, '127.0.0.1');
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const got: Received[] = [];
  let closed = false;
  s.on('data', (d) => parser.parse(d));
  s.on('close', () => {
    closed = true;
  });
  parser.on('packet', (p) => got.push(p as Received));
  const send = (p: object) => s.write(mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 }));
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean, clientId, keepalive: 60, properties });
  await until(() => got.some((p) => p.cmd === 'connack'));
  return {
    got,
    send,
    publishes: () => got.filter((p) => p.cmd === 'publish'),
    payloads: () => got.filter((p) => p.cmd === 'publish').map((p) => String(p.payload)),
    closed: () => closed,
    async subscribe(topic: string, qos: 0 | 1 | 2, subscriptionIdentifier?: number) {
      const messageId = got.length + 100;
      send({
        cmd: 'subscribe',
        messageId,
        subscriptions: [{ topic, qos }],
        ...(subscriptionIdentifier ? { properties: { subscriptionIdentifier } } : {}),
      });
      await until(() => got.some((p) => p.cmd === 'suback' && p.messageId === messageId));
    },
    ack(p: Received) {
      send({ cmd: 'puback', messageId: p.messageId });
    },
    end() {
      s.destroy();
    },
  };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

test('[MQTT-3.3.4-9] no more than Receive Maximum QoS 1 PUBLISHes unacknowledged; the rest follow in order; QoS 0 is not held', async () => {
  await withBroker({}, async (b, url) => {
    const sub = await rawV5(b.port as number, 'rm-sub', { receiveMaximum: 2 });
    await sub.subscribe('rm/#', 1);
    const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
    for (let i = 0; i < 6; i++) await pub.publishAsync('rm/a', `q1-${i}`, { qos: 1 });
    await pub.publishAsync('rm/a', 'q0', { qos: 0 });
    await until(() => sub.payloads().includes('q0'));
    await sleep(100);
    assert.deepEqual(sub.payloads(), ['q1-0', 'q1-1', 'q0'], 'two QoS 1 in flight, QoS 0 passes them');
    sub.ack(sub.publishes()[0] as Received);
    await until(() => sub.publishes().length === 4);
    await sleep(100);
    assert.equal(sub.publishes().length, 4, 'one PUBACK frees one place');
    for (let round = 0; round < 5; round++) for (const p of sub.publishes()) if (p.qos === 1) sub.ack(p);
    await until(() => sub.publishes().length === 7);
    assert.deepEqual(
      sub.payloads().filter((p) => p !== 'q0'),
      ['q1-0', 'q1-1', 'q1-2', 'q1-3', 'q1-4', 'q1-5'],
    );
    assert.equal(b.stats().heldForReceiveMaximum, 4);
    sub.end();
    await pub.endAsync();
  });
});

test('[MQTT-3.1.2-24] [MQTT-3.1.2-25] a PUBLISH over the Maximum Packet Size the client announced is not sent; the session goes on', async () => {
  await withBroker({}, async (b, url) => {
    const sub = await rawV5(b.port as number, 'mps-sub', { maximumPacketSize: 200 });
    await sub.subscribe('mps/#', 1);
    await sub.subscribe('mps/+', 1); // two matching subscriptions: the discarded message is counted once
    const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
    await pub.publishAsync('mps/a', Buffer.alloc(300, 'x'), { qos: 1 });
    await pub.publishAsync('mps/a', Buffer.alloc(300, 'y'), { qos: 0 });
    // fits without properties, not with a user property (the exact size is computed then)
    await pub.publishAsync('mps/a', Buffer.alloc(150, 'z'), {
      qos: 1,
      properties: { userProperties: { note: 'n'.repeat(60) } },
    });
    await pub.publishAsync('mps/a', 'small', { qos: 1 });
    await until(() => sub.payloads().includes('small'));
    await sleep(100);
    assert.deepEqual(sub.payloads(), ['small']);
    assert.ok(!sub.closed());
    assert.equal(b.stats().droppedTooLargeForClient, 3);
    assert.ok(
      sub.got.every(
        (p) => p.cmd !== 'publish' || mqttPacket.generate(p as never, { protocolVersion: 5 }).length <= 200,
      ),
    );
    sub.end();
    await pub.endAsync();
  });
});

test('[MQTT-3.3.4-4] one copy for overlapping subscriptions carries the identifier of each (mqtt.js v5 subscriber)', async () => {
  await withBroker({}, async (_b, url) => {
    const c = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: 'si-sub' });
    await c.subscribeAsync('si/#', { qos: 1, properties: { subscriptionIdentifier: 7 } });
    await c.subscribeAsync('si/+/x', { qos: 1, properties: { subscriptionIdentifier: 9 } });
    await c.subscribeAsync('other/#', { qos: 1, properties: { subscriptionIdentifier: 11 } });
    const seen: { topic: string; ids: number[] }[] = [];
    c.on('message', (topic, _p, pk) => {
      const si = pk.properties?.subscriptionIdentifier;
      seen.push({ topic, ids: (Array.isArray(si) ? si : [si]).map(Number).sort((a, b) => a - b) });
    });
    await c.publishAsync('si/a/x', '1', { qos: 1 });
    await c.publishAsync('si/a/y', '2', { qos: 0 });
    await until(() => seen.length >= 2);
    await sleep(100);
    assert.deepEqual(seen, [
      { topic: 'si/a/x', ids: [7, 9] },
      { topic: 'si/a/y', ids: [7] },
    ]);
    await c.endAsync();
  });
});

test('a persistent session gets its stored messages on reconnect within its Receive Maximum', async () => {
  await withBroker({}, async (b, url) => {
    const first = await rawV5(b.port as number, 'rm-persist', { sessionExpiryInterval: 300 }, false);
    await first.subscribe('rmp/#', 1);
    first.end();
    await sleep(100);
    const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
    for (let i = 0; i < 5; i++) await pub.publishAsync('rmp/a', `s${i}`, { qos: 1 });
    const again = await rawV5(b.port as number, 'rm-persist', { sessionExpiryInterval: 300, receiveMaximum: 2 }, false);
    await until(() => again.publishes().length >= 2);
    await sleep(200);
    assert.deepEqual(again.payloads(), ['s0', 's1']);
    for (let round = 0; round < 5; round++) {
      for (const p of again.publishes()) again.ack(p);
      await sleep(50);
    }
    await until(() => again.publishes().length === 5);
    assert.deepEqual(again.payloads(), ['s0', 's1', 's2', 's3', 's4']);
    again.end();
    await pub.endAsync();
  });
});

test('deliveries held for a full window beyond maxQueuedPerClient are dropped and counted', async () => {
  await withBroker({ limits: { maxQueuedPerClient: 3 } }, async (b, url) => {
    const sub = await rawV5(b.port as number, 'rm-full', { receiveMaximum: 1 });
    await sub.subscribe('rmf/#', 1);
    const pub = await mqtt.connectAsync(url, { protocolVersion: 5 });
    for (let i = 0; i < 10; i++) await pub.publishAsync('rmf/a', `f${i}`, { qos: 1 });
    await until(() => b.stats().droppedFlowControl === 6);
    assert.equal(b.stats().heldForReceiveMaximum, 3);
    assert.match(b.prometheus(), /seaway_mqtt_dropped_flow_control_total 6/);
    for (let round = 0; round < 6; round++) {
      for (const p of sub.publishes()) sub.ack(p);
      await sleep(50);
    }
    await until(() => sub.publishes().length === 4);
    assert.deepEqual(sub.payloads(), ['f0', 'f1', 'f2', 'f3']);
    sub.end();
    await pub.endAsync();
  });
});

test('[MQTT-3.2.2-13] a v5 CONNACK does not say shared subscriptions are unavailable (they are served)', async () => {
  await withBroker({}, async (_b, url) => {
    const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0 });
    const connack = await new Promise<{ properties?: Record<string, unknown> }>((r) => c.once('connect', r));
    assert.notEqual(connack.properties?.sharedSubscriptionAvailable, false);
    await c.endAsync();
  });
});
