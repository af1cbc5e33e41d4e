// /usr/bin/python3 confluent_kafka (librdkafka 2.0.2) transactions against the embedded broker and
// real Apache Kafka: init/begin/commit with send_offsets_to_transaction, abort, and a read_committed
// consumer that sees only committed records (fixtures/confluent_txn.py). Both brokers must give the
// same answers.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pythonModule } from '../../../scripts/testing/needs.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real, run } from './cli-support.ts';
import { startTestBroker, unique } from './support.ts';

const python = pythonModule('confluent_kafka');
const script = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'confluent_txn.py');
let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`confluent_kafka transactions against ${target.name}`, {
    skip: (!python && 'confluent_kafka missing') || target.skip,
  }, () => {
    test('commit with offsets, abort; read_committed sees only committed records', { timeout: 120_000 }, async () => {
      const r = await run(
        python as string,
        [script, target.bootstrap(), unique('pytxn'), unique('pytxn-g'), unique('pytid')],
        { timeoutMs: 110_000 },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() as string), {
        committed: 3,
        read_committed: ['c0', 'c1', 'c2', 'c3'],
        read_uncommitted: ['c0', 'c1', 'c2', 'a0', 'a1', 'c3'],
      });
    });
  });
}
