import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  ConfigInfos,
  ConnectorsExpanded,
  CreateTopicRequest,
  MessagesResponse,
  MqttPublishRequest,
  ProduceRequest,
} from '../src/index.ts';

test('a produce request defaults to UTF-8 and no headers', () => {
  assert.deepEqual(ProduceRequest.parse({ value: 'v' }), { value: 'v', encoding: 'utf8', headers: [] });
});

test('topic names outside Kafka’s alphabet are rejected', () => {
  assert.equal(CreateTopicRequest.safeParse({ name: 'a b' }).success, false);
  assert.equal(CreateTopicRequest.parse({ name: 'ok.name_1-x' }).partitions, 1);
});

test('publishing to a wildcard topic is rejected', () => {
  assert.equal(MqttPublishRequest.safeParse({ topic: '/ais/#', payload: '' }).success, false);
  assert.equal(MqttPublishRequest.safeParse({ topic: '/ais/+/x', payload: '' }).success, false);
  assert.equal(MqttPublishRequest.parse({ topic: '/ais/1', payload: 'p' }).qos, 1);
});

test('a scan answer names why it stopped', () => {
  const ok = { topic: 't', messages: [], elapsedMs: 3, partitions: [] };
  assert.equal(MessagesResponse.safeParse({ ...ok, stoppedBy: 'timeout' }).success, true);
  assert.equal(MessagesResponse.safeParse({ ...ok, stoppedBy: 'bored' }).success, false);
});

test('Connect shapes keep fields the console does not know', () => {
  const c = ConnectorsExpanded.parse({
    a: { status: { name: 'a', connector: { state: 'RUNNING' }, tasks: [], extra: 1 } },
  });
  assert.equal((c.a!.status as Record<string, unknown>).extra, 1);
  const v = ConfigInfos.parse({
    name: 'x',
    error_count: 1,
    groups: [],
    configs: [{ definition: { name: 'k' }, value: { name: 'k', errors: ['bad'] } }],
  });
  assert.deepEqual(v.configs[0]?.value.errors, ['bad']);
});

test('an API error may carry a stable code', () => {
  assert.equal(
    ApiError.parse({ error_code: 404, message: 'm', code: 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND' }).code,
    'SEAWAY_CONSOLE_TOPIC_NOT_FOUND',
  );
});
