// Checks the Dockerfile without Docker: replays its stages in temporary directories (the same RUN
// commands, COPY of a clean copy of the repository, ENV, WORKDIR), starts its CMD and waits for
// /api/health, then runs its HEALTHCHECK. Reading the file keeps the test and the image in sync.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Instruction, parseDockerfile } from '../src/dockerfile.ts';
import { freePort } from '../src/ports.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dockerfile = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
const ignored = readFileSync(join(repo, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim().replace(/^\*\*\//, ''))
  .filter((l) => l && !l.startsWith('#'));
const work = mkdtempSync(join(tmpdir(), 'seaway-docker-'));
let server: ChildProcess | null = null;

after(() => {
  server?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Stage {
  name: string | null;
  root: string;
  cwd: string;
  env: Record<string, string>;
  user: string;
  volumes: string[];
  expose: number[];
  healthcheck: string[] | null;
  cmd: string[] | null;
}

/** The build context: tracked and untracked-but-not-ignored files, minus .dockerignore. */
function copyContext(dest: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean)
    .filter(
      (f) =>
        !ignored.some(
          (p) =>
            f === p ||
            f.startsWith(`${p}/`) ||
            f.split('/').includes(p) ||
            (p.startsWith('*') && f.endsWith(p.slice(1))),
        ),
    );
  for (const f of files) {
    if (!existsSync(join(repo, f))) continue; // deleted in the work tree
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(repo, f), join(dest, f));
  }
}

function replay(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  let s: Stage | null = null;
  const inside = (st: Stage, p: string) => (p.startsWith('/') ? join(st.root, p) : join(st.cwd, p));
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const root = join(work, `stage${stages.length}`);
      mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
      s = {
        name: ins.stage,
        root,
        cwd: root,
        env: {},
        user: 'root',
        volumes: [],
        expose: [],
        healthcheck: null,
        cmd: null,
      };
      stages.push(s);
      continue;
    }
    assert.ok(s, 'the Dockerfile must start with FROM');
    const st: Stage = s;
    switch (ins.op) {
      case 'ENV':
        Object.assign(st.env, ins.vars);
        break;
      case 'WORKDIR':
        st.cwd = inside(st, ins.path);
        mkdirSync(st.cwd, { recursive: true });
        break;
      case 'RUN': {
        // Global npm installs land in the stage's own /usr/local, as in the image.
        const env = {
          ...process.env,
          ...st.env,
          npm_config_prefix: join(st.root, 'usr/local'),
          PATH: `${join(st.root, 'usr/local/bin')}:${process.env.PATH}`,
        };
        const r = spawnSync('sh', ['-c', ins.command], {
          cwd: st.cwd,
          env,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        assert.equal(r.status, 0, `RUN ${ins.command} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
        break;
      }
      case 'COPY': {
        const dest = inside(st, ins.dest);
        if (ins.from === null) {
          assert.equal(ins.src, '.', 'the replay copies the whole context only');
          copyContext(dest);
        } else {
          const from = stages.find((x) => x.name === ins.from);
          assert.ok(from, `COPY --from=${ins.from} names no earlier stage`);
          cpSync(join(from.root, ins.src), dest, { recursive: true, verbatimSymlinks: true });
        }
        break;
      }
      case 'USER':
        st.user = ins.user;
        break;
      case 'VOLUME':
        st.volumes.push(...ins.paths);
        break;
      case 'EXPOSE':
        st.expose.push(...ins.ports);
        break;
      case 'HEALTHCHECK':
        st.healthcheck = ins.cmd;
        break;
      case 'CMD':
        st.cmd = ins.cmd;
        break;
    }
  }
  return stages;
}

test('the runtime stage is declared as the image promises', () => {
  const runtimeFrom = dockerfile.filter((i) => i.op === 'FROM').length;
  assert.ok(runtimeFrom >= 2, 'multi-stage: a build stage and a slim runtime stage');
  const lastFrom = dockerfile.map((i) => i.op).lastIndexOf('FROM');
  const runtime = dockerfile.slice(lastFrom);
  const exposed = runtime.flatMap((i) => (i.op === 'EXPOSE' ? i.ports : []));
  assert.deepEqual(exposed.sort(), [1883, 3030, 8081, 8083, 9092].sort());
  const user = runtime.find((i) => i.op === 'USER');
  assert.ok(user && user.op === 'USER' && user.user !== 'root', 'runs as a non-root user');
  const env = Object.assign({}, ...runtime.map((i) => (i.op === 'ENV' ? i.vars : {})));
  const volumes = runtime.flatMap((i) => (i.op === 'VOLUME' ? i.paths : []));
  assert.ok(volumes.includes(env.DATA_DIR), 'DATA_DIR is a volume');
  assert.equal(env.WEB_PORT, '3030');
  // Published ports decide exposure in a container; fast-data-dev's USER/PASSWORD count there.
  assert.equal(env.BIND_HOST, '0.0.0.0');
  assert.equal(env.SEAWAY_IMAGE, '1');
  assert.ok(
    runtime.some((i) => i.op === 'HEALTHCHECK'),
    'has a HEALTHCHECK',
  );
  assert.ok(!runtime.some((i) => i.op === 'RUN'), 'the runtime stage compiles nothing');
});

test('replaying the Dockerfile builds a lab that becomes healthy', { timeout: 600_000 }, async () => {
  const stages = replay(dockerfile);
  const rt = stages.at(-1)!;
  assert.ok(rt.cmd, 'the runtime stage has a CMD');
  assert.ok(
    !existsSync(join(rt.cwd, 'node_modules/.pnpm/node_modules/vitest')),
    'dev dependencies are not in the runtime stage',
  );

  const port = await freePort();
  const mapped = Object.fromEntries(
    Object.entries(rt.env).map(([k, v]) => [k, v.startsWith('/') ? join(rt.root, v) : v]),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: rt.root,
    ...mapped,
    BIND_HOST: '127.0.0.1',
    WEB_PORT: String(port),
    MQTT_PORT: String(await freePort()),
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    BROKER_PORT: String(await freePort()),
  };
  server = spawn(rt.cmd[0]!, rt.cmd.slice(1), { cwd: rt.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  let status = 0;
  while (Date.now() < deadline && server.exitCode === null) {
    status = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(status, 200, `/api/health never answered 200; lab output:\n${output.slice(-3000)}`);
  const page = await fetch(`http://127.0.0.1:${port}/`);
  assert.match(await page.text(), /<div id="root">/, 'the console build is served');

  assert.ok(rt.healthcheck);
  const hc = spawnSync(rt.healthcheck[0]!, rt.healthcheck.slice(1), { cwd: rt.cwd, env, encoding: 'utf8' });
  assert.equal(hc.status, 0, `HEALTHCHECK failed: ${hc.stderr}`);
});
