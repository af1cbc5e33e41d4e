// `npx seaway`: scripts/pack.mjs bundles the lab into a tarball that installs into an empty
// directory with npm alone (its dependencies come from the npm registry) and starts: --help, then
// `seaway start` until /api/health answers 200 with the console served, then SIGINT exits 0.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { npmRegistry } from '../../../scripts/testing/needs.mjs';

const run = promisify(execFile);
const packScript = fileURLToPath(new URL('../scripts/pack.mjs', import.meta.url));
const consoleBuilt = existsSync(fileURLToPath(new URL('../../console/dist/index.html', import.meta.url)));
const registry = npmRegistry();
const skip = !registry ? 'no npm registry' : !consoleBuilt && 'no console build (scripts/test.mjs builds it)';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('the packed tarball installs into an empty directory and starts to healthy', {
  skip,
  timeout: 600_000,
}, async () => {
  const work = mkdtempSync(join(tmpdir(), 'seaway-pack-'));
  const { stdout } = await run(process.execPath, [packScript, '--out', join(work, 'out')], { timeout: 300_000 });
  const tarball = stdout.trim().split('\n').at(-1)!;
  assert.match(tarball, /seaway-\d+\.\d+\.\d+\.tgz$/);
  const manifest = JSON.parse(readFileSync(join(work, 'out/package/package.json'), 'utf8'));
  assert.ok(!JSON.stringify(manifest.dependencies).includes('workspace:'), 'no workspace:* left');
  assert.ok(!('tsx' in manifest.dependencies), 'runs without tsx');

  const app = join(work, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{"private":true}\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app, timeout: 400_000 });
  const bin = join(app, 'node_modules/.bin/seaway');
  const help = await run(bin, ['start', '--help'], { cwd: app });
  assert.match(help.stdout, /--web-port\s+WEB_PORT\s+3030/);

  const web = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    WEB_PORT: String(web),
    MQTT_PORT: String(await freePort()),
    BROKER_PORT: String(await freePort()),
    REGISTRY_PORT: String(await freePort()),
    CONNECT_PORT: String(await freePort()),
    DATA_DIR: join(work, 'data'),
  };
  const child = spawn(bin, ['start'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  try {
    let status = 0;
    for (let i = 0; i < 240 && status !== 200 && child.exitCode === null; i++) {
      status = await fetch(`http://127.0.0.1:${web}/api/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(status, 200, output);
    const page = await fetch(`http://127.0.0.1:${web}/`);
    assert.match(await page.text(), /<!doctype html>/i);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, output);
});
