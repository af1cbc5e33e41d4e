// `pnpm build` (lab part): the production bundle, every package inlined, into packages/lab/dist:
// seaway.mjs (the CLI), ais-child.mjs (generator -procs child), seaway.mjs.LEGAL.txt (bundled
// licences) and seaway.inputs.json (the repository files it was built from; bin/seaway.mjs runs the
// bundle only while none of them, nor pnpm-lock.yaml, is newer). The console build stays in
// packages/console/dist, where the bundle finds it (../../console/dist from the bundle).
// Usage: node packages/lab/scripts/build.mjs [--out DIR]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleLab, lab } from './bundle.mjs';

const outIdx = process.argv.indexOf('--out');
const out = resolve(outIdx > 0 ? process.argv[outIdx + 1] : join(lab, 'dist'));
const t0 = performance.now();
for (const f of [
  'seaway.mjs',
  'ais-child.mjs',
  'seaway.mjs.LEGAL.txt',
  'ais-child.mjs.LEGAL.txt',
  'seaway.inputs.json',
])
  rmSync(join(out, f), { force: true });
mkdirSync(out, { recursive: true });
const { leftover, sources } = await bundleLab({ outDir: out, thirdParty: 'inline' });
// written last: its presence says the bundle beside it is complete
writeFileSync(
  join(out, 'seaway.inputs.json'),
  `${JSON.stringify({ sources: [...sources, 'pnpm-lock.yaml'] }, null, 1)}\n`,
);
const note = leftover.length ? `; left to run time (optional): ${leftover.join(', ')}` : '';
console.log(
  `${join(out, 'seaway.mjs')}: ${sources.length} source files, ${Math.round(performance.now() - t0)} ms${note}`,
);
