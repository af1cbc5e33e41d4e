import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { startMqttBroker } from '../src/index.ts';

test('a QoS 1 publish reaches a subscriber and is counted', async () => {
  const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'sub' });
  const pub = await mqtt.connectAsync(url, { clientId: 'pub' });
  try {
    await sub.subscribeAsync('ais/#', { qos: 1 });
    const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
    await pub.publishAsync('ais/1', 'hello', { qos: 1 });
    assert.equal(await got, 'hello');
    const s = broker.stats();
    assert.equal(s.messagesIn, 1);
    assert.equal(s.bytesIn, 5);
    assert.equal(s.clients, 2);
  } finally {
    await pub.endAsync();
    await sub.endAsync();
    await broker.close();
  }
});
