// The seaway CLI as a user runs it (bin/seaway.mjs in a child process): help for every command
// exits 0 without starting anything, typos name the closest flag, a used port names its holder,
// and a started lab prints every endpoint and stops with exit 0 on SIGINT.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/commands.ts';
import { CONFIG_KEYS } from '../src/config.ts';
import { SETTING_HELP } from '../src/settings.ts';
import { closest } from '../src/suggest.ts';

const bin = fileURLToPath(new URL('../bin/seaway.mjs', import.meta.url));

function seaway(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((ok) =>
    child.on('exit', (code) => ok({ code, out, err })),
  );
  return { child, done, err: () => err };
}

async function listening(): Promise<{ srv: Server; port: number }> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { srv, port: (srv.address() as { port: number }).port };
}

async function freePort(): Promise<number> {
  const { srv, port } = await listening();
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('every setting has a help line and every help line a setting', () => {
  assert.deepEqual(Object.keys(SETTING_HELP).sort(), [...CONFIG_KEYS].sort());
});

test('seaway --help lists every command and exits 0', async () => {
  for (const args of [['--help'], ['help']]) {
    const r = await seaway(args).done;
    assert.equal(r.code, 0, r.err);
    for (const c of COMMANDS) assert.match(r.out, new RegExp(`^  ${c.name} `, 'm'));
  }
});

for (const c of COMMANDS.filter((x) => x.name !== 'help')) {
  test(`seaway ${c.name} --help prints every flag with its env variable and default, starting nothing`, async () => {
    // A port that is taken: had the command started, it would have failed on it.
    const { srv, port } = await listening();
    try {
      const r = await seaway([c.name, '--help'], { WEB_PORT: String(port), BROKER_PORT: String(port) }).done;
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      for (const f of c.flags) {
        // the whole flag, not a prefix of a longer one (--mqtt-max-connections vs …-per-address)
        const line = r.out.split('\n').find((l) => new RegExp(`${f.flag}(?![\\w-])`).test(l));
        assert.ok(line, `${f.flag} missing from ${c.name} --help`);
        if (f.env) assert.ok(line.includes(f.env), `${f.flag}: env ${f.env} missing`);
        if (c.name !== 'ais-generator') assert.ok(line.includes(f.default), `${f.flag}: default ${f.default} missing`);
      }
      if (c.name === 'kafka') assert.equal((await seaway(['help', c.name]).done).out, r.out);
    } finally {
      srv.close();
    }
  });
}

test('start --help shows every setting as flag and env variable', async () => {
  const r = await seaway(['start', '-h']).done;
  for (const k of CONFIG_KEYS) {
    assert.ok(r.out.includes(` ${k} `), k);
    assert.ok(r.out.includes(`--${k.toLowerCase().replace(/_/g, '-')} `), k);
  }
});

test('an unknown flag fails with exit 2, naming it and the closest known flag', async () => {
  const cases: [string[], string, string][] = [
    [['start', '--web-prot', '4000'], '--web-prot', '--web-port'],
    [['start', '--bind-hots=0.0.0.0'], '--bind-hots', '--bind-host'],
    [['kafka', '--prot', '9092'], '--prot', '--port'],
    [['ais-generator', '-mesages', '10'], '-mesages', '-messages'],
  ];
  for (const [args, given, near] of cases) {
    const r = await seaway(args).done;
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.ok(r.err.includes(`unknown flag ${given}`), r.err);
    assert.ok(r.err.includes(`did you mean ${near}?`), r.err);
  }
  const cmd = await seaway(['strat']).done;
  assert.equal(cmd.code, 2);
  assert.match(cmd.err, /unknown command "strat" \(did you mean start\?\)/);
});

test('closest() picks by edit distance and gives up on unrelated names', () => {
  assert.equal(closest('--mqtt-prot', ['--mqtt-port', '--web-port']), '--mqtt-port');
  assert.equal(closest('--zzzzzzzzzzzz', ['--web-port']), null);
});

test('a start on a used port names the port, its setting and the process holding it', async () => {
  const { srv, port } = await listening();
  try {
    const r = await seaway(['start', '--web-port', String(port), '--broker-port', String(await freePort())], {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'seaway-cli-')),
      MQTT_PORT: '0',
      REGISTRY_PORT: '0',
      CONNECT_PORT: '0',
    }).done;
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`port ${port} \\(WEB_PORT, console and HTTP APIs\\) is in use`));
    // ss or lsof tells us the holder: this test process; without either, the message says so.
    const canTell = ['ss', 'lsof'].some((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
    assert.match(r.err, canTell ? new RegExp(`pid ${process.pid}\\b`) : /by another process/);
  } finally {
    srv.close();
  }
});

async function waitFor(p: { err: () => string; child: ChildProcess }, text: string): Promise<void> {
  const t0 = Date.now();
  while (!p.err().includes(text)) {
    if (p.child.exitCode !== null) throw new Error(`exited early: ${p.err()}`);
    if (Date.now() - t0 > 120_000) throw new Error(`no "${text}" in ${p.err()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('seaway start prints every endpoint, bind address, auth and data dir, and exits 0 on SIGINT', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seaway-cli-'));
  const ports = {
    WEB_PORT: await freePort(),
    MQTT_PORT: await freePort(),
    BROKER_PORT: await freePort(),
    REGISTRY_PORT: await freePort(),
    CONNECT_PORT: await freePort(),
  };
  const p = seaway(['start', '--data-dir', dataDir, '--seaway-password', 'pw'], {
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    USER: 'login-name',
    PASSWORD: '',
  });
  try {
    await waitFor(p, 'Ctrl+C stops it');
  } catch (e) {
    p.child.kill('SIGKILL');
    throw e;
  }
  p.child.kill('SIGINT');
  const r = await p.done;
  assert.equal(r.code, 0, r.err);
  const banner = r.err;
  for (const url of [
    `http://localhost:${ports.WEB_PORT}`,
    `mqtt://localhost:${ports.MQTT_PORT}`,
    `ws://localhost:${ports.WEB_PORT}/mqtt`,
    `localhost:${ports.BROKER_PORT} (embedded)`,
    `http://localhost:${ports.REGISTRY_PORT}`,
    `http://localhost:${ports.CONNECT_PORT}`,
    `http://localhost:${ports.WEB_PORT}/metrics`,
  ])
    assert.ok(banner.includes(url), `${url} missing from\n${banner}`);
  assert.match(banner, /bound to\s+127\.0\.0\.1 \(this machine only/);
  assert.match(banner, /auth\s+on for user "admin" \(SEAWAY_PASSWORD\)/);
  assert.ok(banner.includes(`data             ${dataDir}`), banner);
  assert.match(banner, /stopped/);
});
