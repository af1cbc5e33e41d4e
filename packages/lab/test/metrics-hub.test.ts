import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsFrame } from '@seaway/contracts';
import { MetricsHub } from '../src/metrics-hub.ts';

test('frames carry totals and per-second rates from the difference between ticks', async () => {
  const hub = new MetricsHub();
  let n = 0;
  hub.setSource('mqtt', () => ({ messages: n, bytes: n * 10 }));
  const frames: MetricsFrame[] = [];
  hub.subscribe((f) => frames.push(f));
  hub.start(50);
  const waitFor = async (messages: number) => {
    const deadline = Date.now() + 5000;
    while (!frames.some((f) => f.hops.mqtt.messages === messages) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  n = 5;
  await waitFor(5);
  n = 25;
  await waitFor(25);
  hub.stop();
  const last = MetricsFrame.parse(frames.find((f) => f.hops.mqtt.messages === 25));
  assert.equal(last.hops.mqtt.messages, 25);
  assert.equal(last.hops.mqtt.bytes, 250);
  assert.ok(last.hops.mqtt.messagesPerSec > 0, 'a rising counter gives a positive rate');
  assert.equal(last.hops.kafka.messages, 0, 'a hop without a source reports zero');
});

test('the hub keeps the last historySize frames, oldest first, for charts that start full', async () => {
  const hub = new MetricsHub(3);
  let n = 0;
  hub.setSource('bridge', () => ({ messages: n, bytes: 0 }));
  const seen: MetricsFrame[] = [];
  hub.subscribe((f) => seen.push(f));
  hub.start(20);
  const deadline = Date.now() + 5000;
  while (seen.length < 5 && Date.now() < deadline) {
    n++;
    await new Promise((r) => setTimeout(r, 15));
  }
  hub.stop();
  const h = hub.history();
  assert.equal(h.length, 3, 'capped at historySize');
  assert.deepEqual(
    h.map((f) => f.ts),
    seen.slice(-3).map((f) => f.ts),
    'the newest three emitted frames, in order',
  );
  assert.deepEqual(new MetricsHub(5).history(), [], 'nothing before the first tick');
});

test('a hop with several sources reports their sum (the sample stream plus console generator runs)', () => {
  const hub = new MetricsHub();
  hub.addSource('generator', () => ({ messages: 7, bytes: 70 }));
  hub.addSource('generator', () => ({ messages: 5, bytes: 50 }));
  const f = hub.current();
  assert.equal(f.hops.generator.messages, 12);
  assert.equal(f.hops.generator.bytes, 120);
  hub.setSource('generator', () => ({ messages: 1, bytes: 1 }));
  assert.equal(hub.current().hops.generator.messages, 1, 'setSource replaces every source');
});
