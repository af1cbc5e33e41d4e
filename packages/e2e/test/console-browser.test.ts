// The console in a real browser against a running lab on real Apache Kafka: every page loads with
// no console errors, live numbers move, and each page is saved as a screenshot under
// packages/e2e/screenshots (ignored by git) for people to look at.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import type { Browser } from 'playwright-core';
import { command } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';

const chromium = command(CHROMIUM);
const skip = !chromium && 'no chromium';
const shots = join(dirname(fileURLToPath(import.meta.url)), '../screenshots');
const run = `browser-${process.pid}-${Date.now()}`;
let lab: Lab;
let browser: Browser;
let dataDir: string;
let base: string;

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'seaway-browser-'));
  lab = await startLab(
    parseConfig({
      BROKER_PORT: String(await freePort()),
      BIND_HOST: '127.0.0.1',
      ADV_HOST: '127.0.0.1',
      WEB_PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      REGISTRY_PORT: '0',
      CONNECT_PORT: '0',
      DATA_DIR: dataDir,
      RUNNING_SAMPLEDATA: 'true',
      CONNECT_CONFIG_TOPIC: `${run}-configs`,
      CONNECT_STATUS_TOPIC: `${run}-status`,
      REGISTRY_TOPIC: `${run}-schemas`,
    }),
    { log: () => {} },
  );
  base = `http://127.0.0.1:${lab.webPort}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await lab?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const PAGES = [
  ['overview', '/'],
  ['topics', '/topics'],
  ['topic-position-reports', '/topics/position-reports'],
  ['connectors', '/connectors'],
  ['schemas', '/schemas'],
  ['groups', '/groups'],
  ['mqtt', '/mqtt'],
  ['map', '/map'],
  ['generator', '/generator'],
] as const;

for (const theme of ['light', 'dark'] as const) {
  test(`every page loads without console errors (${theme} theme)`, { skip }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      for (const [name, path] of PAGES) {
        await page.goto(base + path, { waitUntil: 'networkidle' });
        try {
          await page.waitForSelector('main h1', { timeout: 20_000 });
        } catch {
          await page.screenshot({ path: join(shots, `${name}-${theme}-FAILED.png`) });
          assert.fail(
            `${path} shows no heading after 20 s (screenshot ${name}-${theme}-FAILED.png): ${await page.locator('body').textContent()}`,
          );
        }
        await page.waitForTimeout(1200);
        await page.screenshot({ path: join(shots, `${name}-${theme}.png`) });
        assert.deepEqual(errors, [], `errors on ${path}`);
      }
    } finally {
      await context.close();
    }
  });
}

test('the throughput chart and the hop rates move while the sample stream runs', { skip }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  const line = page.locator('.chart path.line').first();
  await line.waitFor({ timeout: 20_000 });
  const before = await line.getAttribute('d');
  await page.waitForTimeout(3000);
  assert.notEqual(await line.getAttribute('d'), before, 'the chart line is redrawn as frames arrive');
  const rate = Number.parseFloat((await page.locator('[data-testid="mqtt-rate"]').textContent()) ?? '');
  assert.ok(rate > 0, `the MQTT hop shows a positive rate (${rate})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a connector created from the AIS template reaches RUNNING', { skip }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/connectors?new=1`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'AIS (seed article)' }).click();
  await page.getByLabel('Name').fill('browser-ais');
  await page.getByRole('button', { name: 'Validate and create' }).click();
  const deadline = Date.now() + 30_000;
  let state = '';
  while (Date.now() < deadline) {
    const r = await fetch(`${base}/api/connect/connectors/browser-ais/status`);
    if (r.ok) {
      const s = (await r.json()) as { connector: { state: string }; tasks: { state: string }[] };
      state = `${s.connector.state}/${s.tasks.map((t) => t.state).join(',')}`;
      if (s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING')) break;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  if (!/^RUNNING\/RUNNING/.test(state))
    await page.screenshot({ path: join(shots, 'connector-from-template-FAILED.png') });
  assert.match(
    state,
    /^RUNNING\/RUNNING/,
    `connector state ${state || '(not created)'}; page: ${await page.locator('main').textContent()}`,
  );
  // Still RUNNING once the sample stream's messages flow through it, and they land in its topic.
  const flowDeadline = Date.now() + 30_000;
  let records = 0;
  while (Date.now() < flowDeadline && records === 0) {
    const list = (await (await fetch(`${base}/api/topics`)).json()) as { topics: { name: string; records?: number }[] };
    records = list.topics.find((x) => x.name === 'ais-raw')?.records ?? 0;
    if (records === 0) await new Promise((res) => setTimeout(res, 500));
  }
  const after = (await (await fetch(`${base}/api/connect/connectors/browser-ais/status`)).json()) as {
    tasks: { state: string; trace?: string }[];
  };
  assert.deepEqual(
    after.tasks.map((t) => t.state),
    ['RUNNING'],
    after.tasks[0]?.trace,
  );
  assert.ok(records > 0, 'records from the template connector reach its topic');
  await page.goto(`${base}/connectors?open=browser-ais`, { waitUntil: 'networkidle' });
  await page.getByText('browser-ais').first().waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(shots, 'connector-from-template.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('generated messages appear in the message browser', { skip }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/topics/position-reports`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Scan' }).click();
  await page.locator('.msg-row').first().waitFor({ timeout: 30_000 });
  assert.ok((await page.locator('.msg-row').count()) > 0);
  await page.screenshot({ path: join(shots, 'message-browser.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('vessels of the sample stream appear on the map, and a click shows one', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(`${base}/map?topic=position-reports`, { waitUntil: 'networkidle' });
  const vessels = page.locator('.vessel');
  await vessels.first().waitFor({ timeout: 30_000 });
  assert.ok((await vessels.count()) > 0);
  await vessels.first().click({ force: true });
  await page.getByText(/MMSI/).first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'map-selected.png') });
  // The zoom buttons answer a real mouse click (pointer capture on the map once swallowed it).
  const scale = page.locator('.map-scale');
  const before = await scale.textContent();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  // a string runs in the page (this package's types have no DOM)
  await page.waitForFunction(`document.querySelector('.map-scale')?.textContent !== ${JSON.stringify(before)}`, null, {
    timeout: 5_000,
  });
  assert.match((await scale.textContent()) ?? '', /zoom 1\.5×/);
  await page.getByRole('button', { name: 'Show the whole world' }).click();
  await page.waitForFunction("/zoom 1\\.0×/.test(document.querySelector('.map-scale')?.textContent ?? '')", null, {
    timeout: 5_000,
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('basic auth guards pages, APIs and the WebSocket when SEAWAY_USER and SEAWAY_PASSWORD are set', {
  skip,
}, async () => {
  const port = await freePort();
  const guarded = await startLab(
    parseConfig({
      BROKER_PORT: String(await freePort()),
      BIND_HOST: '127.0.0.1',
      WEB_PORT: String(port),
      MQTT_PORT: '0',
      REGISTRY_PORT: '0',
      CONNECT_PORT: '0',
      DATA_DIR: join(dataDir, 'guarded'),
      SEAWAY_USER: 'ws',
      SEAWAY_PASSWORD: 'secret',
      CONNECT_CONFIG_TOPIC: `${run}-g-configs`,
      CONNECT_STATUS_TOPIC: `${run}-g-status`,
      REGISTRY_TOPIC: `${run}-g-schemas`,
    }),
    { log: () => {} },
  );
  try {
    const anon = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /Basic/);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 401);
    const auth = { authorization: `Basic ${Buffer.from('ws:secret').toString('base64')}` };
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: auth });
    assert.equal(ok.status, 200);
    const ctx = await browser.newContext({ httpCredentials: { username: 'ws', password: 'secret' } });
    const p = await ctx.newPage();
    await p.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'networkidle' });
    await p.waitForSelector('main h1', { timeout: 10_000 });
    await ctx.close();
  } finally {
    await guarded.close();
  }
});
