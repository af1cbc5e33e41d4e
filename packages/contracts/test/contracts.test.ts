import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthResponse, ServerFrame } from '../src/index.ts';

const hop = { messages: 3, bytes: 30, messagesPerSec: 1, bytesPerSec: 10 };

test('a metrics frame with every hop parses', () => {
  const f = ServerFrame.parse({
    type: 'metrics',
    ts: 1,
    hops: { generator: hop, mqtt: hop, bridge: hop, kafka: hop },
    mqttClients: 2,
  });
  assert.equal(f.type === 'metrics' && f.hops.bridge.messages, 3);
});

test('a metrics frame missing a hop is rejected', () => {
  const r = ServerFrame.safeParse({
    type: 'metrics',
    ts: 1,
    hops: { generator: hop, mqtt: hop, bridge: hop },
    mqttClients: 0,
  });
  assert.equal(r.success, false);
});

test('health rejects an unknown service status', () => {
  const r = HealthResponse.safeParse({
    status: 'ok',
    version: '0',
    uptimeSeconds: 1,
    services: { kafka: { status: 'fine' } },
  });
  assert.equal(r.success, false);
});
