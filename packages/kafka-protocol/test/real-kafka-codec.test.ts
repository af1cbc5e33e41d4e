/**
 * The codec against real Apache Kafka: requests we encode must parse on a real broker (it closes
 * the connection otherwise) and its responses must decode with nothing left over. Every served
 * API except SASL (the test listener is PLAINTEXT) is exercised at the lowest and highest version
 * that both Kafka and our advertised range support.
 */

import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { apiDefinitions, decodeResponse, encodeRequest, type Value } from '../src/codec/message-codec.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../src/records/index.ts';

const kafka = realKafka();
const skip = !kafka && 'no real Kafka';

/** One connection, one request at a time; responses are matched by correlation id. */
class Connection {
  private buffered = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | null = null;
  private correlationId = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      if (this.buffered.length < 4) return;
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.waiting?.(frame);
    });
  }

  static open(bootstrap: string): Promise<Connection> {
    const [host, port] = bootstrap.split(',')[0]?.split(':') ?? [];
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(apiKey: number, version: number, body: Value): Promise<{ correlationId: number; body: Value }> {
    const correlationId = ++this.correlationId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to api ${apiKey} v${version} within 15 s`)), 15000);
      const onClose = () => reject(new Error(`Kafka closed the connection on api ${apiKey} v${version}`));
      this.socket.once('close', onClose);
      this.waiting = (frame) => {
        clearTimeout(timer);
        this.socket.off('close', onClose);
        this.waiting = null;
        try {
          const decoded = decodeResponse(apiKey, version, frame);
          assert.equal(decoded.correlationId, correlationId);
          resolve(decoded);
        } catch (err) {
          reject(err);
        }
      };
      this.socket.write(encodeRequest(apiKey, version, body, { correlationId, clientId: 'seaway-codec-test' }));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Element `i` of an array-valued field, asserting it is there. */
function item(list: unknown, i = 0): Value {
  assert.ok(Array.isArray(list) && list.length > i, `expected at least ${i + 1} element(s)`);
  return list[i] as Value;
}

/** Polls ListOffsets until every partition of a new topic has a leader (creation is asynchronous). */
async function waitForLeaders(name: string, partitions: number): Promise<void> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const res = await conn.send(2, 7, {
      replicaId: -1,
      topics: [
        { name, partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1n })) },
      ],
    });
    const codes = (item(res.body.topics).partitions as Value[]).map((p) => p.errorCode);
    if (codes.every((c) => c === 0)) return;
    if (Date.now() > deadline) throw new Error(`partitions of ${name} have no leader after 15 s: ${codes.join(',')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let conn: Connection;
let serverRanges = new Map<number, [number, number]>();

before(async () => {
  if (!kafka) return;
  conn = await Connection.open(kafka);
  const res = await conn.send(18, 3, { clientSoftwareName: 'seaway-codec-test', clientSoftwareVersion: '0.1.0' });
  assert.equal(res.body.errorCode, 0);
  const keys = res.body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
  serverRanges = new Map(keys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
});

after(() => conn?.close());

test('Kafka answers ApiVersions v0 and v4 and lists every API the codec serves', { skip }, async () => {
  const v0 = await conn.send(18, 0, {});
  assert.equal(v0.body.errorCode, 0);
  const v4 = await conn.send(18, 4, { clientSoftwareName: 'seaway', clientSoftwareVersion: '1' });
  assert.ok((v4.body.apiKeys as unknown[]).length > 20);
  for (const api of apiDefinitions()) assert.ok(serverRanges.has(api.apiKey), `${api.name} known to Kafka`);
});

/** Requests whose defaults Kafka would mishandle for this test (acks=0 gets no response). */
const OVERRIDES: Record<string, Value> = {
  Produce: { acks: 1, timeoutMs: 1000, topicData: [] },
  // Filter enums of 0 (UNKNOWN) do not parse on Kafka; 1 is ANY.
  DescribeAcls: { resourceTypeFilter: 1, patternTypeFilter: 1, operation: 1, permissionType: 1 },
  // v4+ batches transactions (the broker-to-broker form); Kafka never answers an empty batch.
  AddPartitionsToTxn: {
    v3AndBelowTransactionalId: 'seaway-codec-test',
    v3AndBelowProducerId: -1n,
    v3AndBelowProducerEpoch: -1,
    v3AndBelowTopics: [],
    transactions: [
      { transactionalId: 'seaway-codec-test', producerId: -1n, producerEpoch: -1, verifyOnly: true, topics: [] },
    ],
  },
};
const SKIPPED = new Set(['SaslHandshake', 'SaslAuthenticate']);
/** Kafka 4 still advertises Produce v0-2 (a librdkafka workaround) but closes the connection on them. */
const KAFKA_FLOOR: Record<string, number> = { Produce: 3 };

test('every served API at the lowest and highest shared version round-trips through Kafka', { skip }, async () => {
  const exercised: string[] = [];
  const failures: string[] = [];
  for (const api of apiDefinitions()) {
    if (SKIPPED.has(api.name)) continue;
    const server = serverRanges.get(api.apiKey);
    if (!server) continue;
    const low = Math.max(server[0], api.advertised[0], KAFKA_FLOOR[api.name] ?? 0);
    const high = Math.min(server[1], api.advertised[1]);
    for (const version of new Set([low, high])) {
      if (version > high) continue;
      // A fresh connection per API keeps one rejected request from hiding the others.
      const c = await Connection.open(kafka as string);
      try {
        await c.send(api.apiKey, version, OVERRIDES[api.name] ?? {});
        exercised.push(`${api.name} v${version}`);
      } catch (err) {
        failures.push(`${api.name} v${version}: ${(err as Error).message}`);
      } finally {
        c.close();
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(exercised.length >= 40, `exercised ${exercised.join(', ')}`);
});

test('a topic created through the codec shows up in Metadata v12 with a topic id and is deleted again', {
  skip,
}, async () => {
  const name = `seaway-codec-${process.pid}-${Date.now()}`;
  const created = await conn.send(19, 7, {
    topics: [
      {
        name,
        numPartitions: 3,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: 'retention.ms', value: '60000' }],
      },
    ],
    timeoutMs: 10000,
  });
  const createdTopic = item(created.body.topics);
  assert.equal(createdTopic.errorCode, 0, String(createdTopic.errorMessage));
  assert.equal(createdTopic.numPartitions, 3);
  await waitForLeaders(name, 3);

  const meta = await conn.send(3, 12, { topics: [{ name }], allowAutoTopicCreation: false });
  const topic = item(meta.body.topics);
  assert.equal(topic.name, name);
  assert.equal(topic.topicId, createdTopic.topicId);
  assert.notEqual(topic.topicId, 'AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal((topic.partitions as Value[]).length, 3);

  const configs = await conn.send(32, 4, {
    resources: [{ resourceType: 2, resourceName: name, configurationKeys: ['retention.ms'] }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const entry = item(item(configs.body.results).configs);
  assert.deepEqual([entry.name, entry.value], ['retention.ms', '60000']);

  const offsets = await conn.send(2, 7, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
  });
  const p0 = item(item(offsets.body.topics).partitions);
  assert.deepEqual([p0.errorCode, p0.offset], [0, 0n]);

  const fetched = await conn.send(1, 12, {
    replicaId: -1,
    maxWaitMs: 10,
    minBytes: 0,
    maxBytes: 1048576,
    topics: [{ topic: name, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1048576 }] }],
  });
  const fp = item(item(fetched.body.responses).partitions);
  assert.equal(fp.errorCode, 0);
  assert.equal(fp.highWatermark, 0n);

  const deleted = await conn.send(20, 6, { topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }], timeoutMs: 10000 });
  assert.equal((deleted.body.responses as Value[])[0]?.errorCode, 0);
});

test('records produced at Produce v3 and v9 come back from Fetch v4 and v12 with keys and values intact', {
  skip,
}, async () => {
  const name = `seaway-codec-pf-${process.pid}-${Date.now()}`;
  const created = await conn.send(19, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1 }],
    timeoutMs: 10000,
  });
  assert.equal(item(created.body.topics).errorCode, 0);
  try {
    await waitForLeaders(name, 1);
    for (const [version, key] of [
      [3, 'mmsi-1'],
      [9, 'mmsi-2'],
    ] as const) {
      const records = encodeRecordBatch([{ key, value: `position from v${version}` }]);
      const produced = await conn.send(0, version, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 10000,
        topicData: [{ name, partitionData: [{ index: 0, records }] }],
      });
      const partition = item(item(produced.body.responses).partitionResponses);
      assert.equal(partition.errorCode, 0, `produce v${version}`);
      assert.equal(partition.baseOffset, version === 3 ? 0n : 1n);
    }
    for (const version of [4, 12]) {
      const fetched = await conn.send(1, version, {
        replicaId: -1,
        maxWaitMs: 100,
        minBytes: 1,
        maxBytes: 1048576,
        topics: [{ topic: name, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1048576 }] }],
      });
      const partition = item(item(fetched.body.responses).partitions);
      assert.equal(partition.errorCode, 0);
      assert.equal(partition.highWatermark, 2n);
      const bytes = partition.records as Buffer;
      const first = decodeRecordBatch(bytes, 0);
      const second = decodeRecordBatch(bytes, first.header.batchLength + 12);
      assert.deepEqual(
        [...first.records, ...second.records].map((r) => [r.offset, r.key?.toString(), r.value?.toString()]),
        [
          [0, 'mmsi-1', 'position from v3'],
          [1, 'mmsi-2', 'position from v9'],
        ],
        `fetch v${version}`,
      );
    }
  } finally {
    await conn.send(20, 6, { topics: [{ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }], timeoutMs: 10000 });
  }
});
