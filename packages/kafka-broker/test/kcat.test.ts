// kcat (librdkafka 2.0.2) against the embedded broker and real Apache Kafka: metadata listing, produce
// with each compression codec, keys and headers, consume from the beginning, from an offset and from
// a timestamp.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { command } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real, run } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const kcat = command('kcat');
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`kcat against ${target.name}`, { skip: (!kcat && 'kcat not installed') || target.skip }, () => {
    const k = (args: string[], input?: string) =>
      run(kcat as string, ['-b', target.bootstrap(), ...args], { input, timeoutMs: 30_000 });

    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      test(`produce with ${codec}, keys and headers; consume them back from the beginning`, async () => {
        const topic = unique(`kcat-${codec}`);
        const lines = Array.from({ length: 50 }, (_, i) => `key${i}:value-${codec}-${i}`).join('\n');
        const p = await k(['-P', '-t', topic, '-z', codec, '-K:', '-H', 'source=kcat', '-H', 'n=1'], `${lines}\n`);
        assert.equal(p.status, 0, p.stderr);
        const c = await k(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%s|%h|%o\\n']);
        assert.equal(c.status, 0, c.stderr);
        const out = c.stdout.trim().split('\n');
        assert.equal(out.length, 50);
        assert.equal(out[7], `key7|value-${codec}-7|source=kcat,n=1|7`);
      });
    }

    test('metadata lists the topic with its partition and leader', async () => {
      const topic = unique('kcat-meta');
      await k(['-P', '-t', topic], 'x\n');
      const r = await k(['-L', '-t', topic, '-J']);
      assert.equal(r.status, 0, r.stderr);
      const meta = JSON.parse(r.stdout) as {
        topics: Array<{ topic: string; partitions: Array<{ partition: number; leader: number }> }>;
      };
      assert.equal(meta.topics[0]?.topic, topic);
      assert.equal(meta.topics[0]?.partitions[0]?.partition, 0);
    });

    test('consume from an offset and from a timestamp', async () => {
      const topic = unique('kcat-from');
      let middle = 0;
      for (let i = 0; i < 5; i++) {
        if (i === 3) {
          await new Promise((r) => setTimeout(r, 20));
          middle = Date.now();
          await new Promise((r) => setTimeout(r, 20));
        }
        const r = await k(['-P', '-t', topic], `r${i}\n`);
        assert.equal(r.status, 0, r.stderr);
      }
      const fromOffset = await k(['-C', '-t', topic, '-o', '3', '-e', '-q', '-f', '%s\\n']);
      assert.deepEqual(fromOffset.stdout.trim().split('\n'), ['r3', 'r4']);
      const future = await k(['-C', '-t', topic, '-o', `s@${Date.now() + 3_600_000}`, '-e', '-q', '-f', '%s\\n']);
      assert.equal(future.stdout.trim(), '');
      const fromTime = await k(['-C', '-t', topic, '-o', `s@${middle}`, '-e', '-q', '-f', '%s\\n']);
      assert.deepEqual(fromTime.stdout.trim().split('\n'), ['r3', 'r4']);
    });
  });
}
