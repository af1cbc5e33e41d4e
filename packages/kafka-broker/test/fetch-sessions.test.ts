// Fetch sessions (KIP-227) and Fetch by topic id (v13+) at the protocol level, against the embedded
// broker and real Apache Kafka: a full fetch with epoch 0 opens a session; incremental fetches carry
// only partitions with news; forgotten partitions drop out; a wrong epoch, an unknown or a closed
// session get Kafka's top-level error codes; v13+ names topics by id (UNKNOWN_TOPIC_ID for an unknown one).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, encodeRecordBatch, randomUuid } from '@seaway/kafka-protocol';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

const real = realKafka();
let embedded: KafkaBroker;
const targets = [
  { name: 'embedded broker', skip: false as string | false, port: () => embedded.port },
  { name: 'Apache Kafka', skip: !real && 'no real Kafka', port: () => Number((real as string).split(':').pop()) },
];

before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

// biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
type Body = any;

async function produce(c: RawClient, topic: string, partition: number, value: string): Promise<void> {
  for (let i = 0; ; i++) {
    const r = await c.send(0, 9, {
      acks: -1,
      timeoutMs: 10_000,
      topicData: [
        {
          name: topic,
          partitionData: [{ index: partition, records: encodeRecordBatch([{ value: Buffer.from(value) }]) }],
        },
      ],
    });
    const code = r.body.responses[0].partitionResponses[0].errorCode;
    if (code === ErrorCode.NONE) return;
    // a topic Apache Kafka has just created may not have its leader yet
    if (code !== ErrorCode.NOT_LEADER_OR_FOLLOWER || i > 100) assert.fail(`produce answered ${code}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** [partition, has records, high watermark] per partition in a response, topic by topic. */
function summary(body: Body): Array<[number, boolean, number]> {
  const out: Array<[number, boolean, number]> = [];
  for (const t of body.responses)
    for (const p of t.partitions) out.push([p.partitionIndex, (p.records?.length ?? 0) > 0, Number(p.highWatermark)]);
  return out.sort((a, b) => a[0] - b[0]);
}

for (const target of targets) {
  describe(`fetch sessions against ${target.name}`, { skip: target.skip }, () => {
    test('full fetch opens a session, incremental fetches carry only news, errors for bad epochs and ids', {
      timeout: 60_000,
    }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const topic = unique('sessions');
        const created = await c.send(19, 5, {
          topics: [{ name: topic, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        assert.equal(created.body.topics[0].errorCode, ErrorCode.NONE);
        await produce(c, topic, 0, 'p0-a');
        await produce(c, topic, 1, 'p1-a');
        const part = (partition: number, fetchOffset: bigint) => ({
          partition,
          fetchOffset,
          partitionMaxBytes: 1 << 20,
        });
        const fetch = (sessionId: number, sessionEpoch: number, partitions: object[], forgotten: number[] = []) =>
          c.send(1, 12, {
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1 << 20,
            sessionId,
            sessionEpoch,
            topics: partitions.length > 0 ? [{ topic, partitions }] : [],
            forgottenTopicsData: forgotten.length > 0 ? [{ topic, partitions: forgotten }] : [],
          });

        const full = (await fetch(0, 0, [part(0, 0n), part(1, 0n)])).body;
        assert.equal(full.errorCode, ErrorCode.NONE);
        assert.notEqual(full.sessionId, 0);
        const id: number = full.sessionId;
        assert.deepEqual(summary(full), [
          [0, true, 1],
          [1, true, 1],
        ]);

        // the client moves both fetch offsets to 1: no news, so no partitions
        const quiet = (await fetch(id, 1, [part(0, 1n), part(1, 1n)])).body;
        assert.equal(quiet.errorCode, ErrorCode.NONE);
        assert.equal(quiet.sessionId, id);
        assert.deepEqual(summary(quiet), []);

        await produce(c, topic, 1, 'p1-b');
        const news = (await fetch(id, 2, [])).body;
        assert.deepEqual(summary(news), [[1, true, 2]]);

        // forget partition 1: its new records are no longer reported
        const forgot = (await fetch(id, 3, [part(0, 1n)], [1])).body;
        assert.equal(forgot.errorCode, ErrorCode.NONE);
        await produce(c, topic, 1, 'p1-c');
        await produce(c, topic, 0, 'p0-b');
        assert.deepEqual(summary((await fetch(id, 4, [])).body), [[0, true, 2]]);

        const wrongEpoch = (await fetch(id, 9, [])).body;
        assert.equal(wrongEpoch.errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
        assert.deepEqual(wrongEpoch.responses, []);

        const unknown = (await fetch(id === 0x7ffffffe ? 1 : id + 1, 1, [])).body;
        assert.equal(unknown.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);

        // epoch -1 closes the session and is answered as a sessionless full fetch
        const closing = (await fetch(id, -1, [part(0, 0n)])).body;
        assert.equal(closing.errorCode, ErrorCode.NONE);
        assert.equal(closing.sessionId, 0);
        assert.deepEqual(summary(closing), [[0, true, 2]]);
        assert.equal((await fetch(id, 5, [])).body.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
      } finally {
        c.close();
      }
    });

    test('Fetch v13+ by topic id; an unknown id answers UNKNOWN_TOPIC_ID', { timeout: 60_000 }, async () => {
      const c = await RawClient.open(target.port());
      try {
        const topic = unique('by-id');
        const created = await c.send(19, 7, {
          topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        });
        const topicId: string = created.body.topics[0].topicId;
        await produce(c, topic, 0, 'x');
        const missing = randomUuid();
        for (const version of [13, 16, 17]) {
          const r = await c.send(1, version, {
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1 << 20,
            sessionId: 0,
            sessionEpoch: -1,
            topics: [
              { topicId, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
              { topicId: missing, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
            ],
          });
          assert.equal(r.body.errorCode, ErrorCode.NONE);
          const byId = new Map(r.body.responses.map((t: Body) => [t.topicId, t.partitions[0]]));
          const mine: Body = byId.get(topicId);
          assert.equal(mine.errorCode, ErrorCode.NONE, `v${version}`);
          assert.ok(mine.records.length > 0);
          assert.equal(Number(mine.highWatermark), 1);
          assert.equal((byId.get(missing) as Body).errorCode, ErrorCode.UNKNOWN_TOPIC_ID, `v${version}`);
        }
      } finally {
        c.close();
      }
    });
  });
}
