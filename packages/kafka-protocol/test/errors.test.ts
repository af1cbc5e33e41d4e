import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, errorByCode, errorByName, isRetriable, KAFKA_ERRORS } from '../src/errors.ts';

test('error table covers every code from -1 to 133 exactly once', () => {
  const codes = KAFKA_ERRORS.map((e) => e.code);
  assert.deepEqual(
    codes,
    Array.from({ length: 135 }, (_, i) => i - 1),
  );
  assert.equal(new Set(KAFKA_ERRORS.map((e) => e.name)).size, KAFKA_ERRORS.length);
});

test('well-known codes have the names and retriability Kafka gives them', () => {
  assert.equal(ErrorCode.NONE, 0);
  assert.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 3);
  assert.equal(ErrorCode.NOT_LEADER_OR_FOLLOWER, 6);
  assert.equal(ErrorCode.UNSUPPORTED_VERSION, 35);
  assert.equal(ErrorCode.TOPIC_ALREADY_EXISTS, 36);
  assert.equal(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 45);
  assert.equal(ErrorCode.UNKNOWN_MEMBER_ID, 25);
  assert.equal(ErrorCode.REBALANCE_IN_PROGRESS, 27);
  assert.equal(ErrorCode.UNKNOWN_TOPIC_ID, 100);
  assert.equal(isRetriable(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION), true);
  assert.equal(isRetriable(ErrorCode.NOT_LEADER_OR_FOLLOWER), true);
  assert.equal(isRetriable(ErrorCode.REQUEST_TIMED_OUT), true);
  assert.equal(isRetriable(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS), true);
  assert.equal(isRetriable(ErrorCode.UNKNOWN_SERVER_ERROR), false);
  assert.equal(isRetriable(ErrorCode.TOPIC_AUTHORIZATION_FAILED), false);
  assert.equal(isRetriable(ErrorCode.NONE), false);
});

test('lookups by code and by name return the same row', () => {
  const row = errorByCode(3);
  assert.equal(row.name, 'UNKNOWN_TOPIC_OR_PARTITION');
  assert.match(row.message, /topic-partition/);
  assert.equal(errorByName('UNKNOWN_TOPIC_OR_PARTITION'), row);
  for (const e of KAFKA_ERRORS) assert.equal(errorByName(e.name)?.code, e.code);
});

test('an unknown code yields a non-retriable placeholder row, an unknown name undefined', () => {
  const row = errorByCode(9999);
  assert.equal(row.code, 9999);
  assert.equal(row.name, 'UNKNOWN_ERROR_9999');
  assert.equal(row.retriable, false);
  assert.equal(errorByName('NO_SUCH_ERROR'), undefined);
});

test('every error except NONE carries a message', () => {
  for (const e of KAFKA_ERRORS) if (e.code !== 0) assert.ok(e.message.length > 0, e.name);
});
