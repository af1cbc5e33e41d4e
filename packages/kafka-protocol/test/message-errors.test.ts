/**
 * Malformed and unexpected input: truncation, unknown tags, versions the definitions lack, values
 * that cannot be encoded. Assertions are on KafkaCodecError codes, not on message text.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeBody,
  decodeRequest,
  decodeResponse,
  encodeBody,
  encodeRequest,
  encodeResponse,
  peekRequestHeader,
  type Value,
} from '../src/codec/message-codec.ts';
import { KafkaCodecError } from '../src/primitives/codec-error.ts';

const isCode = (code: string) => (err: unknown) => err instanceof KafkaCodecError && err.code === code;

const produce = encodeRequest(
  0,
  9,
  {
    transactionalId: 'tx-1',
    acks: -1,
    timeoutMs: 1500,
    topicData: [{ name: 'ships', partitionData: [{ index: 2, records: Buffer.from('batch-bytes') }] }],
  },
  { correlationId: 3, clientId: 'c' },
).subarray(4);

test('every truncation of a Produce v9 request raises SEAWAY_KPROTO_TRUNCATED', () => {
  decodeRequest(produce); // the whole frame is fine
  for (let len = 0; len < produce.length; len++) {
    assert.throws(() => decodeRequest(produce.subarray(0, len)), isCode('SEAWAY_KPROTO_TRUNCATED'), `length ${len}`);
  }
});

test('a truncated response names the field path where input ran out', () => {
  const full = encodeResponse(
    3,
    12,
    { brokers: [{ nodeId: 1, host: 'localhost', port: 9092 }], topics: [] },
    5,
  ).subarray(4);
  const err = (() => {
    try {
      decodeResponse(3, 12, full.subarray(0, 16));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof KafkaCodecError);
  assert.equal(err.code, 'SEAWAY_KPROTO_TRUNCATED');
  assert.deepEqual(err.path, ['brokers', '[0]', 'host']);
});

test('trailing bytes after the last field of a request are ignored, as Kafka ignores them', () => {
  const plain = decodeRequest(produce);
  assert.deepEqual(decodeRequest(Buffer.concat([produce, Buffer.from([0])])), plain);
  // librdkafka 2.1+ all-topics Metadata v12 body as it is sent: null topics, two false flags, no
  // tags, then `01 00 00` that no field covers
  const header = Buffer.from('0003000c00000007ffff00', 'hex');
  const metadata = decodeRequest(Buffer.concat([header, Buffer.from('00000000010000', 'hex')]));
  assert.equal(metadata.body.topics, null);
  assert.equal(metadata.body.allowAutoTopicCreation, false);
});

test('a request truncated inside a field still raises SEAWAY_KPROTO_TRUNCATED', () => {
  assert.throws(() => decodeRequest(produce.subarray(0, produce.length - 3)), isCode('SEAWAY_KPROTO_TRUNCATED'));
});

test('trailing bytes after the last field of a response raise SEAWAY_KPROTO_INVALID', () => {
  const frame = encodeResponse(18, 3, { apiKeys: [] }, 1).subarray(4);
  assert.throws(() => decodeResponse(18, 3, Buffer.concat([frame, Buffer.from([0])])), isCode('SEAWAY_KPROTO_INVALID'));
});

test('unknown tagged fields in the body and the header are skipped', () => {
  // ApiVersions v3 request body: two compact strings and a tagged-field section.
  const plain = encodeBody(18, 3, 'request', { clientSoftwareName: 'lib', clientSoftwareVersion: '1' });
  assert.equal(plain.at(-1), 0);
  const tagged = Buffer.concat([
    plain.subarray(0, -1),
    Buffer.from([2, 7, 3, 0xaa, 0xbb, 0xcc, 90, 1, 0x01]), // tag 7 (3 bytes), tag 90 (1 byte)
  ]);
  assert.deepEqual(decodeBody(18, 3, 'request', tagged), { clientSoftwareName: 'lib', clientSoftwareVersion: '1' });

  const header = Buffer.from('0012000300000001ffff' + '01' + '0502beef', 'hex'); // header v2 with tag 5
  const decoded = decodeRequest(Buffer.concat([header, plain]));
  assert.equal(decoded.header.correlationId, 1);
  assert.equal(decoded.body.clientSoftwareName, 'lib');
});

test('a known tagged field shorter than its declared type raises SEAWAY_KPROTO_TRUNCATED', () => {
  // ApiVersions v3 response tag 1 (FinalizedFeaturesEpoch, int64) declared with only 2 bytes.
  const body = Buffer.from('0000' + '01' + '00000000' + '01' + '01' + '02' + '0005', 'hex');
  assert.throws(() => decodeBody(18, 3, 'response', body), isCode('SEAWAY_KPROTO_TRUNCATED'));
});

test('unknown api keys and versions outside the definitions raise SEAWAY_KPROTO_UNSUPPORTED', () => {
  const unknownKey = Buffer.from('03e7000000000001ffff', 'hex'); // api key 999
  assert.throws(() => decodeRequest(unknownKey), isCode('SEAWAY_KPROTO_UNSUPPORTED'));
  const futureApiVersions = Buffer.from('0012006300000001ffff00', 'hex'); // ApiVersions v99
  assert.throws(() => decodeRequest(futureApiVersions), isCode('SEAWAY_KPROTO_UNSUPPORTED'));
  // The broker can still answer: the fixed header prefix is readable.
  assert.deepEqual(peekRequestHeader(futureApiVersions), { apiKey: 18, apiVersion: 99, correlationId: 1 });
  assert.throws(() => encodeResponse(0, 14, {}, 1), isCode('SEAWAY_KPROTO_UNSUPPORTED'));
});

test('null for a field that is not nullable in the version raises SEAWAY_KPROTO_ENCODE with its path', () => {
  const err = (() => {
    try {
      encodeRequest(0, 9, { acks: 1, timeoutMs: 1, topicData: [{ name: null, partitionData: [] }] } as Value, {
        correlationId: 1,
      });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof KafkaCodecError);
  assert.equal(err.code, 'SEAWAY_KPROTO_ENCODE');
  assert.deepEqual(err.path, ['topicData', '[0]', 'name']);
});

test('values of the wrong type or range raise SEAWAY_KPROTO_ENCODE', () => {
  assert.throws(
    () => encodeBody(12, 0, 'request', { groupId: 'g', generationId: 'x' }),
    isCode('SEAWAY_KPROTO_ENCODE'),
  );
  assert.throws(
    () => encodeBody(12, 0, 'request', { groupId: 'g', generationId: 2 ** 31 }),
    isCode('SEAWAY_KPROTO_ENCODE'),
  );
  assert.throws(() => encodeBody(3, 12, 'request', { topics: [{ topicId: 'nope' }] }), isCode('SEAWAY_KPROTO_ENCODE'));
  assert.throws(
    () => encodeBody(12, 0, 'request', { groupId: 'g', generationId: 1.5 }),
    isCode('SEAWAY_KPROTO_ENCODE'),
  );
  assert.throws(() => encodeBody(0, 9, 'request', { topicData: 'x' }), isCode('SEAWAY_KPROTO_ENCODE'));
  assert.throws(() => encodeBody(17, 1, 'request', { mechanism: 42 }), isCode('SEAWAY_KPROTO_ENCODE'));
  assert.throws(() => encodeBody(36, 0, 'request', { authBytes: 'secret' }), isCode('SEAWAY_KPROTO_ENCODE'));
});

test('a negative array length other than -1 raises SEAWAY_KPROTO_INVALID', () => {
  // Heartbeat is not the point here: DeleteGroups v0 request is just an int32-counted string array.
  assert.throws(() => decodeBody(42, 0, 'request', Buffer.from('fffffffe', 'hex')), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => decodeBody(42, 0, 'request', Buffer.from('ffffffff', 'hex')), isCode('SEAWAY_KPROTO_INVALID'));
});

test('an array count larger than the remaining input fails before allocating', () => {
  assert.throws(() => decodeBody(42, 0, 'request', Buffer.from('7fffffff', 'hex')), isCode('SEAWAY_KPROTO_TRUNCATED'));
});
