// CI leg: clone HEAD into an empty temporary directory (no ../shared beside it, no node_modules)
// and run there the type check plus every test file that touches ../shared data, the way a new
// user's clone runs them (without SEAWAY_REQUIRE_ALL, so missing data must skip, never crash).
// `node scripts/test-fresh-clone.mjs [--all]`: --all runs the whole README test command instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './pnpm.mjs';

const all = process.argv.includes('--all');
const sha = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const base = mkdtempSync(join(tmpdir(), 'seaway-fresh-'));
const dir = join(base, 'seaway');
const env = { ...process.env };
for (const k of ['SEAWAY_REQUIRE_ALL', 'SEAWAY_TEST_KAFKA', 'npm_execpath']) delete env[k];
const pinned = 'pnpm@10.34.8';

function run(cmd, args, cwd = dir) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}) in the fresh clone ${dir}`);
}

try {
  run('git', ['clone', '-q', '--no-checkout', root, dir], base);
  run('git', ['checkout', '-q', sha]);
  if (all) {
    run('npx', ['-y', pinned, 'test']);
  } else {
    run('npx', ['-y', pinned, 'install', '--frozen-lockfile', '--reporter=append-only']);
    run('npx', ['-y', pinned, '-r', '--parallel', 'typecheck']);
    // Every test that names ../shared (directly or through needs.mjs sharedData).
    const files = execFileSync(
      'git',
      ['grep', '-l', '-e', 'sharedData(', '-e', '/shared/', '--', 'packages/*/test/*'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((f) => /\.test\.tsx?$/.test(f));
    const node = files.filter((f) => !f.startsWith('packages/console/'));
    const vitest = files
      .filter((f) => f.startsWith('packages/console/'))
      .map((f) => f.slice('packages/console/'.length));
    console.log(`fresh clone of ${sha.slice(0, 12)}: ${files.length} test files that touch ../shared`);
    if (node.length) run(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=180000', ...node]);
    if (vitest.length)
      run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...vitest], join(dir, 'packages/console'));
  }
  console.log('fresh clone: passed');
} finally {
  rmSync(base, { recursive: true, force: true });
}
