// Whether packages/lab/dist/seaway.mjs (scripts/build.mjs) may run instead of the TypeScript
// sources: it exists, its seaway.inputs.json lists what it was built from, and none of those files
// nor pnpm-lock.yaml is newer than the bundle (a missing one counts as changed). Plain JavaScript,
// a few hundred stat calls. SEAWAY_NO_BUNDLE=1 always answers no (run the sources through tsx).
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const lab = resolve(fileURLToPath(new URL('..', import.meta.url)));
const root = resolve(lab, '../..');
export const bundlePath = join(lab, 'dist/seaway.mjs');

/** { fresh: true } or { fresh: false, why } */
export function bundleState(env = process.env) {
  if (['1', 'true', 'yes'].includes(String(env.SEAWAY_NO_BUNDLE ?? '').toLowerCase()))
    return { fresh: false, why: 'SEAWAY_NO_BUNDLE is set' };
  let built;
  let sources;
  try {
    built = statSync(bundlePath).mtimeMs;
    sources = JSON.parse(readFileSync(join(lab, 'dist/seaway.inputs.json'), 'utf8')).sources;
  } catch {
    return { fresh: false, why: 'no build in packages/lab/dist (pnpm build writes it)' };
  }
  for (const f of sources) {
    let t;
    try {
      t = statSync(join(root, f)).mtimeMs;
    } catch {
      return { fresh: false, why: `${f} is gone since the build` };
    }
    if (t > built) return { fresh: false, why: `${f} changed since the build` };
  }
  return { fresh: true };
}
