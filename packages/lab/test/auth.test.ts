// With SEAWAY_PASSWORD set, one pair of credentials guards every door of a running lab: HTTP basic
// on WEB_PORT, REGISTRY_PORT and CONNECT_PORT (fetch and curl), SASL/PLAIN on Kafka (kcat) and
// username/password on MQTT (mosquitto_pub). Each is refused without them and accepted with them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { command } from '../../../scripts/testing/needs.mjs';
import { parseConfig } from '../src/config.ts';
import { type Lab, startLab } from '../src/lab.ts';

const run = promisify(execFile);
const kcat = command('kcat');
const mosquittoPub = command('mosquitto_pub');
const curl = command('curl');

const USER = 'lab-user';
const PASSWORD = 'p4ss:w,rd';
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let lab: Lab;
let brokerPort: number;
const dir = mkdtempSync(join(tmpdir(), 'seaway-auth-'));

before(async () => {
  brokerPort = await freePort();
  lab = await startLab(
    parseConfig({
      BROKER_PORT: String(brokerPort),
      ADV_HOST: '127.0.0.1',
      WEB_PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      REGISTRY_PORT: String(await freePort()),
      CONNECT_PORT: String(await freePort()),
      DATA_DIR: dir,
      SEAWAY_USER: USER,
      SEAWAY_PASSWORD: PASSWORD,
      // A login shell's pair must not change anything.
      USER: 'shell-user',
      PASSWORD: 'shell-password',
    }),
    { log: () => {} },
  );
});
after(() => lab?.close());

test('lab starts with every HTTP port, MQTT and Kafka listening', () => {
  assert.ok(lab.webPort && lab.mqttPort && lab.connectPort && lab.registryPort);
});

for (const [name, port, path] of [
  ['console and APIs (WEB_PORT)', () => lab.webPort, '/api/health'],
  ['schema registry (REGISTRY_PORT)', () => lab.registryPort, '/subjects'],
  ['Kafka Connect (CONNECT_PORT)', () => lab.connectPort, '/connectors'],
] as const) {
  test(`${name} answers 401 without credentials and 200 with them`, async () => {
    const url = `http://127.0.0.1:${port()}${path}`;
    const anon = await fetch(url);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic /);
    const wrong = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    const shell = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from('shell-user:shell-password').toString('base64')}` },
    });
    assert.equal(shell.status, 401);
    const ok = await fetch(url, { headers: { authorization: basic } });
    assert.equal(ok.status, 200, await ok.text());
  });
}

test('curl pauses a connector only with -u', { skip: !curl && 'no curl' }, async () => {
  const url = `http://127.0.0.1:${lab.connectPort}/connectors/x/pause`;
  const code = async (...extra: string[]) =>
    (await run(curl as string, ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', ...extra, url])).stdout;
  assert.equal(await code(), '401');
  // Past auth, the connector simply does not exist.
  assert.equal(await code('-u', `${USER}:${PASSWORD}`), '404');
});

test('kcat is refused without SASL and lists metadata with SASL/PLAIN', { skip: !kcat && 'no kcat' }, async () => {
  const base = ['-b', `127.0.0.1:${brokerPort}`, '-L', '-J', '-m', '5'];
  await assert.rejects(run(kcat as string, base, { timeout: 30_000 }));
  await assert.rejects(
    run(
      kcat as string,
      [
        ...base,
        '-X',
        'security.protocol=SASL_PLAINTEXT',
        '-X',
        'sasl.mechanisms=PLAIN',
        '-X',
        `sasl.username=${USER}`,
        '-X',
        'sasl.password=wrong',
      ],
      { timeout: 30_000 },
    ),
  );
  const { stdout } = await run(
    kcat as string,
    [
      ...base,
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      `sasl.username=${USER}`,
      '-X',
      `sasl.password=${PASSWORD}`,
    ],
    { timeout: 30_000 },
  );
  const md = JSON.parse(stdout) as { brokers: { id: number }[]; topics: { topic: string }[] };
  assert.equal(md.brokers.length, 1);
  // The lab's own clients authenticated too: Connect's and the registry's topics exist.
  const topics = md.topics.map((t) => t.topic);
  assert.ok(topics.includes('_schemas'), topics.join(','));
  assert.ok(topics.includes('connect-configs'), topics.join(','));
});

test('mosquitto_pub is refused without -u/-P and publishes with them', {
  skip: !mosquittoPub && 'no mosquitto_pub',
}, async () => {
  const base = ['-h', '127.0.0.1', '-p', String(lab.mqttPort), '-t', 'auth/test', '-m', 'hi', '-q', '1'];
  await assert.rejects(run(mosquittoPub as string, base, { timeout: 15_000 }));
  await assert.rejects(run(mosquittoPub as string, [...base, '-u', USER, '-P', 'wrong'], { timeout: 15_000 }));
  await run(mosquittoPub as string, [...base, '-u', USER, '-P', PASSWORD], { timeout: 15_000 });
});

test("the Docker HEALTHCHECK script sends the lab's credentials", async () => {
  const healthcheck = fileURLToPath(new URL('../bin/healthcheck.mjs', import.meta.url));
  const probe = (env: Record<string, string>) =>
    run(process.execPath, [healthcheck], {
      env: { PATH: process.env.PATH ?? '', WEB_PORT: String(lab.webPort), ...env },
    }).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
  assert.equal(await probe({ SEAWAY_USER: USER, SEAWAY_PASSWORD: PASSWORD }), 0);
  assert.equal(await probe({ SEAWAY_USER: USER, SEAWAY_PASSWORD: 'wrong' }), 1);
  assert.equal(await probe({}), 1);
  // fast-data-dev's names count only in the image, as in labAuth().
  assert.equal(await probe({ SEAWAY_IMAGE: '1', USER, PASSWORD }), 0);
  assert.equal(await probe({ USER, PASSWORD }), 1);
});
