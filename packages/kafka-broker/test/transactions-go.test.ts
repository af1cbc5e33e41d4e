// franz-go transactions against the embedded broker and real Apache Kafka: a transactional producer
// commits and aborts transactions of 100 records (every third aborted), then a franz-go
// read_committed consumer must see exactly the committed records, each once, and none of the aborted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real, run } from './cli-support.ts';
import { goClient } from './go-client.ts';
import { startTestBroker, unique } from './support.ts';

const TXNS = 9;
const PER = 100;
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`franz-go transactions against ${target.name}`, {
    skip: (!goClient && 'Go program not built') || target.skip,
  }, () => {
    test('commit and abort; a read_committed consumer sees each committed record once', {
      timeout: 120_000,
    }, async () => {
      const bootstrap = target.bootstrap();
      const topic = unique('gotxn');
      const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
      await admin.disconnect();
      const produced = await run(goClient as string, ['txn', bootstrap, topic, String(TXNS), String(PER)], {
        timeoutMs: 60_000,
      });
      assert.equal(produced.status, 0, produced.stderr);
      const aborted = Math.floor(TXNS / 3) * PER;
      assert.equal(produced.stdout.trim(), `committed ${TXNS * PER - aborted} aborted ${aborted}`);
      // asks for one more than were committed, so it reads until nothing new comes (an extra would show)
      const read = await run(goClient as string, ['read', bootstrap, topic, String(TXNS * PER - aborted + 1)], {
        timeoutMs: 60_000,
      });
      assert.equal(read.status, 0, read.stderr);
      const values = read.stdout.trim().split('\n');
      assert.equal(values.pop(), 'done');
      const expected: string[] = [];
      for (let t = 0; t < TXNS; t++) if (t % 3 !== 2) for (let i = 0; i < PER; i++) expected.push(`c-${t}-${i}`);
      assert.deepEqual([...values].sort(), expected.sort());
    });
  });
}
