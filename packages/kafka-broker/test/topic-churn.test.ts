// Creating and deleting one topic concurrently, over and over (kafkajs admins on separate
// connections, data on disk): every request gets an answer with a Kafka error code or success, no
// handler fails and no connection is closed; the topic's state is consistent at the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir } from './support.ts';

test('concurrent create and delete of one topic answer with Kafka error codes, never a closed connection', async () => {
  const { dir, remove } = await tempDir();
  const lines: string[] = [];
  const broker = await startTestBroker({ dataDir: dir, log: (level, m) => level !== 'info' && lines.push(m) });
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admins = Array.from({ length: 6 }, () => kafka.admin());
  await Promise.all(admins.map((x) => x.connect()));
  const a = admins[0] as (typeof admins)[number];
  const outcomes = new Map<string, number>();
  const note = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
  const kafkaError = (e: unknown) => {
    // a protocol answer carries a Kafka error type (on the error or its cause); a dropped
    // connection or a timeout does not
    const err = e as { type?: string; name?: string; message: string; cause?: { type?: string } };
    const type = err.type ?? err.cause?.type;
    const connectionLevel = /connection|closed|ECONNRESET|timed? ?out/i.test(err.message);
    note(type && !connectionLevel ? `error ${type}` : `FAILURE ${err.name}: ${err.message}`);
  };
  try {
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        admins.map((x, i) =>
          i % 2 === 0
            ? x.createTopics({ topics: [{ topic: 'churn', numPartitions: 8 }] }).then(() => note('created'), kafkaError)
            : x.deleteTopics({ topics: ['churn'], timeout: 5000 }).then(() => note('deleted'), kafkaError),
        ),
      );
    }
    const failures = [...outcomes].filter(([k]) => k.startsWith('FAILURE'));
    assert.deepEqual(failures, [], JSON.stringify([...outcomes]));
    assert.deepEqual(
      lines.filter((l) => /closing connection/.test(l)),
      [],
    );
    assert.ok((outcomes.get('created') ?? 0) > 0 && (outcomes.get('deleted') ?? 0) > 0, JSON.stringify([...outcomes]));
    // consistent: the topic is either fully there (both partitions readable) or gone
    const topics = await a.listTopics();
    if (topics.includes('churn')) assert.equal((await a.fetchTopicOffsets('churn')).length, 8);
  } finally {
    await Promise.all(admins.map((x) => x.disconnect()));
    await broker.close();
    await remove();
  }
});
