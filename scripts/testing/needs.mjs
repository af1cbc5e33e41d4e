// Test legs that need something beyond Node (real Apache Kafka, kcat, mosquitto, chromium, python
// confluent-kafka, the current confluent-kafka from PyPI in a venv, Go programs built with modules
// from the Go module proxy, data from the ../shared folder
// beside the repo) call these helpers. On a machine without the tool the leg is skipped with a loud
// notice; with SEAWAY_REQUIRE_ALL=1 (set by .ci/run) a missing tool fails the leg instead, so CI
// always runs every leg.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const requireAll = process.env.SEAWAY_REQUIRE_ALL === '1';

function notice(what, why) {
  const line = `SKIPPED: ${what}: ${why}`;
  process.stderr.write(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n\n`);
}

/**
 * Returns the value when it is available, or `false` after a loud notice, so a test can write
 * `test('…', { skip: !kafka }, …)`. Throws when SEAWAY_REQUIRE_ALL=1 and it is missing.
 */
function gate(what, value, why) {
  if (value) return value;
  if (requireAll) throw new Error(`${what} is required (SEAWAY_REQUIRE_ALL=1) but missing: ${why}`);
  notice(what, why);
  return false;
}

/** Bootstrap servers of the real Apache Kafka started by scripts/test.mjs, or false. */
export function realKafka() {
  return gate(
    'real Apache Kafka',
    process.env.SEAWAY_TEST_KAFKA,
    'SEAWAY_TEST_KAFKA is not set (scripts/test.mjs sets it when Java and Maven can fetch Kafka)',
  );
}

/** Path of an executable on PATH (or an absolute path that exists), or false with a notice. */
export function command(name) {
  if (name.startsWith('/')) return gate(name, existsSync(name) && name, 'not installed (see .ci/run for apt packages)');
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return gate(name, r.status === 0 && r.stdout.trim(), 'not on PATH (see .ci/run for apt packages)');
}

/** /usr/bin/python3 when it can import `module`, or false with a notice. */
export function pythonModule(module) {
  const ok = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', `import ${module}`]).status === 0;
  return gate(`python3 module ${module}`, ok && '/usr/bin/python3', 'not importable by /usr/bin/python3 (apt package)');
}

/**
 * Absolute path of `rel` inside the ../shared folder that sits beside the repository (third-party
 * sample data the project does not ship), or false with a notice: a fresh clone has no ../shared.
 */
export function sharedData(rel) {
  const path = join(dirname(fileURLToPath(import.meta.url)), '../../../shared', rel);
  return gate(
    `../shared/${rel}`,
    existsSync(path) && path,
    'not found beside the repository (a fresh clone has no ../shared)',
  );
}

/** The confluent-kafka from PyPI that the suite pins as "current librdkafka" (beside Debian's 2.0.2). */
export const CURRENT_CONFLUENT_KAFKA = '2.16.1';

/**
 * Python of a venv (under ~/.cache/seaway, or $SEAWAY_CACHE) with confluent-kafka
 * CURRENT_CONFLUENT_KAFKA from PyPI, created on first use (.ci/run creates it too), or false with a
 * notice when it cannot be made (no venv module, no PyPI).
 */
export function currentConfluentPython() {
  const root = process.env.SEAWAY_CACHE ?? join(homedir(), '.cache', 'seaway');
  const venv = join(root, `confluent-kafka-${CURRENT_CONFLUENT_KAFKA}`);
  const python = join(venv, 'bin', 'python');
  const works = () => existsSync(python) && spawnSync(python, ['-c', 'import confluent_kafka']).status === 0;
  let why = '';
  if (!works()) {
    const steps = [
      ['/usr/bin/python3', ['-m', 'venv', venv]],
      [python, ['-m', 'pip', 'install', '-q', `confluent-kafka==${CURRENT_CONFLUENT_KAFKA}`]],
    ];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) {
        why = `${cmd} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
        break;
      }
    }
  }
  return gate(
    `confluent-kafka ${CURRENT_CONFLUENT_KAFKA} (PyPI venv)`,
    works() && python,
    why || `not importable in ${venv}`,
  );
}

/** True when `npm ping` reaches the npm registry (installing a packed tarball needs it), or false with a notice. */
export function npmRegistry() {
  const r = spawnSync('npm', ['ping', '--loglevel=error'], { encoding: 'utf8', timeout: 20_000 });
  return gate('the npm registry', r.status === 0, '`npm ping` failed (offline?)');
}

/**
 * Path of the Go program in `dir` (a module with go.mod and go.sum), built with `go build` into
 * ~/.cache/seaway/bin (or $SEAWAY_CACHE/bin) under a name that changes with its sources, so it is
 * built once per change; or false with a notice when there is no Go toolchain or the modules cannot
 * be fetched (the Go module proxy, GOPROXY, is unreachable).
 */
export function goProgram(dir, name) {
  const go = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  if (go.status !== 0) return gate(`Go program ${name}`, false, 'go is not on PATH (see .ci/run)');
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).sort())
    if (/\.(go|mod|sum)$/.test(f)) hash.update(f).update(readFileSync(join(dir, f)));
  const root = process.env.SEAWAY_CACHE ?? join(homedir(), '.cache', 'seaway');
  const out = join(root, 'bin', `${name}-${hash.digest('hex').slice(0, 12)}`);
  let why = '';
  if (!existsSync(out)) {
    const r = spawnSync('go', ['build', '-mod=readonly', '-o', out, '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0)
      why = `go build in ${dir} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  }
  return gate(`Go program ${name}`, existsSync(out) && out, why || 'not built');
}
