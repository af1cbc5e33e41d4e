// Schema registry operations in the console, clicked through in chromium on the embedded broker
// (light theme) and on real Apache Kafka (dark theme), the registry stored in that Kafka: schemas
// registered by Confluent's Python client (Avro, JSON Schema, Protobuf) are shown as their kind;
// global and per-subject compatibility are changed, a refused registration shows its reason first;
// a version and then the subject are deleted softly and permanently. Each step is read back with
// the Python client and with plain HTTP against Confluent's documented codes, never through the page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import type { Browser, Page } from 'playwright-core';
import { command, pythonModule, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';

const chromium = command(CHROMIUM);
const python = pythonModule('confluent_kafka.schema_registry');
const apache = realKafka();
const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, '../screenshots');
const helper = join(here, 'clients/registry_state.py');
const noTools = (!chromium && 'no chromium') || (!python && 'no python3 confluent_kafka');
const targets = [
  { name: 'embedded Kafka broker', kafka: null, theme: 'light' as const, skip: noTools },
  {
    name: 'Apache Kafka',
    kafka: apache || null,
    theme: 'dark' as const,
    skip: noTools || (!apache && 'no real Kafka'),
  },
];

/** Runs the Python client without blocking the event loop (the embedded broker is in this process). */
function py(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(python as string, [helper, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`registry_state.py ${args[1]} failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

interface PyState {
  subjects: string[];
  global: string;
  per_subject: Record<
    string,
    {
      versions: { ok?: number[]; error_code?: number };
      compatibility: { ok?: string; error_code?: number };
    }
  >;
}

const AVRO_V1 = JSON.stringify({
  type: 'record',
  name: 'Reading',
  namespace: 'lab.schemas',
  fields: [{ name: 'id', type: 'string' }],
});
const AVRO_V2 = JSON.stringify({
  type: 'record',
  name: 'Reading',
  namespace: 'lab.schemas',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'celsius', type: ['null', 'double'], default: null },
  ],
});
const JSON_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sensor',
  type: 'object',
  properties: { id: { type: 'string' }, celsius: { type: 'number' } },
  required: ['id'],
});
const PROTO =
  'syntax = "proto3";\npackage lab.sensors;\n\nmessage Reading {\n  string id = 1;\n  double celsius = 2;\n}\n';

for (const target of targets) {
  describe(`schema registry in the console on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const run = `schemas-${process.pid}-${Date.now()}`;
    const avro = `${run}-avro-value`;
    const json = `${run}-json-value`;
    const proto = `${run}-proto-value`;
    let lab: Lab;
    let browser: Browser;
    let dataDir: string;
    let base: string;
    let registry: string;

    const state = () => py([registry, 'state', avro, json, proto]) as Promise<PyState>;
    /** A plain HTTP call, as curl would make it: status and Confluent's error_code. */
    const http = async (method: string, path: string) => {
      const r = await fetch(`${registry}${path}`, {
        method,
        headers: { accept: 'application/vnd.schemaregistry.v1+json' },
      });
      const body = (await r.json()) as unknown;
      return { status: r.status, body, code: (body as { error_code?: number }).error_code };
    };
    const newPage = async (): Promise<{
      page: Page;
      errors: string[];
      nulls: string[];
      close: () => Promise<void>;
    }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: target.theme });
      const page = await context.newPage();
      const nulls: string[] = [];
      page.on('request', (r) => {
        if (/versions\/(null|undefined|NaN)/.test(r.url())) nulls.push(r.url());
      });
      const errors = watchErrors(page);
      // chromium logs a failed fetch without its URL: name it beside.
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      return { page, errors, nulls, close: () => context.close() };
    };
    const toastSays = (page: Page, text: string | RegExp) =>
      page.locator('.toasts').getByText(text).first().waitFor({ timeout: 15_000 });

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-schemas-'));
      const registryPort = await freePort();
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: String(registryPort),
          CONNECT_PORT: '0',
          DATA_DIR: dataDir,
          RUNNING_SAMPLEDATA: 'false',
          SAMPLEDATA: 'false',
          CONNECT_CONFIG_TOPIC: `${run}-configs`,
          CONNECT_STATUS_TOPIC: `${run}-status`,
          REGISTRY_TOPIC: `${run}-schemas`,
        }),
        { log: () => {} },
      );
      base = `http://127.0.0.1:${lab.webPort}`;
      registry = `http://127.0.0.1:${lab.registryPort}`;
      browser = await launchBrowser();
      await py([registry, 'register', avro, 'AVRO', AVRO_V1]);
      await py([registry, 'register', avro, 'AVRO', AVRO_V2]);
      await py([registry, 'register', json, 'JSON', JSON_SCHEMA]);
      await py([registry, 'register', proto, 'PROTOBUF', PROTO]);
    });

    after(async () => {
      await browser?.close();
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('JSON Schema and Protobuf are shown as such; a Protobuf subject gets a new version from its own text', async () => {
      const { page, errors, nulls, close } = await newPage();
      try {
        await page.goto(`${base}/schemas`, { waitUntil: 'networkidle' });
        await page.getByRole('link', { name: json }).click();
        const facts = page.getByTestId('schema-facts');
        await facts.getByText(/JSON Schema \(draft-07\) Sensor/).waitFor({ timeout: 15_000 });
        const jsonText = (await page.locator('pre.payload').textContent()) ?? '';
        assert.match(jsonText, /\n {2}"type": "object",\n/, 'JSON Schema is pretty-printed');

        await page.getByRole('link', { name: proto }).click();
        await facts.getByText(/Protobuf · package lab\.sensors · Reading/).waitFor({ timeout: 15_000 });
        const protoText = (await page.locator('pre.payload').textContent()) ?? '';
        assert.match(protoText, /message Reading \{\n\s+string id = 1;/, 'the .proto text, line by line');
        await page.screenshot({ path: join(shots, `schemas-protobuf-${target.theme}.png`) });

        await page.getByRole('button', { name: 'New version' }).click();
        const form = page.getByRole('form', { name: 'Register a new version' });
        assert.equal(await form.getByLabel('Type').inputValue(), 'PROTOBUF');
        const area = form.getByLabel('Schema');
        const before = await area.inputValue();
        assert.match(before, /message Reading/);
        await area.fill(before.replace('double celsius = 2;', 'double celsius = 2;\n  string site = 3;'));
        await form.getByRole('button', { name: 'Register' }).click();
        await toastSays(page, new RegExp(`Registered a Protobuf schema under ${proto}`));
        const s = await state();
        assert.deepEqual(s.per_subject[proto]?.versions.ok, [1, 2]);
        await facts.getByText(/Protobuf/).waitFor();
        assert.match((await page.locator('pre.payload').textContent()) ?? '', /string site = 3;/);
        assert.deepEqual(nulls, [], 'no request for version null');
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `schemas-kinds-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('compatibility: global and per-subject levels as the Python client reads them; a refusal names the field first', async () => {
      const { page, errors, nulls, close } = await newPage();
      try {
        await page.goto(`${base}/schemas/${avro}`, { waitUntil: 'networkidle' });
        await page.getByLabel('Global compatibility').selectOption('FULL');
        await toastSays(page, 'Global compatibility set to FULL');
        assert.equal((await state()).global, 'FULL');

        await page.getByLabel('Subject compatibility').selectOption('NONE');
        await toastSays(page, `${avro}: compatibility set to NONE`);
        assert.equal((await state()).per_subject[avro]?.compatibility.ok, 'NONE');
        await page.getByText('(global is FULL)').waitFor();
        await page.getByRole('button', { name: 'Use global' }).click();
        await toastSays(page, `${avro}: follows the global compatibility`);
        // No level of its own any more: Confluent's 40408.
        assert.equal((await state()).per_subject[avro]?.compatibility.error_code, 40408);
        await page.getByText('(same as global)').waitFor();

        // A field without a default is not FULL-compatible: the reason is on top, the schemas folded.
        await page.getByRole('button', { name: 'New version' }).click();
        const form = page.getByRole('form', { name: 'Register a new version' });
        const text = await form.getByLabel('Schema').inputValue();
        await form
          .getByLabel('Schema')
          .fill(text.replace('"fields": [', '"fields": [\n    { "name": "Mandatory", "type": "string" },'));
        await form.getByRole('button', { name: 'Register' }).click();
        const alert = form.getByRole('alert');
        await alert.waitFor({ timeout: 15_000 });
        await alert.getByText(/Not compatible with version 2 under FULL/).waitFor();
        const reasons = await alert.locator('li').allTextContents();
        assert.ok(
          reasons.some((r) => r.includes('Mandatory')),
          `a reason names the field: ${reasons.join(' | ')}`,
        );
        const folded = alert.locator('details');
        assert.equal(await folded.getAttribute('open'), null, 'the full answer starts folded');
        assert.equal(await folded.locator('pre').isVisible(), false, 'the old schema is not shown until unfolded');
        await page.screenshot({ path: join(shots, `schemas-refused-${target.theme}.png`) });
        assert.deepEqual((await state()).per_subject[avro]?.versions.ok, [1, 2], 'nothing was registered');
        assert.deepEqual(nulls, []);
        // The one failed request is the 409 above (chromium logs every failed fetch).
        assert.deepEqual(
          errors.filter((e) => !/status of 409|http 409: POST/.test(e)),
          [],
        );
      } catch (e) {
        await page.screenshot({ path: join(shots, `schemas-compat-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('delete: version 1 soft then permanent, then the subject soft then permanent, with Confluent codes at each step', async () => {
      const { page, errors, nulls, close } = await newPage();
      try {
        // Permanent before soft is refused by the registry (40407 / 40405), as Confluent documents.
        assert.equal((await http('DELETE', `/subjects/${avro}/versions/1?permanent=true`)).code, 40407);
        assert.equal((await http('DELETE', `/subjects/${avro}?permanent=true`)).code, 40405);

        await page.goto(`${base}/schemas/${avro}?v=1`, { waitUntil: 'networkidle' });
        await page.getByRole('button', { name: 'Delete version 1' }).click();
        await page.getByRole('button', { name: 'Soft delete' }).click();
        await toastSays(page, `Soft-deleted version 1 of ${avro}`);
        assert.deepEqual((await state()).per_subject[avro]?.versions.ok, [2]);
        assert.deepEqual((await http('GET', `/subjects/${avro}/versions?deleted=true`)).body, [1, 2]);
        assert.equal((await http('GET', `/subjects/${avro}/versions/1`)).code, 40402);
        await page.getByRole('option', { name: '1 (soft-deleted)' }).waitFor({ state: 'attached', timeout: 15_000 });
        await page.getByText('Version 1 is soft-deleted.').waitFor();
        await page.screenshot({ path: join(shots, `schemas-version-soft-deleted-${target.theme}.png`) });

        await page.getByRole('button', { name: 'Delete permanently version 1' }).click();
        await page.getByRole('button', { name: 'Delete permanently', exact: true }).click();
        await toastSays(page, `Permanently deleted version 1 of ${avro}`);
        assert.deepEqual((await http('GET', `/subjects/${avro}/versions?deleted=true`)).body, [2]);
        assert.equal((await http('GET', `/subjects/${avro}/versions/1?deleted=true`)).code, 40402);

        await page.getByRole('button', { name: 'Delete subject' }).click();
        await page.getByRole('button', { name: 'Soft delete' }).click();
        await toastSays(page, `Soft-deleted subject ${avro}`);
        const afterSoft = await state();
        assert.ok(!afterSoft.subjects.includes(avro), 'the Python client no longer lists it');
        assert.equal(afterSoft.per_subject[avro]?.versions.error_code, 40401);
        assert.ok(((await http('GET', '/subjects?deleted=true')).body as string[]).includes(avro));
        assert.equal((await http('DELETE', `/subjects/${avro}`)).code, 40404, 'a second soft delete: 40404');
        const listed = page.getByRole('listitem').filter({ hasText: avro });
        await listed.getByText('soft-deleted').waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(shots, `schemas-subject-soft-deleted-${target.theme}.png`) });

        await page.getByRole('button', { name: 'Delete permanently subject' }).click();
        await page.getByRole('button', { name: 'Delete permanently', exact: true }).click();
        await toastSays(page, `Permanently deleted subject ${avro}`);
        assert.ok(!((await http('GET', '/subjects?deleted=true')).body as string[]).includes(avro));
        assert.equal((await http('GET', `/subjects/${avro}/versions?deleted=true`)).code, 40401);
        await page.waitForURL(/\/schemas\?deleted=1$/);
        await listed.waitFor({ state: 'detached', timeout: 15_000 });
        // The other subjects are untouched.
        assert.deepEqual(
          (await state()).subjects.filter((x) => x.startsWith(run)),
          [json, proto].sort(),
        );
        assert.deepEqual(nulls, []);
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `schemas-delete-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });
  });
}
