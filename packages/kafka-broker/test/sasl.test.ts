// SASL/PLAIN when configured: kafkajs (SaslHandshake v1 + SaslAuthenticate) and kcat (librdkafka)
// authenticate; a wrong password is refused; requests before authentication close the connection.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { command } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { run } from './cli-support.ts';
import { closesWithin, RawClient, startTestBroker, unique } from './support.ts';

const kcat = command('kcat');
let broker: KafkaBroker;
before(async () => {
  broker = await startTestBroker({ sasl: { mechanism: 'PLAIN', users: { alice: 'secret' } } });
});
after(() => broker.close());

const client = (password: string) =>
  new Kafka({
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    sasl: { mechanism: 'plain', username: 'alice', password },
  });

test('kafkajs with the right PLAIN credentials produces; a wrong password is refused', async () => {
  const producer = client('secret').producer();
  await producer.connect();
  await producer.send({ topic: unique('sasl'), messages: [{ value: 'authenticated' }] });
  await producer.disconnect();
  const bad = client('wrong').producer();
  await assert.rejects(bad.connect(), /SASL PLAIN authentication failed|Authentication failed/i);
});

test('a request before authentication closes the connection', async () => {
  const c = await RawClient.open(broker.port);
  void c.send(3, 12, { topics: null }).catch(() => {});
  assert.equal(await closesWithin(c, 2000), true);
});

test('kcat authenticates with SASL/PLAIN and lists metadata', { skip: !kcat && 'kcat not installed' }, async () => {
  const r = await run(
    kcat as string,
    [
      '-b',
      broker.bootstrap,
      '-L',
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=alice',
      '-X',
      'sasl.password=secret',
    ],
    { timeoutMs: 20_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 brokers:/);
});
