// `npx seaway` from a tarball: bundles the lab and every @seaway/* package it uses into one ES module
// with esbuild (no tsx, no workspace:* dependencies at run time), copies the console build beside it,
// writes a package.json whose dependencies are exactly the third-party packages the bundle imports
// (versions from the workspace manifests), and runs `pnpm pack`. Prints the tarball's path.
// Usage: node packages/lab/scripts/pack.mjs [--out DIR]   (default packages/lab/dist)
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const external = new Set();
const result = await build({
  entryPoints: [join(lab, 'src/cli.ts')],
  outfile: join(stage, 'lib/seaway.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // CommonJS code inside the bundle may call require(); give it one.
  banner: {
    js: "import { createRequire as __seawayRequire } from 'node:module'; const require = __seawayRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'third-party-external',
      setup(b) {
        // @seaway/* and relative files are bundled; every other bare import stays a dependency.
        b.onResolve({ filter: /^[^./]/ }, (a) => {
          if (a.path.startsWith('@seaway/') || a.path.startsWith('node:')) return undefined;
          external.add(packageOf(a.path));
          return { path: a.path, external: true };
        });
      },
    },
  ],
});
void result;
// Packages reached through createRequire(import.meta.url) in the sources (not seen by esbuild).
for (const f of ['aedes-persistence']) if (ranges[f]) external.add(f);
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
