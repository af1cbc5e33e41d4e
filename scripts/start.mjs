// `pnpm start`: install dependencies when needed, build the console when its sources changed, build
// the lab's production bundle when its sources changed (packages/lab/scripts/build.mjs; bin/seaway.mjs
// then runs it instead of tsx), then run `seaway start` with any extra flags (pnpm start -- --web-port 4000).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleState } from '../packages/lab/bin/fresh-bundle.mjs';
import { install, pnpm, root } from './pnpm.mjs';

function newest(dir) {
  let t = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const s = statSync(join(dir, String(f)));
    if (s.isFile()) t = Math.max(t, s.mtimeMs);
  }
  return t;
}

install();
const consoleDir = join(root, 'packages/console');
const index = join(consoleDir, 'dist/index.html');
if (!existsSync(index) || newest(join(consoleDir, 'src')) > statSync(index).mtimeMs) {
  pnpm(['--filter', '@seaway/console', 'build']);
}
const bundle = bundleState();
if (!bundle.fresh && !/SEAWAY_NO_BUNDLE/.test(bundle.why)) {
  const r = spawnSync(process.execPath, [join(root, 'packages/lab/scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0)
    process.stderr.write('[seaway] the production build failed (output above); running the sources through tsx\n');
}
const child = spawn(process.execPath, [join(root, 'packages/lab/bin/seaway.mjs'), 'start', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
