#!/usr/bin/env node
// Runs the production bundle (packages/lab/dist/seaway.mjs, from `pnpm build`) when it is there and
// newer than every source it was built from; otherwise the TypeScript sources through tsx, so a
// clone works without a build step and an edited source is never shadowed by an old bundle.
import { pathToFileURL } from 'node:url';
import { bundlePath, bundleState } from './fresh-bundle.mjs';

if (bundleState().fresh) await import(pathToFileURL(bundlePath).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
