/**
 * Hand-written values shaped like real traffic for the APIs the broker leans on most: Produce,
 * Fetch, Metadata, ApiVersions and JoinGroup, across old and flexible versions.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type Value,
} from '../src/codec/message-codec.ts';
import type { ProduceRequest } from '../src/messages/types.generated.ts';
import { randomUuid } from '../src/primitives/uuid.ts';

const batch = Buffer.from('0000000000000000000000450000000002', 'hex'); // stand-in record batch bytes

function requestRoundTrip(apiKey: number, version: number, value: Value): Value {
  const frame = encodeRequest(apiKey, version, value, { correlationId: 11, clientId: 'rdkafka' });
  const decoded = decodeRequest(frame.subarray(4));
  assert.equal(decoded.header.correlationId, 11);
  const again = encodeRequest(apiKey, version, decoded.body, { correlationId: 11, clientId: 'rdkafka' });
  assert.deepEqual(again, frame, 're-encoding the decoded request gives the same bytes');
  return decoded.body;
}

function responseRoundTrip(apiKey: number, version: number, value: Value): Value {
  const frame = encodeResponse(apiKey, version, value, 12);
  const decoded = decodeResponse(apiKey, version, frame.subarray(4));
  assert.equal(decoded.correlationId, 12);
  assert.deepEqual(encodeResponse(apiKey, version, decoded.body, 12), frame);
  return decoded.body;
}

test('Produce requests carry record bytes untouched at v3, v7 and flexible v9 and v11', () => {
  for (const version of [3, 7, 9, 11]) {
    const body = requestRoundTrip(0, version, {
      transactionalId: version >= 9 ? 'ais-tx' : null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [
        {
          name: 'ais.positions',
          partitionData: [
            { index: 0, records: batch },
            { index: 3, records: null },
          ],
        },
        { name: 'ais.static', partitionData: [{ index: 1, records: batch }] },
      ],
    });
    const topics = body.topicData as Array<{
      name: string;
      partitionData: Array<{ index: number; records: Buffer | null }>;
    }>;
    assert.equal(topics[0]?.name, 'ais.positions');
    assert.deepEqual(topics[0]?.partitionData[0]?.records, batch);
    assert.equal(topics[0]?.partitionData[1]?.records, null);
    assert.equal(body.transactionalId, version >= 9 ? 'ais-tx' : null);
  }
});

test('Produce responses keep record errors from v8 and the current leader tag from v10', () => {
  const body = responseRoundTrip(0, 10, {
    responses: [
      {
        name: 'ais.positions',
        partitionResponses: [
          {
            index: 0,
            errorCode: 6, // NOT_LEADER_OR_FOLLOWER
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
            recordErrors: [{ batchIndex: 2, batchIndexErrorMessage: 'bad key' }],
            errorMessage: 'leader moved',
            currentLeader: { leaderId: 1, leaderEpoch: 4 },
          },
        ],
      },
    ],
    throttleTimeMs: 0,
    nodeEndpoints: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
  });
  const p = (body.responses as Value[])[0]?.partitionResponses as Value[];
  assert.deepEqual(p[0]?.currentLeader, { leaderId: 1, leaderEpoch: 4 });
  assert.deepEqual(body.nodeEndpoints, [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }]);
  // v7 has neither record errors nor tags: the same value encodes without them.
  const v7 = decodeResponse(0, 7, encodeResponse(0, 7, body, 1).subarray(4)).body;
  const p7 = v7.responses[0]?.partitionResponses[0];
  assert.deepEqual(p7?.recordErrors, []);
  assert.equal(p7?.errorMessage, null);
});

test('Fetch v4 and v12 requests with sessions, forgotten topics and rack id', () => {
  const v4 = requestRoundTrip(1, 4, {
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52428800,
    isolationLevel: 1,
    topics: [{ topic: 'ais.positions', partitions: [{ partition: 0, fetchOffset: 120n, partitionMaxBytes: 1048576 }] }],
  });
  assert.equal(v4.sessionId, 0, 'fields added after v4 decode to defaults');
  const v12 = requestRoundTrip(1, 12, {
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52428800,
    isolationLevel: 0,
    sessionId: 17,
    sessionEpoch: 3,
    topics: [
      {
        topic: 'ais.positions',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: 0,
            fetchOffset: 120n,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 1048576,
          },
        ],
      },
    ],
    forgottenTopicsData: [{ topic: 'old', partitions: [0, 1] }],
    rackId: 'rack-a',
    clusterId: null,
  });
  assert.deepEqual((v12.forgottenTopicsData as Value[])[0], {
    topic: 'old',
    topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
    partitions: [0, 1],
  });
});

test('Fetch v12 responses carry records, aborted transactions and tagged diverging epochs', () => {
  const body = responseRoundTrip(1, 12, {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 17,
    responses: [
      {
        topic: 'ais.positions',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 200n,
            lastStableOffset: 200n,
            logStartOffset: 0n,
            divergingEpoch: { epoch: 2, endOffset: 150n },
            abortedTransactions: [{ producerId: 4000n, firstOffset: 130n }],
            preferredReadReplica: -1,
            records: batch,
          },
          { partitionIndex: 1, errorCode: 1, highWatermark: -1n, abortedTransactions: null, records: null },
        ],
      },
    ],
  });
  const parts = (body.responses as Value[])[0]?.partitions as Value[];
  assert.deepEqual(parts[0]?.divergingEpoch, { epoch: 2, endOffset: 150n });
  assert.deepEqual(parts[0]?.records, batch);
  assert.deepEqual(parts[1]?.divergingEpoch, { epoch: -1, endOffset: -1n }, 'untagged struct decodes to defaults');
  assert.equal(parts[1]?.abortedTransactions, null);
});

test('Metadata v1, v9 and v12 describe brokers and topics with ids and authorized operations', () => {
  const topicId = randomUuid();
  for (const version of [1, 9, 12]) {
    const request = requestRoundTrip(3, version, {
      topics: version >= 10 ? [{ topicId, name: null }] : [{ name: 'ais.positions' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: version >= 8,
    });
    if (version >= 10) assert.equal((request.topics as Value[])[0]?.topicId, topicId);
    const response = responseRoundTrip(3, version, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      clusterId: 'seaway-lab',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'ais.positions',
          topicId,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 0,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
    });
    const topic = (response.topics as Value[])[0];
    assert.equal(topic?.name, 'ais.positions');
    assert.equal(topic?.topicId, version >= 10 ? topicId : 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(response.clusterId, version >= 2 ? 'seaway-lab' : null);
  }
});

test('ApiVersions v4 responses list api ranges and supported features', () => {
  const body = responseRoundTrip(18, 4, {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 1, minVersion: 4, maxVersion: 12 },
    ],
    throttleTimeMs: 0,
    supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 20 }],
    finalizedFeaturesEpoch: 3n,
    finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 20, minVersionLevel: 20 }],
    zkMigrationReady: false,
  });
  assert.deepEqual(body.supportedFeatures, [{ name: 'metadata.version', minVersion: 1, maxVersion: 20 }]);
  assert.equal(body.finalizedFeaturesEpoch, 3n);
});

test('JoinGroup v0, v5 and v9 carry protocol metadata bytes and static membership', () => {
  const subscription = Buffer.from('000100000001000d6169732e706f736974696f6e73ffffffff', 'hex');
  for (const version of [0, 5, 9]) {
    const request = requestRoundTrip(11, version, {
      groupId: 'bridge-sink',
      sessionTimeoutMs: 45000,
      rebalanceTimeoutMs: 300000,
      memberId: '',
      groupInstanceId: version >= 5 ? 'pod-1' : null,
      protocolType: 'consumer',
      protocols: [
        { name: 'range', metadata: subscription },
        { name: 'cooperative-sticky', metadata: subscription },
      ],
      reason: version >= 8 ? 'rebalance after restart' : null,
    });
    assert.deepEqual((request.protocols as Value[])[1]?.metadata, subscription);
    assert.equal(request.groupInstanceId, version >= 5 ? 'pod-1' : null);
    const response = responseRoundTrip(11, version, {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: 'rdkafka-1',
      skipAssignment: false,
      memberId: 'rdkafka-1',
      members: [{ memberId: 'rdkafka-1', groupInstanceId: version >= 5 ? 'pod-1' : null, metadata: subscription }],
    });
    assert.equal(response.protocolName, 'range');
    assert.deepEqual((response.members as Value[])[0]?.metadata, subscription);
  }
});

test('a 3 MiB Produce request encodes and decodes, and small messages still encode afterwards', () => {
  const big = Buffer.alloc(3 * 1024 * 1024, 0x5a);
  const frame = encodeRequest(
    0,
    9,
    { acks: -1, timeoutMs: 1000, topicData: [{ name: 't', partitionData: [{ index: 0, records: big }] }] },
    { correlationId: 1 },
  );
  const decoded = decodeRequest(frame.subarray(4)).body as unknown as ProduceRequest;
  assert.ok(decoded.topicData[0]?.partitionData[0]?.records?.equals(big));
  const small = encodeResponse(18, 0, { errorCode: 0, apiKeys: [] }, 2);
  assert.equal(small.toString('hex'), '0000000a' + '00000002' + '0000' + '00000000');
});
