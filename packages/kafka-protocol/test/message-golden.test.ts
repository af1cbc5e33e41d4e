/**
 * Golden bytes written out by hand from the Kafka protocol guide, so the codec is checked against
 * the spec rather than against itself: what real clients send must decode, and what we send must
 * be byte-identical to what Kafka would send.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../src/codec/message-codec.ts';
import { ZERO_UUID } from '../src/primitives/uuid.ts';

/** Concatenates hex strings, ignoring spaces, and prepends the int32 frame size. */
function frame(...parts: string[]): Buffer {
  const body = Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');

// ApiVersions v3 request as the Java client sends it (header v2, flexible body).
const apiVersionsV3 = frame(
  '0012', // request_api_key 18
  '0003', // request_api_version 3
  '00000007', // correlation_id 7
  '000d',
  ascii('adminclient-1'), // client_id: int16 length + bytes (never compact)
  '00', // header tagged fields: none
  '12',
  ascii('apache-kafka-java'), // client_software_name: compact string, uvarint(17 + 1)
  '06',
  ascii('3.9.0'), // client_software_version: uvarint(5 + 1)
  '00', // body tagged fields: none
);

test('an ApiVersions v3 request from the Java client decodes to its header and software fields', () => {
  const decoded = decodeRequest(apiVersionsV3.subarray(4));
  assert.deepEqual(decoded.header, { apiKey: 18, apiVersion: 3, correlationId: 7, clientId: 'adminclient-1' });
  assert.deepEqual(decoded.body, { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '3.9.0' });
});

test('encoding that ApiVersions v3 request reproduces the Java client bytes', () => {
  const bytes = encodeRequest(
    18,
    3,
    { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '3.9.0' },
    { correlationId: 7, clientId: 'adminclient-1' },
  );
  assert.equal(bytes.toString('hex'), apiVersionsV3.toString('hex'));
});

test('an ApiVersions v3 response uses header v0 and writes the finalized-features epoch as tagged field 1', () => {
  const expected = frame(
    '00000007', // correlation_id; header v0 has no tagged fields even though the body is flexible
    '0000', // error_code
    '03', // api_keys: compact array of 2
    '0000 0000 000b 00', // Produce 0-11, entry tagged fields
    '0012 0000 0004 00', // ApiVersions 0-4
    '00000000', // throttle_time_ms
    '01', // one tagged field
    '01 08 0000000000000005', // tag 1, size 8, finalized_features_epoch = 5
  );
  const value = {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
    ],
    throttleTimeMs: 0,
    finalizedFeaturesEpoch: 5n,
  };
  assert.equal(encodeResponse(18, 3, value, 7).toString('hex'), expected.toString('hex'));
  const decoded = decodeResponse(18, 3, expected.subarray(4));
  assert.equal(decoded.correlationId, 7);
  assert.equal(decoded.body.finalizedFeaturesEpoch, 5n);
  assert.deepEqual(decoded.body.supportedFeatures, []);
  assert.equal(decoded.body.zkMigrationReady, false);
});

test('an ApiVersions v0 response is the error code and a classic int32-counted array', () => {
  const expected = frame('0000002a', '0023', '00000001', '0012 0000 0004');
  const value = { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] };
  assert.equal(encodeResponse(18, 0, value, 42).toString('hex'), expected.toString('hex'));
});

test('a Metadata v0 request for one topic uses header v1 with a null client id', () => {
  const expected = frame('0003 0000 00000001', 'ffff', '00000001', '0003', ascii('foo'));
  assert.equal(
    encodeRequest(3, 0, { topics: [{ name: 'foo' }] }, { correlationId: 1, clientId: null }).toString('hex'),
    expected.toString('hex'),
  );
  const decoded = decodeRequest(expected.subarray(4));
  assert.equal(decoded.header.clientId, null);
  assert.deepEqual(decoded.body.topics, [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'foo' }]);
  assert.equal(decoded.body.allowAutoTopicCreation, true, 'absent fields decode to their JSON default');
});

test('a Produce v3 request carries the null transactional id and records as int32-length bytes', () => {
  const records = Buffer.from('0102030405', 'hex');
  const expected = frame(
    '0000 0003 00000009 0001',
    ascii('p'), // header: Produce v3, correlation 9, client "p"
    'ffff', // transactional_id null
    'ffff', // acks -1
    '00007530', // timeout_ms 30000
    '00000001 0001',
    ascii('t'), // topic_data[1]: name "t"
    '00000001 00000000', // partition_data[1]: index 0
    '00000005 0102030405', // records
  );
  const value = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
  };
  assert.equal(
    encodeRequest(0, 3, value, { correlationId: 9, clientId: 'p' }).toString('hex'),
    expected.toString('hex'),
  );
  const decoded = decodeRequest(expected.subarray(4));
  // v3 has no topicId on the wire (v13+): the decoder fills in its default, the zero uuid
  assert.deepEqual(decoded.body, { ...value, topicData: [{ ...value.topicData[0], topicId: ZERO_UUID }] });
});
