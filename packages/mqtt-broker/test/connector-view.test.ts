// An in-process connector (an ingest gate handler) sees what a subscriber with its filter would see:
// client publishes, broker-side publishes (aedes.publish: the console's test message) and wills; and
// it is listed among the broker's clients with its filters as subscriptions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import type { IngestMessage } from '../src/index.ts';
import { sleep, withBroker } from './helpers.ts';

test('a broker-side publish (aedes.publish, as POST /api/mqtt/publish does) reaches the gate and subscribers', () =>
  withBroker({}, async (b, url) => {
    const seen: IngestMessage[] = [];
    b.ingest.attach('console/#', (m, done) => {
      seen.push(m);
      done(m.topic === 'console/refused' ? new Error('kafka down') : undefined);
    });
    const sub = await mqtt.connectAsync(url, { clientId: 'watch' });
    await sub.subscribeAsync('console/#', { qos: 1 });
    const got = new Promise<string>((r) => sub.once('message', (t, p) => r(`${t}=${p}`)));
    const pub = (topic: string) =>
      new Promise<Error | null>((resolve) =>
        b.aedes.publish(
          { cmd: 'publish', topic, payload: Buffer.from('hi'), qos: 1, retain: false, dup: false },
          (err) => resolve(err ?? null),
        ),
      );
    assert.equal(await pub('console/test'), null);
    assert.equal(await got, 'console/test=hi');
    assert.deepEqual(
      seen.map((m) => [m.topic, m.payload.toString(), m.clientId]),
      [['console/test', 'hi', '']],
    );
    assert.match(String(await pub('console/refused')), /kafka down/);
    assert.equal(b.stats().brokerPublishes, 2);
    await sub.endAsync();
  }));

for (const protocolVersion of [4, 5] as const) {
  test(`a will (MQTT ${protocolVersion === 4 ? '3.1.1' : '5'}) reaches the gate like a client publish [MQTT-3.1.2-8]`, () =>
    withBroker({}, async (b, url) => {
      const seen: string[] = [];
      b.ingest.attach('wills/#', (m, done) => {
        seen.push(`${m.topic}=${m.payload}`);
        done();
      });
      const c = await mqtt.connectAsync(url, {
        protocolVersion,
        clientId: 'dies',
        reconnectPeriod: 0,
        will: { topic: 'wills/dies', payload: Buffer.from('gone'), qos: 1, retain: false },
      });
      (c as unknown as { stream: { destroy(): void } }).stream.destroy();
      for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(20);
      assert.deepEqual(seen, ['wills/dies=gone']);
      c.end(true);
    }));
}

test('in-process connectors are listed as clients with their filters as subscriptions', () =>
  withBroker({}, async (b, url) => {
    const detach = b.ingest.attach('ais/#', (_m, done) => done(), 'ais', 'ais-connector-0');
    b.ingest.attach('/ais', (_m, done) => done(), 'ais', 'ais-connector-0');
    const c = await mqtt.connectAsync(url, { clientId: 'real' });
    await c.subscribeAsync('x/#', { qos: 0 });
    const views = b.clients().map((v) => [v.id, v.transport, v.subscriptions]);
    assert.deepEqual(views, [
      ['real', 'tcp', 1],
      ['ais-connector-0', 'in-process', 2],
    ]);
    assert.deepEqual(
      b.subscriptions().map((s) => [s.clientId, s.topic]),
      [
        ['real', 'x/#'],
        ['ais-connector-0', 'ais/#'],
        ['ais-connector-0', '/ais'],
      ],
    );
    detach();
    assert.equal(b.subscriptions().length, 2);
    await c.endAsync();
  }));
