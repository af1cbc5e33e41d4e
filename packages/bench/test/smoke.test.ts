// The smoke run end to end against real Kafka and Mosquitto: it must write its report and every run
// must read back every message exactly once. Speed is never asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import type { BenchResults } from '../src/runner.ts';

const kafka = realKafka();
const mosquitto = command('mosquitto');
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test('the smoke run writes its report and loses or duplicates nothing on any peer', {
  skip: (!kafka && 'no real Kafka') || (!mosquitto && 'no mosquitto'),
  timeout: 180_000,
}, () => {
  const out = mkdtempSync(join(tmpdir(), 'seaway-bench-smoke-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', main, '--smoke', '--brokers', String(kafka), '--out', out],
      {
        encoding: 'utf8',
        timeout: 170_000,
      },
    );
    assert.equal(r.status, 0, `exit ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    assert.ok(existsSync(join(out, 'report.md')), 'report.md written');
    assert.ok(existsSync(join(out, 'peers.svg')), 'peers chart written');
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    assert.deepEqual(res.errors, []);
    assert.deepEqual([...new Set(res.runs.map((x) => x.peer))].sort(), ['direct-kafka', 'mosquitto', 'seaway']);
    for (const run of res.runs) {
      assert.ok(run.verify, `${run.peer} was verified`);
      assert.equal(run.messages, res.options.messages, `${run.peer} acknowledged every message`);
      assert.equal(run.verify.missing, 0, `${run.peer} missing`);
      assert.equal(run.verify.duplicated, 0, `${run.peer} duplicated`);
      assert.equal(run.verify.records, res.options.messages, `${run.peer} records read back`);
    }
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Seed scenario and peers/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
