// Regression tests for runs with many connections and few messages: workers whose CONNACK
// arrives while others are still connecting must not publish (or finish the run) before the
// clock starts, every connection closes when the run is done, and the counts are exact. Also
// process shares with a quota of 0 messages (more processes than messages).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { startGeneratorRun } from '../src/gen/run.ts';

let broker: MqttBroker;
let server: string;

before(async () => {
  broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  server = `127.0.0.1:${broker.port}`;
});
after(async () => {
  await broker.close();
});

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function subscribe(topic: string): Promise<{ received: () => number; close(): Promise<void> }> {
  const client = await mqtt.connectAsync(`mqtt://${server}`, { clientId: `sub-${Math.random()}` });
  let n = 0;
  client.on('message', () => {
    n++;
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return { received: () => n, close: () => client.endAsync() };
}

const connectedAs = (prefix: string): number => broker.clients().filter((c) => c.id.startsWith(prefix)).length;

test('300 stop-and-wait workers sending 100 messages finish, close every connection and count exactly', async () => {
  for (let round = 0; round < 3; round++) {
    const topic = `/many/${round}`;
    const clientId = `many-${round}`;
    const sub = await subscribe(topic);
    const run = startGeneratorRun({ server, origin: topic, clientId, messages: 100, workers: 300, fleet: 50 });
    const s = await run.done;
    assert.equal(s.sent, 100, `round ${round}: sent`);
    assert.equal(s.messages, 100, `round ${round}: acknowledged`);
    assert.equal(s.errors, 0, `round ${round}: errors (${s.lastError})`);
    assert.ok(s.seconds >= 0, `round ${round}: seconds ${s.seconds} is negative`);
    assert.equal(run.stats().messages, 100, 'no acknowledgement is counted after the summary');
    // done resolving is not enough: the process only exits once every socket is closed.
    await until(() => connectedAs(`${clientId}-`) === 0, `round ${round}: every generator connection closed`);
    await until(() => sub.received() === 100, `round ${round}: subscriber received 100`);
    await sub.close();
  }
});

test('more processes than messages: a share of 0 messages sends nothing instead of running unbounded', async () => {
  const sub = await subscribe('/share0');
  const run = startGeneratorRun({ server, origin: '/share0', messages: 1, workers: 2, procs: 2, fleet: 10 });
  const s = await run.done;
  assert.equal(s.sent, 1);
  assert.equal(s.messages, 1);
  assert.equal(s.errors, 0);
  await until(() => sub.received() === 1, 'subscriber received the one message');
  await sub.close();
});
