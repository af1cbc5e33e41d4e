// Produce, Fetch, ListOffsets, DeleteRecords and idempotence at the protocol level (raw client over a
// real socket, in-memory logs).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { decodeRecordBatch, ErrorCode, encodeRecordBatch } from '@seaway/kafka-protocol';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

let broker: KafkaBroker;
let c: RawClient;

before(async () => {
  broker = await startTestBroker({ defaultPartitions: 1 });
  c = await RawClient.open(broker.port);
});
after(async () => {
  c.close();
  await broker.close();
});

async function createTopic(partitions = 1): Promise<string> {
  const name = unique('pf');
  const r = await c.send(19, 7, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1 }],
    timeoutMs: 1000,
  });
  assert.equal(r.body.topics[0].errorCode, ErrorCode.NONE);
  return name;
}

async function produce(topic: string, records: Buffer, partition = 0, client = c) {
  const r = await client.send(0, 11, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  return r.body.responses[0].partitionResponses[0] as {
    errorCode: number;
    baseOffset: bigint;
    errorMessage: string | null;
  };
}

function fetchReq(
  topic: string,
  partitions: Array<[number, bigint]>,
  o: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {},
) {
  return {
    maxWaitMs: o.maxWaitMs ?? 0,
    minBytes: o.minBytes ?? 1,
    maxBytes: o.maxBytes ?? 1 << 20,
    topics: [
      {
        topic,
        partitions: partitions.map(([partition, fetchOffset]) => ({
          partition,
          fetchOffset,
          partitionMaxBytes: o.partitionMaxBytes ?? 1 << 20,
        })),
      },
    ],
  };
}

function records(buf: Buffer): Array<{ offset: number; value: string }> {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const b = decodeRecordBatch(buf, pos);
    for (const r of b.records) out.push({ offset: r.offset, value: r.value?.toString() ?? '' });
    pos += b.header.batchLength + 12;
  }
  return out;
}

const batchOf = (...values: string[]) => encodeRecordBatch(values.map((value) => ({ value })));

test('a batch with a wrong CRC is rejected with CORRUPT_MESSAGE and nothing is stored', async () => {
  const topic = await createTopic();
  const b = batchOf('a', 'b');
  b.writeUInt8(b.readUInt8(b.length - 1) ^ 0xff, b.length - 1);
  const r = await produce(topic, b);
  assert.equal(r.errorCode, ErrorCode.CORRUPT_MESSAGE);
  const f = await c.send(1, 12, fetchReq(topic, [[0, 0n]]));
  assert.equal(f.body.responses[0].partitions[0].highWatermark, 0n);
});

test('a fetch that starts inside a batch returns the whole batch', async () => {
  const topic = await createTopic();
  assert.equal((await produce(topic, batchOf('r0', 'r1', 'r2', 'r3', 'r4'))).baseOffset, 0n);
  const f = await c.send(1, 12, fetchReq(topic, [[0, 3n]]));
  const got = records(f.body.responses[0].partitions[0].records);
  assert.deepEqual(
    got.map((r) => r.offset),
    [0, 1, 2, 3, 4],
  );
});

test('fetch at log end waits for an append and wakes up when a producer appends', { timeout: 20_000 }, async () => {
  const topic = await createTopic();
  const other = await RawClient.open(broker.port);
  // maxWaitMs far beyond the test timeout: only a wake-up on append can finish this fetch in time
  const pending = c.send(1, 12, fetchReq(topic, [[0, 0n]], { maxWaitMs: 60_000 }));
  await new Promise((r) => setTimeout(r, 100));
  await produce(topic, batchOf('late'), 0, other);
  const f = await pending;
  assert.deepEqual(
    records(f.body.responses[0].partitions[0].records).map((r) => r.value),
    ['late'],
  );
  other.close();
});

test('fetch at log end with nothing appended answers empty after maxWaitMs', async () => {
  const topic = await createTopic();
  const f = await c.send(1, 12, fetchReq(topic, [[0, 0n]], { maxWaitMs: 100 }));
  assert.equal(f.body.responses[0].partitions[0].errorCode, ErrorCode.NONE);
  assert.equal(f.body.responses[0].partitions[0].records.length, 0);
});

test('a full fetch response lists every requested partition, with or without data', async () => {
  const topic = await createTopic(3);
  await produce(topic, batchOf('only-in-1'), 1);
  const f = await c.send(
    1,
    12,
    fetchReq(topic, [
      [0, 0n],
      [1, 0n],
      [2, 0n],
    ]),
  );
  const parts = f.body.responses[0].partitions;
  assert.deepEqual(
    parts.map((p: { partitionIndex: number }) => p.partitionIndex),
    [0, 1, 2],
  );
  assert.deepEqual(
    parts.map((p: { highWatermark: bigint }) => p.highWatermark),
    [0n, 1n, 0n],
  );
  assert.equal(f.body.sessionId, 0);
});

test('partitionMaxBytes smaller than a batch still returns that one batch, and no more', async () => {
  const topic = await createTopic();
  await produce(topic, batchOf('first-batch'));
  await produce(topic, batchOf('second-batch'));
  const f = await c.send(1, 12, fetchReq(topic, [[0, 0n]], { partitionMaxBytes: 10 }));
  assert.deepEqual(
    records(f.body.responses[0].partitions[0].records).map((r) => r.value),
    ['first-batch'],
  );
  const all = await c.send(1, 12, fetchReq(topic, [[0, 0n]]));
  assert.equal(records(all.body.responses[0].partitions[0].records).length, 2);
});

test('fetch below the log start or beyond the end answers OFFSET_OUT_OF_RANGE', async () => {
  const topic = await createTopic();
  await produce(topic, batchOf('a'));
  await produce(topic, batchOf('b'));
  const d = await c.send(21, 2, {
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, offset: 1n }] }],
    timeoutMs: 1000,
  });
  assert.equal(d.body.topics[0].partitions[0].lowWatermark, 1n);
  for (const offset of [0n, 5n]) {
    const f = await c.send(1, 12, fetchReq(topic, [[0, offset]]));
    assert.equal(f.body.responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
    assert.equal(f.body.responses[0].partitions[0].logStartOffset, 1n);
  }
});

test('ListOffsets answers earliest, latest, by timestamp and the max-timestamp record', async () => {
  const topic = await createTopic();
  const t0 = 1_700_000_000_000;
  await produce(
    topic,
    encodeRecordBatch([
      { value: 'a', timestamp: t0 },
      { value: 'b', timestamp: t0 + 50 },
    ]),
  );
  await produce(
    topic,
    encodeRecordBatch([
      { value: 'c', timestamp: t0 + 10 },
      { value: 'd', timestamp: t0 + 20 },
    ]),
  );
  const ask = async (timestamp: bigint) => {
    const r = await c.send(2, 7, {
      replicaId: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp }] }],
    });
    return r.body.topics[0].partitions[0] as { errorCode: number; offset: bigint; timestamp: bigint };
  };
  assert.equal((await ask(-2n)).offset, 0n);
  assert.equal((await ask(-1n)).offset, 4n);
  assert.equal((await ask(BigInt(t0 + 5))).offset, 1n);
  assert.equal((await ask(BigInt(t0 + 51))).offset, -1n);
  const max = await ask(-3n);
  assert.equal(max.offset, 1n);
  assert.equal(max.timestamp, BigInt(t0 + 50));
});

test('idempotent produce: a duplicate answers the original offset, a gap OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
  const topic = await createTopic();
  const init = await c.send(22, 5, { transactionalId: null, transactionTimeoutMs: 60000 });
  const producerId = Number(init.body.producerId);
  assert.ok(producerId >= 0);
  const idem = (baseSequence: number, ...values: string[]) =>
    encodeRecordBatch(
      values.map((value) => ({ value })),
      { producerId, producerEpoch: 0, baseSequence },
    );
  assert.equal((await produce(topic, idem(0, 'a', 'b'))).baseOffset, 0n);
  assert.equal((await produce(topic, idem(2, 'c'))).baseOffset, 2n);
  const dup = await produce(topic, idem(0, 'a', 'b'));
  assert.equal(dup.errorCode, ErrorCode.NONE);
  assert.equal(dup.baseOffset, 0n);
  const gap = await produce(topic, idem(7, 'x'));
  assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  const f = await c.send(1, 12, fetchReq(topic, [[0, 0n]]));
  assert.deepEqual(
    records(f.body.responses[0].partitions[0].records).map((r) => r.value),
    ['a', 'b', 'c'],
  );
  const fresh = await produce(
    topic,
    encodeRecordBatch([{ value: 'n' }], { producerId: producerId + 1, producerEpoch: 0, baseSequence: 3 }),
  );
  assert.equal(
    fresh.errorCode,
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    'a producer id allocated by this broker must start at 0',
  );
});

test('stored batches keep the producer bytes; only base offset and leader epoch change', async () => {
  const topic = await createTopic();
  await produce(topic, batchOf('x'));
  const sent = encodeRecordBatch([{ value: 'kept', key: 'k', headers: [{ key: 'h', value: 'v' }] }], {
    compression: 'gzip',
    partitionLeaderEpoch: 42,
  });
  await produce(topic, Buffer.from(sent));
  const f = await c.send(1, 12, fetchReq(topic, [[0, 1n]]));
  const got: Buffer = f.body.responses[0].partitions[0].records;
  assert.equal(got.readBigInt64BE(0), 1n);
  assert.equal(got.readInt32BE(12), 0);
  assert.deepEqual(got.subarray(16), sent.subarray(16));
});

test('Produce v2 with a magic 1 message set is converted and readable', async () => {
  const topic = await createTopic();
  // offset int64, size int32, crc uint32 (CRC-32 of the rest), magic 1, attributes, timestamp, key, value
  const value = Buffer.from('legacy');
  const body = Buffer.alloc(1 + 1 + 8 + 4 + 4 + value.length);
  body.writeInt8(1, 0);
  body.writeBigInt64BE(1_700_000_000_000n, 2);
  body.writeInt32BE(-1, 10);
  body.writeInt32BE(value.length, 14);
  value.copy(body, 18);
  const msg = Buffer.alloc(12 + 4 + body.length);
  msg.writeInt32BE(4 + body.length, 8);
  msg.writeUInt32BE(crc32(body), 12);
  body.copy(msg, 16);
  const r = await c.send(0, 2, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: msg }] }],
  });
  assert.equal(r.body.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
  const f = await c.send(1, 12, fetchReq(topic, [[0, 0n]]));
  assert.deepEqual(
    records(f.body.responses[0].partitions[0].records).map((x) => x.value),
    ['legacy'],
  );
});

test('produce to a missing partition answers UNKNOWN_TOPIC_OR_PARTITION; invalid acks INVALID_REQUIRED_ACKS', async () => {
  const topic = await createTopic();
  assert.equal((await produce(topic, batchOf('x'), 7)).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const r = await c.send(0, 9, {
    acks: 2,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batchOf('y') }] }],
  });
  assert.equal(r.body.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_REQUIRED_ACKS);
});

test('with autoCreateTopics off, Metadata and Produce answer UNKNOWN_TOPIC_OR_PARTITION', async () => {
  const b = await startTestBroker({ autoCreateTopics: false });
  const raw = await RawClient.open(b.port);
  const m = await raw.send(3, 12, {
    topics: [{ name: 'nope', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    allowAutoTopicCreation: true,
  });
  assert.equal(m.body.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal((await produce('nope', batchOf('x'), 0, raw)).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  raw.close();
  await b.close();
});

test('a batch above the topic max.message.bytes answers MESSAGE_TOO_LARGE', async () => {
  const name = unique('big');
  await c.send(19, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, configs: [{ name: 'max.message.bytes', value: '2000' }] }],
    timeoutMs: 1000,
  });
  const r = await produce(name, encodeRecordBatch([{ value: Buffer.alloc(5000, 1) }]));
  assert.equal(r.errorCode, ErrorCode.MESSAGE_TOO_LARGE);
  assert.equal((await produce(name, batchOf('small'))).errorCode, ErrorCode.NONE);
});

test('a LogAppendTime topic stamps batches with the append time and answers it', async () => {
  const name = unique('lat');
  await c.send(19, 7, {
    topics: [
      {
        name,
        numPartitions: 1,
        replicationFactor: 1,
        configs: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
      },
    ],
    timeoutMs: 1000,
  });
  const before = Date.now();
  const r = await c.send(0, 11, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [
      { name, partitionData: [{ index: 0, records: encodeRecordBatch([{ value: 'old', timestamp: 1000 }]) }] },
    ],
  });
  const appendTime = Number(r.body.responses[0].partitionResponses[0].logAppendTimeMs);
  assert.ok(appendTime >= before);
  const f = await c.send(1, 12, fetchReq(name, [[0, 0n]]));
  const batch = decodeRecordBatch(f.body.responses[0].partitions[0].records, 0);
  assert.equal(batch.header.timestampType, 1);
  assert.equal(batch.records[0]?.timestamp, appendTime);
});

test('log maintenance compacts a cleanup.policy=compact topic, keeping the latest record per key', async () => {
  const name = unique('compact');
  await c.send(19, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
    timeoutMs: 1000,
  });
  await produce(name, encodeRecordBatch([{ key: 'a', value: 'a1' }]));
  await produce(name, encodeRecordBatch([{ key: 'a', value: 'a2' }]));
  await produce(name, encodeRecordBatch([{ key: 'b', value: 'b1' }]));
  await produce(name, encodeRecordBatch([{ key: 'c', value: 'c1' }]));
  await broker.runLogMaintenance();
  const f = await c.send(1, 12, fetchReq(name, [[0, 0n]]));
  assert.deepEqual(
    records(f.body.responses[0].partitions[0].records).map((r) => [r.offset, r.value]),
    [
      [1, 'a2'],
      [2, 'b1'],
      [3, 'c1'],
    ],
  );
});

test('cleanup.policy changed to compact by IncrementalAlterConfigs applies at the next maintenance pass', async () => {
  const name = unique('to-compact');
  await c.send(19, 7, { topics: [{ name, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
  for (const value of ['a1', 'a2', 'a3']) await produce(name, encodeRecordBatch([{ key: 'a', value }]));
  await produce(name, encodeRecordBatch([{ key: 'b', value: 'b1' }]));
  const values = async () =>
    records((await c.send(1, 12, fetchReq(name, [[0, 0n]]))).body.responses[0].partitions[0].records).map(
      (r) => r.value,
    );
  await broker.runLogMaintenance();
  assert.deepEqual(await values(), ['a1', 'a2', 'a3', 'b1']);
  const r = await c.send(44, 1, {
    resources: [
      {
        resourceType: 2,
        resourceName: name,
        configs: [{ name: 'cleanup.policy', configOperation: 0, value: 'compact' }],
      },
    ],
    validateOnly: false,
  });
  assert.equal(r.body.responses[0].errorCode, ErrorCode.NONE);
  await broker.runLogMaintenance();
  assert.deepEqual(await values(), ['a3', 'b1']);
});

test('maxBytes bounds the whole response: only the first partition with data may exceed it', async () => {
  const topic = await createTopic(2);
  const big = (tag: string) => encodeRecordBatch([{ value: Buffer.alloc(3000, tag) }]);
  await produce(topic, big('a'), 0);
  await produce(topic, big('b'), 1);
  const f = await c.send(
    1,
    12,
    fetchReq(
      topic,
      [
        [0, 0n],
        [1, 0n],
      ],
      { maxBytes: 1000 },
    ),
  );
  const sizes = f.body.responses[0].partitions.map((p: { records: Buffer }) => p.records.length);
  assert.ok(sizes[0] > 1000);
  assert.equal(sizes[1], 0);
});

test('pipelined idempotent produces on one connection append in request order, even to a new topic', async () => {
  const raw = await RawClient.open(broker.port);
  const init = await raw.send(22, 5, { transactionalId: null, transactionTimeoutMs: 60000 });
  const producerId = Number(init.body.producerId);
  for (const topic of [unique('pipe-new'), await createTopic()]) {
    const sends = Array.from({ length: 40 }, (_, i) =>
      raw.send(0, 11, {
        acks: -1,
        timeoutMs: 1000,
        topicData: [
          {
            name: topic,
            partitionData: [
              {
                index: 0,
                records: encodeRecordBatch([{ value: `p${i}` }], { producerId, producerEpoch: 0, baseSequence: i }),
              },
            ],
          },
        ],
      }),
    );
    const offsets = raw.send(2, 7, {
      replicaId: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    });
    const results = await Promise.all(sends);
    assert.deepEqual(
      results.map((r) => [
        r.body.responses[0].partitionResponses[0].errorCode,
        r.body.responses[0].partitionResponses[0].baseOffset,
      ]),
      Array.from({ length: 40 }, (_, i) => [ErrorCode.NONE, BigInt(i)]),
    );
    assert.equal(
      (await offsets).body.topics[0].partitions[0].offset,
      40n,
      'ListOffsets behind the produces sees all of them',
    );
  }
  raw.close();
});
