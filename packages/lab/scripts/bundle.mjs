// esbuild bundles of the lab, shared by the production build (scripts/build.mjs: everything inlined,
// no node_modules at run time) and the npm tarball (scripts/pack.mjs: @seaway/* inlined, third-party
// packages left as dependencies). Two entry points, written side by side:
//   seaway.mjs     packages/lab/src/cli.ts and everything it imports
//   ais-child.mjs  the generator's -procs child (packages/ais/src/gen/run.ts forks it when present)
// Node platform, ES module, target node20. CommonJS inside the bundle gets a require() from the banner.
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const lab = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const root = resolve(lab, '../..');

const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const builtins = new Set(builtinModules);

/**
 * Bundles into outDir. thirdParty 'inline' bundles every package; 'external' keeps each bare import
 * that is not @seaway/* or a Node builtin as an import of the installed package.
 * Returns the third-party packages left external and the repository files bundled (for freshness).
 */
export async function bundleLab({ outDir, thirdParty }) {
  const external = new Set();
  const plugins =
    thirdParty === 'external'
      ? [
          {
            name: 'third-party-external',
            setup(b) {
              b.onResolve({ filter: /^[^./]/ }, (a) => {
                if (a.path.startsWith('@seaway/') || a.path.startsWith('node:')) return undefined;
                // JSON data is inlined: esbuild drops the import attribute Node needs for an external one
                if (a.path.endsWith('.json')) return undefined;
                external.add(packageOf(a.path));
                return { path: a.path, external: true };
              });
            },
          },
        ]
      : [];
  const result = await build({
    entryPoints: {
      seaway: join(lab, 'src/cli.ts'),
      'ais-child': join(root, 'packages/ais/src/gen/child.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    // a third less to parse at every start; names are kept so stack traces still read
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    legalComments: thirdParty === 'inline' ? 'linked' : 'none',
    banner: {
      js: "import { createRequire as __seawayRequire } from 'node:module'; const require = __seawayRequire(import.meta.url);",
    },
    plugins,
  });
  const inputs = Object.keys(result.metafile.inputs);
  // session-present.ts patches the mqtt-packet module aedes writes through: one copy, or it patches nothing.
  const mqttPacketCopies = new Set(
    inputs.filter((f) => f.includes('/mqtt-packet/')).map((f) => f.slice(0, f.indexOf('/mqtt-packet/'))),
  );
  if (thirdParty === 'inline' && mqttPacketCopies.size !== 1)
    throw new Error(
      `the bundle holds ${mqttPacketCopies.size} copies of mqtt-packet (${[...mqttPacketCopies].join(', ')}): list aedes' range in packages/mqtt-broker/package.json and reinstall`,
    );
  // Imports esbuild could not inline and left to run time (optional requires in try blocks).
  const leftover = new Set();
  for (const out of Object.values(result.metafile.outputs))
    for (const imp of out.imports)
      if (imp.external && !builtins.has(imp.path.replace(/^node:/, ''))) leftover.add(imp.path);
  const sources = inputs
    .filter((f) => !f.includes('node_modules/'))
    .map((f) => relative(root, resolve(process.cwd(), f)))
    .sort();
  return { external, leftover: [...leftover].sort(), sources };
}
