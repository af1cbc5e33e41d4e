// confluent_kafka against the embedded broker and real Apache Kafka, twice: Debian's /usr/bin/python3
// confluent_kafka (librdkafka 2.0.2) and the current confluent-kafka from PyPI in a venv (librdkafka
// 2.1+ sends Metadata v12 with bytes after the last field, which Kafka ignores): AdminClient create/list/describe configs/delete, idempotent producers with each codec, a
// consumer group that commits and resumes, offsets_for_times. The scenario lives in
// fixtures/confluent_client.py and prints what it saw; both brokers must give the same answers.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { currentConfluentPython, pythonModule } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real, run } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const pythons = [
  { name: 'confluent_kafka (Debian, librdkafka 2.0.2)', python: pythonModule('confluent_kafka') },
  { name: 'confluent-kafka (current, PyPI)', python: currentConfluentPython() },
];
const script = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'confluent_client.py');
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const { name, python } of pythons) {
  for (const target of targets) {
    describe(`${name} against ${target.name}`, {
      skip: (!python && `${name} missing`) || target.skip,
    }, () => {
      test('admin, idempotent producers with every codec, group commit and resume, offsets by time, regex subscription', {
        timeout: 120_000,
      }, async () => {
        const r = await run(python as string, [script, target.bootstrap(), unique('py'), unique('py-group')], {
          timeoutMs: 110_000,
        });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
        assert.deepEqual(out, {
          listed: true,
          retention: '604800000',
          delivery_errors: [],
          first_count: 160,
          zstd7: [['v-zstd-7', 'zstd']],
          committed: 160,
          resumed: ['late-0', 'late-1', 'late-2', 'late-3', 'late-4'],
          times: [0, -1],
          regex_count: 165,
        });
      });
    });
  }
}
