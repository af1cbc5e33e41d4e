// Connectors in the console, clicked through in chromium on the embedded broker (light theme) and on
// real Apache Kafka (dark theme): every template of the catalogue creates a connector that moves
// what mosquitto_pub publishes into Kafka (read back with kcat, the Avro one with kafkajs, avsc and
// the registry over plain HTTP); a broken payload is dead-lettered, and the card links the target
// and dead-letter topics, shows the reason from the record's __connect.errors.* headers (kcat reads
// the same headers) and does not count the dead letter as out; Validate highlights a misspelled key.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';
import { runTool } from '../src/processes.ts';

const chromium = command(CHROMIUM);
const kcat = command('kcat');
const mosquittoPub = command('mosquitto_pub');
const apache = realKafka();
const shots = join(dirname(fileURLToPath(import.meta.url)), '../screenshots');
const noTools =
  (!chromium && 'no chromium') || (!kcat && 'no kcat') || (!mosquittoPub && 'no mosquitto_pub (mosquitto-clients)');
const targets = [
  { name: 'embedded Kafka broker', kafka: null, theme: 'light' as const, skip: noTools },
  {
    name: 'Apache Kafka',
    kafka: apache || null,
    theme: 'dark' as const,
    skip: noTools || (!apache && 'no real Kafka'),
  },
];

for (const target of targets) {
  describe(`connectors in the console on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const runId = `conn-${process.pid}-${Date.now()}`;
    let lab: Lab;
    let browser: Browser;
    let dataDir: string;
    let base: string;
    let brokers: string;
    let mqttPort: number;
    let registry: string;

    const pub = async (topic: string, message: string) => {
      const r = await runTool(mosquittoPub as string, [
        '-h',
        '127.0.0.1',
        '-p',
        String(mqttPort),
        '-q',
        '1',
        '-t',
        topic,
        '-m',
        message,
      ]);
      assert.equal(r.code, 0, `mosquitto_pub failed: ${r.stderr}`);
    };
    /** key, value and headers of every record, as kcat reads them, once there are at least `n`. */
    const kcatRead = async (topic: string, n: number) => {
      const deadline = Date.now() + 30_000;
      let rows: { key: string; value: string; headers: string }[] = [];
      while (Date.now() < deadline) {
        const r = await runTool(kcat as string, [
          '-C',
          '-b',
          brokers,
          '-t',
          topic,
          '-o',
          'beginning',
          '-e',
          '-q',
          '-f',
          '%k\\t%s\\t%h\\n',
        ]);
        rows = r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const [key = '', value = '', headers = ''] = l.split('\t');
            return { key, value, headers };
          });
        if (rows.length >= n) return rows;
        await new Promise((res) => setTimeout(res, 500));
      }
      assert.fail(`kcat read ${rows.length} records from ${topic}, wanted ${n}`);
    };
    const newPage = async (): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: target.theme });
      const page = await context.newPage();
      return { page, errors: watchErrors(page), close: () => context.close() };
    };
    const card = (page: Page, name: string) => page.locator('article.connector').filter({ hasText: name });
    /** Picks a template, renames the connector and its topic for this run, creates it, waits for RUNNING tasks. */
    const createFrom = async (page: Page, title: string, name: string, fromTopic: string, toTopic: string) => {
      await page.goto(`${base}/connectors?new=1`, { waitUntil: 'networkidle' });
      await page.getByRole('group', { name: 'Templates' }).getByRole('button', { name: title }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      // The client id follows the name: two connectors from one template get their own MQTT sessions.
      assert.equal(await page.getByLabel('connect.mqtt.client.id', { exact: true }).inputValue(), `seaway-${name}`);
      const kcql = page.getByLabel('connect.mqtt.kcql', { exact: true });
      const text = await kcql.inputValue();
      assert.ok(text.includes(`INSERT INTO ${fromTopic} `), text);
      await kcql.fill(text.replaceAll(`INSERT INTO ${fromTopic} `, `INSERT INTO ${toTopic} `));
      await page.getByRole('button', { name: 'Validate and create' }).click();
      await page.waitForURL(new RegExp(`/connectors\\?open=${name}$`), { timeout: 15_000 });
      const c = card(page, name);
      await c.locator('.tasks .badge', { hasText: 'RUNNING' }).first().waitFor({ timeout: 30_000 });
      await c.getByRole('link', { name: toTopic }).waitFor();
      return c;
    };

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-conn-'));
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: String(await freePort()),
          CONNECT_PORT: String(await freePort()),
          DATA_DIR: dataDir,
          RUNNING_SAMPLEDATA: 'false',
          SAMPLEDATA: 'false',
          CONNECT_CONFIG_TOPIC: `${runId}-configs`,
          CONNECT_STATUS_TOPIC: `${runId}-status`,
          REGISTRY_TOPIC: `${runId}-schemas`,
        }),
        { log: () => {} },
      );
      base = `http://127.0.0.1:${lab.webPort}`;
      brokers = lab.kafkaBrokers.join(',');
      mqttPort = lab.mqttPort as number;
      registry = `http://127.0.0.1:${lab.registryPort}`;
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('each template of the catalogue makes a working connector: what mosquitto_pub sends, kcat reads', async () => {
      const { page, errors, close } = await newPage();
      try {
        // Per-device wildcard: two devices, both accepted (no per-topic record name to collide).
        const telemetry = `${runId}-telemetry`;
        await createFrom(page, 'Per-device topics (wildcard)', `${runId}-dev`, 'device-telemetry', telemetry);
        await pub('devices/d1/telemetry', '{"rpm":1200}');
        await pub('devices/d2/telemetry', '{"rpm":900}');
        const tel = await kcatRead(telemetry, 2);
        assert.deepEqual(tel.map((r) => r.value).sort(), ['{"rpm":1200}', '{"rpm":900}']);

        // Keyed: the key is the payload's deviceId.
        const state = `${runId}-state`;
        await createFrom(page, 'Keyed by device id', `${runId}-keyed`, 'device-state', state);
        await pub('devices/d7/state', '{"deviceId":"d7","on":true}');
        await pub('devices/d8/state', '{"deviceId":"d8","on":false}');
        const st = await kcatRead(state, 2);
        assert.deepEqual(st.map((r) => r.key).sort(), ['d7', 'd8']);

        // $share: two tasks share readings/# and alerts/#, each message written once.
        const shared = `${runId}-shared`;
        const c = await createFrom(page, 'Shared subscription ($share)', `${runId}-share`, 'shared-readings', shared);
        await c.locator('.tasks .badge', { hasText: 'RUNNING' }).nth(1).waitFor({ timeout: 30_000 });
        assert.equal(await c.locator('.tasks .badge').count(), 2, 'two tasks');
        for (let i = 0; i < 6; i++) await pub(`${i % 2 ? 'alerts' : 'readings'}/r${i}`, `{"v":${i}}`);
        const sh = await kcatRead(shared, 6);
        assert.deepEqual(
          sh.map((r) => r.value).sort(),
          [0, 1, 2, 3, 4, 5].map((i) => `{"v":${i}}`),
        );

        // JSON sensors: Avro records under a registered schema, read with kafkajs and decoded by avsc.
        const readings = `${runId}-readings`;
        await createFrom(page, 'JSON sensors', `${runId}-json`, 'sensor-readings', readings);
        await pub('sensors/temperature', '{"sensor":"t1","celsius":21.5}');
        const [rec] = await kcatRead(readings, 1);
        assert.ok(rec);
        const consumer = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).consumer({
          groupId: `${runId}-reader`,
        });
        await consumer.connect();
        await consumer.subscribe({ topic: readings, fromBeginning: true });
        const value = await new Promise<Buffer>((resolve) => {
          void consumer.run({ eachMessage: async ({ message }) => resolve(message.value as Buffer) });
        });
        await consumer.disconnect();
        assert.equal(value[0], 0, 'Confluent framing: magic byte 0');
        const id = value.readInt32BE(1);
        const schema = (await (await fetch(`${registry}/schemas/ids/${id}`)).json()) as { schema: string };
        const decoded = avro.Type.forSchema(JSON.parse(schema.schema)).fromBuffer(value.subarray(5)) as Record<
          string,
          unknown
        >;
        assert.equal(decoded.sensor, 't1');
        assert.equal(decoded.celsius, 21.5);
        await page.screenshot({ path: join(shots, `connectors-templates-${target.theme}.png`) });
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `connectors-templates-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('a dead letter: the card links both topics, gives the reason from the record headers, does not count it as out; each action toasts', async () => {
      const { page, errors, close } = await newPage();
      try {
        const readings = `${runId}-dl-readings`;
        const name = `${runId}-dl`;
        const c = await createFrom(page, 'JSON sensors', name, 'sensor-readings', readings);
        await pub('sensors/temperature', '{"sensor":"t2","celsius":19}');
        await pub('sensors/temperature', '{broken');
        const dlq = `${name}-dlq`;
        const [dead] = await kcatRead(dlq, 1);
        assert.equal(dead?.value, '{broken');
        assert.match(dead?.headers ?? '', /__connect\.errors\.exception\.message=[^,]*Failed to parse json/);
        const note = c.getByRole('note', { name: 'Why the newest message was dead-lettered' });
        await note.waitFor({ timeout: 20_000 });
        const reason = (await note.textContent()) ?? '';
        assert.match(reason, /from MQTT sensors\/temperature/);
        assert.match(reason, /Failed to parse json/);
        await c.getByText('2 in · 1 out').waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(shots, `connectors-dead-letter-${target.theme}.png`) });
        await c.getByRole('link', { name: dlq }).click();
        await page.waitForURL(new RegExp(`/topics/${dlq}$`));
        await page.getByText('{broken').first().waitFor({ timeout: 15_000 });
        await page.goBack();
        await card(page, name).getByRole('link', { name: readings }).click();
        await page.waitForURL(new RegExp(`/topics/${readings}$`));

        // Every action answers with a toast, and the state it asked for shows on the card.
        await page.goto(`${base}/connectors?open=${name}`, { waitUntil: 'networkidle' });
        const toast = (text: string) => page.locator('.toasts').getByText(text).first().waitFor({ timeout: 15_000 });
        const head = card(page, name).locator('.connector-head');
        await card(page, name).getByRole('button', { name: 'Pause' }).click();
        await toast(`Paused ${name}`);
        await head.locator('.badge', { hasText: 'PAUSED' }).first().waitFor({ timeout: 15_000 });
        await card(page, name).getByRole('button', { name: 'Resume' }).click();
        await toast(`Resumed ${name}`);
        await card(page, name).getByRole('button', { name: 'Restart all' }).click();
        await toast(`Restarting ${name} and its tasks`);
        await card(page, name).getByRole('button', { name: 'Restart failed' }).click();
        await toast(`Restarting the failed tasks of ${name}`);
        await card(page, name).getByRole('button', { name: 'Restart task' }).click();
        await toast(`Restarting task 0 of ${name}`);
        await card(page, name).getByRole('button', { name: 'Stop' }).click();
        await toast(`Stopped ${name}`);
        await head.locator('.badge', { hasText: 'STOPPED' }).first().waitFor({ timeout: 15_000 });
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `connectors-dead-letter-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('Validate flags a misspelled key (connect.mqtt.kcqll) on its highlighted row and creates nothing', async () => {
      const { page, errors, close } = await newPage();
      try {
        const name = `${runId}-typo`;
        await page.goto(`${base}/connectors?new=1`, { waitUntil: 'networkidle' });
        await page.getByRole('group', { name: 'Templates' }).getByRole('button', { name: 'JSON sensors' }).click();
        await page.getByLabel('Name', { exact: true }).fill(name);
        const keys = page.locator('table.config-edit input[aria-label^="Key "]');
        const all = await keys.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
        const i = all.indexOf('connect.mqtt.kcql');
        assert.ok(i >= 0);
        await keys.nth(i).fill('connect.mqtt.kcqll');
        await page.getByRole('button', { name: 'Validate', exact: true }).click();
        const row = page.locator('table.config-edit tr.has-error');
        await row.first().waitFor({ timeout: 15_000 });
        assert.equal(
          await row.locator('input').first().inputValue(),
          'connect.mqtt.kcqll',
          'the misspelled row is highlighted',
        );
        assert.match((await row.getByRole('alert').textContent()) ?? '', /did you mean connect\.mqtt\.kcql\?/);
        const summary =
          (await page.locator('form[aria-label="Connector configuration"] p.error-text').textContent()) ?? '';
        assert.match(summary, /1 highlighted setting/);
        assert.doesNotMatch(summary, /The config is valid/);
        await page.screenshot({ path: join(shots, `connectors-validate-typo-${target.theme}.png`) });
        const r = await fetch(`${base}/api/connect/connectors/${name}`);
        assert.equal(r.status, 404, 'nothing was created');
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `connectors-validate-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });
  });
}
