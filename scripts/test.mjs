// The README's test command: install, build the console, start real Apache Kafka when Java can
// run it, run every package's tests (node:test for node packages, vitest for the console), stop
// Kafka, and close with one line "N passed, N failed, N skipped".
// SEAWAY_REQUIRE_ALL=1 (set by .ci/run) turns every "skipped: tool missing" into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { javaAvailable, startKafka, stopKafka } from './kafka/kafka.mjs';
import { install, pnpm, root } from './pnpm.mjs';

const requireAll = process.env.SEAWAY_REQUIRE_ALL === '1';

function isFree(port) {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

/** A client port p with p+100 (the controller port scripts/kafka uses) free too. */
async function freePortPair() {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await isFree(p)) && (await isFree(p + 100))) return p;
  }
  throw new Error('no free port pair for Apache Kafka in 20000-40100');
}
const only = process.argv.slice(2); // optional package names to limit the run

install();
pnpm(['--filter', '@seaway/console', 'build']);

const env = { ...process.env };
const kafkaDir = join(root, '.seaway', 'test-kafka');
let kafka = null;
if (process.env.SEAWAY_TEST_KAFKA) {
  console.log(`using the real Apache Kafka at SEAWAY_TEST_KAFKA=${process.env.SEAWAY_TEST_KAFKA}`);
} else if (javaAvailable()) {
  try {
    kafka = await startKafka({ port: await freePortPair(), dir: kafkaDir });
    env.SEAWAY_TEST_KAFKA = kafka.bootstrap;
    console.log(`real Apache Kafka ready at ${kafka.bootstrap}`);
  } catch (e) {
    if (requireAll) throw e;
    console.error(`!!! could not start real Apache Kafka, its test legs will be skipped: ${e.message}`);
  }
} else if (requireAll) {
  throw new Error('java is not installed but SEAWAY_REQUIRE_ALL=1: install a JDK 17+ (see .ci/run)');
} else {
  console.error('!!! java is not installed: test legs that need real Apache Kafka will be skipped');
}

const packagesDir = join(root, 'packages');
const nodeFiles = [];
for (const pkg of readdirSync(packagesDir)) {
  if (pkg === 'console' || (only.length && !only.includes(pkg))) continue;
  const dir = join(packagesDir, pkg, 'test');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir, { recursive: true })) {
    if (String(f).endsWith('.test.ts')) nodeFiles.push(join('packages', pkg, 'test', String(f)));
  }
}

const out = mkdtempSync(join(tmpdir(), 'seaway-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
try {
  // The type check is one more leg: strict TypeScript in every package (node and browser configs).
  if (!only.length) {
    try {
      pnpm(['-r', '--parallel', 'typecheck']);
      totals.passed += 1;
    } catch (e) {
      console.error(`typecheck failed: ${e.message}`);
      totals.failed += 1;
    }
  }
  if (nodeFiles.length) {
    const tap = join(out, 'node.tap');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-timeout=180000',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...nodeFiles.sort(),
      ],
      { cwd: root, env, stdio: 'inherit' },
    );
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    totals.passed += count('pass');
    totals.failed += count('fail') + count('cancelled');
    totals.skipped += count('skipped') + count('todo');
    if (r.status !== 0 && count('fail') + count('cancelled') === 0) totals.failed += 1;
  }
  if (!only.length || only.includes('console')) {
    const json = join(out, 'vitest.json');
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'packages/console/node_modules/vitest/vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile=${json}`,
      ],
      { cwd: join(root, 'packages/console'), env, stdio: 'inherit' },
    );
    const res = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : null;
    totals.passed += res?.numPassedTests ?? 0;
    totals.failed += res?.numFailedTests ?? 0;
    totals.skipped += (res?.numPendingTests ?? 0) + (res?.numTodoTests ?? 0);
    if (r.status !== 0 && !res?.numFailedTests) totals.failed += 1;
  }
} finally {
  if (kafka) await stopKafka({ dir: kafkaDir });
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
