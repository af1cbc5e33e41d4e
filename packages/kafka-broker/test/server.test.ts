// Server behaviour over real sockets with a raw protocol client: framing limits, unknown keys,
// ApiVersions negotiation, response order, acks=0, and the API registry.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, encodeRecordBatch, encodeRequest } from '@seaway/kafka-protocol';
import { ALL_APIS, ApiRegistry, BrokerError, BrokerErrorCode, type KafkaBroker } from '../src/index.ts';
import { closesWithin, RawClient, startTestBroker, unique } from './support.ts';

let broker: KafkaBroker;
const logs: string[] = [];

before(async () => {
  broker = await startTestBroker({ maxFrameBytes: 64 * 1024, log: (_l, m) => logs.push(m) });
});
after(() => broker.close());

test('ApiVersions lists every registered API with its range, at each version 0-4', async () => {
  const c = await RawClient.open(broker.port);
  const expected = new ApiRegistry().versions();
  for (let v = 0; v <= 4; v++) {
    const r = await c.send(18, v, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    assert.equal(r.body.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      r.body.apiKeys.map((k: { apiKey: number; minVersion: number; maxVersion: number }) => [
        k.apiKey,
        k.minVersion,
        k.maxVersion,
      ]),
      expected.map((k) => [k.apiKey, k.minVersion, k.maxVersion]),
    );
  }
  const produce = expected.find((k) => k.apiKey === 0);
  assert.deepEqual(produce, { apiKey: 0, minVersion: 0, maxVersion: 13 });
  c.close();
});

test('an ApiVersions version above 4 gets a v0 UNSUPPORTED_VERSION answer with the full list', async () => {
  const c = await RawClient.open(broker.port);
  // header v2 (flexible) with version 9: the broker must not decode the body
  const frame = encodeRequest(
    18,
    4,
    { clientSoftwareName: 'x', clientSoftwareVersion: '1' },
    { correlationId: 77, clientId: 'c' },
  );
  frame.writeInt16BE(9, 6);
  const r = await c.sendFrame(frame, 18, 0, 77);
  assert.equal(r.body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
  assert.equal(r.body.apiKeys.length, ALL_APIS.length);
  c.close();
});

test('a frame larger than maxFrameBytes closes that connection only, with a log line', async () => {
  const bad = await RawClient.open(broker.port);
  const good = await RawClient.open(broker.port);
  const header = Buffer.alloc(4);
  header.writeInt32BE(64 * 1024 + 1);
  bad.socket.write(header);
  assert.equal(await closesWithin(bad, 2000), true);
  assert.ok(logs.some((l) => l.includes(BrokerErrorCode.FRAME_TOO_LARGE)));
  const r = await good.send(3, 12, { topics: [], allowAutoTopicCreation: false });
  assert.equal(r.body.brokers[0].port, broker.port);
  good.close();
});

test('a negative frame size and a frame too short for a header close the connection', async () => {
  for (const bytes of [Buffer.from([0xff, 0xff, 0xff, 0xf0]), Buffer.from([0, 0, 0, 3, 1, 2, 3])]) {
    const c = await RawClient.open(broker.port);
    c.socket.write(bytes);
    assert.equal(await closesWithin(c, 2000), true);
  }
});

test('an unknown API key closes the connection with a log line', async () => {
  const c = await RawClient.open(broker.port);
  const frame = Buffer.alloc(4 + 10);
  frame.writeInt32BE(10, 0);
  frame.writeInt16BE(999, 4); // no such API
  frame.writeInt16BE(0, 6);
  frame.writeInt32BE(1, 8);
  frame.writeInt16BE(-1, 12);
  c.socket.write(frame);
  assert.equal(await closesWithin(c, 2000), true);
  assert.ok(logs.some((l) => l.includes(BrokerErrorCode.UNKNOWN_API)));
});

test('a version outside the advertised range and an undecodable body close the connection', async () => {
  const c1 = await RawClient.open(broker.port);
  const f1 = encodeRequest(1, 12, { topics: [] }, { correlationId: 1, clientId: 'c' });
  f1.writeInt16BE(3, 6); // Fetch v3 is not served
  c1.socket.write(f1);
  assert.equal(await closesWithin(c1, 2000), true);
  const c2 = await RawClient.open(broker.port);
  // CreateTopics v2 header, then a body announcing 5 topics and holding none
  const f2 = Buffer.from([0, 0, 0, 14, 0, 19, 0, 2, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 5]);
  c2.socket.write(f2);
  assert.equal(await closesWithin(c2, 2000), true);
  assert.ok(logs.some((l) => l.includes(BrokerErrorCode.BAD_REQUEST)));
});

test('responses come back in request order even when the first request long-polls', async () => {
  const c = await RawClient.open(broker.port);
  const topic = unique('order');
  await c.send(19, 7, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
  const fetch = c.send(1, 12, {
    maxWaitMs: 300,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const meta = c.send(3, 12, { topics: null });
  const [f, m] = await Promise.all([fetch, meta]);
  assert.ok(f.correlationId < m.correlationId);
  assert.deepEqual(c.arrivals.slice(-2), [f.correlationId, m.correlationId]);
  c.close();
});

test('Produce with acks=0 gets no response and the record is stored', async () => {
  const c = await RawClient.open(broker.port);
  const topic = unique('acks0');
  c.sendNoReply(0, 9, {
    acks: 0,
    timeoutMs: 1000,
    topicData: [
      { name: topic, partitionData: [{ index: 0, records: encodeRecordBatch([{ value: 'fire-and-forget' }]) }] },
    ],
  });
  const r = await c.send(2, 7, {
    replicaId: -1,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
  });
  assert.equal(r.body.topics[0].partitions[0].offset, 1n);
  // the ListOffsets answer was the only frame on this connection besides nothing for Produce
  assert.deepEqual(c.arrivals, [r.correlationId]);
  c.close();
});

test('the API registry throws on a duplicate api key', () => {
  const dup = { apiKey: 3, minVersion: 0, maxVersion: 1, handle: () => ({}) };
  assert.throws(
    () => new ApiRegistry([...ALL_APIS, dup]),
    (e: unknown) => e instanceof BrokerError && e.code === BrokerErrorCode.DUPLICATE_API,
  );
});

test('every API module version range is within what the codec defines', async () => {
  const { apiDefinition } = await import('@seaway/kafka-protocol');
  for (const m of ALL_APIS) {
    const def = apiDefinition(m.apiKey);
    assert.ok(def, `codec knows api ${m.apiKey}`);
    assert.ok(def.request.validVersions[0] <= m.minVersion && m.maxVersion <= def.request.validVersions[1]);
  }
});

test('a failed Produce with acks=0 closes the connection so the producer notices', async () => {
  const c = await RawClient.open(broker.port);
  const topic = unique('acks0-fail');
  c.sendNoReply(0, 9, {
    acks: 0,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 5, records: encodeRecordBatch([{ value: 'nowhere' }]) }] }],
  });
  assert.equal(await closesWithin(c, 2000), true);
  assert.ok(logs.some((l) => l.includes(BrokerErrorCode.ACKS0_FAILED)));
});
