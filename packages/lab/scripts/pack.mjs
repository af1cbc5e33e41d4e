// `npx seaway` from a tarball: bundles the lab and every @seaway/* package it uses into one ES module
// with esbuild (scripts/bundle.mjs, as the production build does, but with third-party packages left
// as dependencies; no tsx, no workspace:* dependencies at run time), copies the console build beside it,
// writes a package.json whose dependencies are exactly the third-party packages the bundle imports
// (versions from the workspace manifests), and runs `pnpm pack`. Prints the tarball's path.
// Usage: node packages/lab/scripts/pack.mjs [--out DIR]   (default packages/lab/dist)
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLab } from './bundle.mjs';

const lab = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(lab, '../..');
const outIdx = process.argv.indexOf('--out');
const out = resolve(outIdx > 0 ? process.argv[outIdx + 1] : join(lab, 'dist'));
const stage = join(out, 'package');
const consoleDist = join(root, 'packages/console/dist');

if (!existsSync(join(consoleDist, 'index.html'))) {
  throw new Error(`no console build at ${consoleDist}: run pnpm --filter @seaway/console build first`);
}

// Third-party version ranges, from every workspace package's dependencies.
const ranges = {};
for (const p of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', p, 'package.json');
  if (!existsSync(file)) continue;
  for (const [n, v] of Object.entries(JSON.parse(readFileSync(file, 'utf8')).dependencies ?? {}))
    if (!String(v).startsWith('workspace:')) ranges[n] ??= v;
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'bin'), { recursive: true });
// lib/seaway.mjs and lib/ais-child.mjs (scripts/bundle.mjs), third-party packages kept as dependencies
const { external } = await bundleLab({ outDir: join(stage, 'lib'), thirdParty: 'external' });
const builtins = new Set((await import('node:module')).builtinModules);
const dependencies = {};
for (const n of [...external].sort()) {
  if (builtins.has(n)) continue;
  if (!ranges[n]) throw new Error(`the bundle imports ${n}, which no workspace package lists as a dependency`);
  dependencies[n] = ranges[n];
}

cpSync(consoleDist, join(stage, 'lib/console'), { recursive: true });
writeFileSync(join(stage, 'bin/seaway.mjs'), "#!/usr/bin/env node\nimport '../lib/seaway.mjs';\n");
writeFileSync(join(stage, 'bin/healthcheck.mjs'), readFileSync(join(lab, 'bin/healthcheck.mjs'), 'utf8'));
chmodSync(join(stage, 'bin/seaway.mjs'), 0o755);
const labPkg = JSON.parse(readFileSync(join(lab, 'package.json'), 'utf8'));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify(
    {
      name: 'seaway',
      version: labPkg.version,
      description: rootPkg.description,
      license: rootPkg.license,
      type: 'module',
      engines: rootPkg.engines,
      bin: { seaway: 'bin/seaway.mjs' },
      files: ['bin', 'lib'],
      dependencies,
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(stage, 'README.md'),
  'Seaway: an all-in-one MQTT to Kafka lab. Run `npx seaway start`, then open http://localhost:3030. `seaway --help` lists the commands.\n',
);
const pnpmArgs = [
  '-y',
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager,
  'pack',
  '--pack-destination',
  out,
];
const printed = execFileSync('npx', pnpmArgs, { cwd: stage, encoding: 'utf8' });
const tarball = printed
  .trim()
  .split('\n')
  .filter((l) => l.endsWith('.tgz'))
  .at(-1);
if (!tarball) throw new Error(`pnpm pack printed no tarball:\n${printed}`);
console.log(resolve(out, tarball.split('/').at(-1)));
