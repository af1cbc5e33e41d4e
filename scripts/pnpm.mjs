// Runs the pnpm that launched us (npm_execpath), or the pinned pnpm through npx on a machine that
// has only Node. Shared by scripts/start.mjs and scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;

export function pnpm(args, opts = {}) {
  const execpath = process.env.npm_execpath;
  const viaPnpm = execpath && /pnpm/.test(execpath);
  const [cmd, argv] = viaPnpm ? [process.execPath, [execpath, ...args]] : ['npx', ['-y', pinned, ...args]];
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`pnpm ${args.join(' ')} failed (exit ${r.status}); see the output above`);
  }
  return r;
}

/** Install dependencies from the lockfile; quick when node_modules is already up to date. */
export function install() {
  pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
}
