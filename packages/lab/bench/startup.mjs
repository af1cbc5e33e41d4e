// Start-up and idle footprint of the lab: the production bundle (dist/seaway.mjs, `pnpm build`) vs
// the sources through tsx (bin/seaway.mjs with SEAWAY_NO_BUNDLE=1). Per run: a fresh DATA_DIR and
// free ports, spawn -> first /api/health 200 (polled every 20 ms), then RSS (VmRSS of the lab
// process) after 10 s idle, then SIGINT. It measures; it asserts nothing.
// Usage: node packages/lab/bench/startup.mjs [runs=3]   (run `pnpm build` first)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lab = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 3);
const bundle = join(lab, 'dist/seaway.mjs');
if (!existsSync(bundle)) throw new Error(`no ${bundle}: run pnpm build first`);

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function once(kind) {
  const data = mkdtempSync(join(tmpdir(), 'seaway-startup-'));
  const web = await freePort();
  const env = {
    PATH: process.env.PATH,
    DATA_DIR: data,
    WEB_PORT: String(web),
    MQTT_PORT: String(await freePort()),
    BROKER_PORT: String(await freePort()),
    REGISTRY_PORT: String(await freePort()),
    CONNECT_PORT: String(await freePort()),
    ...(kind === 'tsx' ? { SEAWAY_NO_BUNDLE: '1' } : {}),
  };
  const entry = kind === 'tsx' ? join(lab, 'bin/seaway.mjs') : bundle;
  const t0 = performance.now();
  const child = spawn(process.execPath, [entry, 'start'], { env, stdio: 'ignore' });
  let healthyMs = -1;
  while (child.exitCode === null && performance.now() - t0 < 60_000) {
    const ok = await fetch(`http://127.0.0.1:${web}/api/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      healthyMs = performance.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 10_000));
  const rss = child.exitCode === null ? rssMb(child.pid) : -1;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
  rmSync(data, { recursive: true, force: true });
  return { healthyMs: Math.round(healthyMs), rssMb: Math.round(rss) };
}

console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('| run | bundle: healthy ms | bundle: RSS idle MB | tsx: healthy ms | tsx: RSS idle MB |');
console.log('| --- | --- | --- | --- | --- |');
for (let i = 1; i <= runs; i++) {
  const b = await once('bundle');
  const t = await once('tsx');
  console.log(`| ${i} | ${b.healthyMs} | ${b.rssMb} | ${t.healthyMs} | ${t.rssMb} |`);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
