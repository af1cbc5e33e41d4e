// The "Broken now" list of issue 19, each checked in chromium so it fails if it comes back, on the
// embedded broker (light) and Apache Kafka (dark): the Overview's Kafka hop measures bytes, the
// bridge hop says why its rate is a multiple of MQTT's when two connectors read one MQTT topic
// (traffic from mqtt.js, records counted by kcat), tabs are titled after the page, a deleted
// topic's page offers no delete and no developer text, a finished generator run's badge is green.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';
import { runTool } from '../src/processes.ts';

const chromium = command(CHROMIUM);
const kcat = command('kcat');
const apache = realKafka();
const shots = join(dirname(fileURLToPath(import.meta.url)), '../screenshots');
const noTools = (!chromium && 'no chromium') || (!kcat && 'no kcat');
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
  describe(`console regressions on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const runId = `regr-${process.pid}-${Date.now()}`;
    let lab: Lab;
    let browser: Browser;
    let dataDir: string;
    let base: string;
    let brokers: string;

    const newPage = async (): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: target.theme });
      const page = await context.newPage();
      return { page, errors: watchErrors(page), close: () => context.close() };
    };
    const kcatCount = async (topic: string) => {
      const r = await runTool(kcat as string, ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q']);
      return r.stdout.split('\n').filter(Boolean).length;
    };

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-regr-'));
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: '0',
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
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('Overview: the Kafka hop measures bytes; two connectors on one MQTT topic are explained, not a double count', async () => {
      const topics = [`${runId}-a`, `${runId}-b`];
      for (const [i, topic] of topics.entries()) {
        const r = await fetch(`${base}/api/connect/connectors`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `${runId}-c${i}`,
            config: {
              'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
              'connect.mqtt.hosts': `tcp://127.0.0.1:${lab.mqttPort}`,
              'connect.mqtt.service.quality': '1',
              'connect.mqtt.client.id': `${runId}-c${i}`,
              'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM \`fan/#\` WITHCONVERTER=\`com.datamountaineer.streamreactor.connect.converters.source.JsonPassThroughConverter\``,
            },
          }),
        });
        assert.equal(r.status, 201, await r.text());
      }
      const { page, errors, close } = await newPage();
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${lab.mqttPort}`, { clientId: `${runId}-pub` });
      let sent = 0;
      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          await client.publishAsync(`fan/${sent % 3}`, JSON.stringify({ n: sent, pad: 'x'.repeat(200) }), { qos: 1 });
          sent++;
          await new Promise((r) => setTimeout(r, 40));
        }
      })();
      try {
        await page.goto(`${base}/`, { waitUntil: 'networkidle' });
        const kafkaBytes = page.getByTestId('kafka-bytes');
        await page.waitForFunction(
          `(() => { const t = document.querySelector('[data-testid="kafka-bytes"]')?.textContent ?? ''; return /\\d/.test(t) && t.trim() !== '0 B'; })()`,
          null,
          { timeout: 30_000 },
        );
        assert.doesNotMatch((await kafkaBytes.textContent()) ?? '', /not measured/);
        const fan = page.getByTestId('bridge-fanout');
        await fan.waitFor({ timeout: 30_000 });
        assert.match(
          (await fan.textContent()) ?? '',
          /^(1\.[89]|2\.[0-2]) records per MQTT message: several connectors/,
        );
        await page.screenshot({ path: join(shots, `overview-fanout-${target.theme}.png`) });
        publishing = false;
        await publisher;
        // What the hop explains is what Kafka holds: each message once in each connector's topic.
        const deadline = Date.now() + 20_000;
        let counts = [0, 0];
        while (Date.now() < deadline) {
          counts = [await kcatCount(topics[0] as string), await kcatCount(topics[1] as string)];
          if (counts[0] === sent && counts[1] === sent) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        assert.deepEqual(counts, [sent, sent]);
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `overview-fanout-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        publishing = false;
        await publisher;
        await client.endAsync();
        await close();
      }
    });

    test('Pause live updates holds the Overview while messages flow; Resume shows what came meanwhile', async () => {
      const { page, errors, close } = await newPage();
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${lab.mqttPort}`, { clientId: `${runId}-pub2` });
      let publishing = true;
      let sent = 0;
      const publisher = (async () => {
        while (publishing) {
          await client.publishAsync('fan/p', `{"p":${sent++}}`, { qos: 1 });
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const mqttTotal = async () =>
        Number(((await page.locator('[data-hop="mqtt"] .hop-total').textContent()) ?? '').replace(/[^0-9]/g, ''));
      try {
        await page.goto(`${base}/`, { waitUntil: 'networkidle' });
        await page.waitForFunction(
          `Number((document.querySelector('[data-hop="mqtt"] .hop-total')?.textContent ?? '').replace(/[^0-9]/g, '')) > 0`,
          null,
          { timeout: 20_000 },
        );
        await page.getByRole('button', { name: 'Pause live updates' }).click();
        await page.getByText('live, paused').waitFor();
        const held = await mqttTotal();
        const sentAtPause = sent;
        while (sent < sentAtPause + 40) await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 1500)); // a frame or more after those messages
        assert.equal(await mqttTotal(), held, 'the figures hold while paused');
        await page.screenshot({ path: join(shots, `overview-paused-${target.theme}.png`) });
        await page.getByRole('button', { name: 'Resume live updates' }).click();
        await page.waitForFunction(
          `Number((document.querySelector('[data-hop="mqtt"] .hop-total')?.textContent ?? '').replace(/[^0-9]/g, '')) >= ${held + 40}`,
          null,
          { timeout: 10_000 },
        );
        assert.deepEqual(errors, []);
      } finally {
        publishing = false;
        await publisher;
        await client.endAsync();
        await close();
      }
    });

    test('tabs are titled after the page and the thing shown', async () => {
      const topic = `${runId}-titled`;
      assert.equal((await runTool(kcat as string, ['-P', '-b', brokers, '-t', topic], 'x\n')).code, 0);
      const { page, close } = await newPage();
      try {
        const cases: [string, string][] = [
          ['/', 'Overview · Seaway'],
          ['/topics', 'Topics · Seaway'],
          [`/topics/${topic}`, `${topic} · Topics · Seaway`],
          ['/connectors', 'Connectors · Seaway'],
          ['/groups', 'Consumer groups · Seaway'],
          ['/generator', 'Generator · Seaway'],
        ];
        for (const [path, title] of cases) {
          await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
          // The shell sets the title in an effect after its first render: give it that render.
          await page
            .waitForFunction(`document.title === ${JSON.stringify(title)}`, null, { timeout: 5_000 })
            .catch(() => {});
          assert.equal(await page.title(), title, path);
        }
      } finally {
        await close();
      }
    });

    test("a deleted topic's page has no Delete and no developer text", async () => {
      const topic = `${runId}-gone`;
      assert.equal((await runTool(kcat as string, ['-P', '-b', brokers, '-t', topic], 'x\n')).code, 0);
      const { page, close } = await newPage();
      try {
        await page.goto(`${base}/topics/${topic}`, { waitUntil: 'networkidle' });
        await page.getByRole('button', { name: 'Delete topic' }).click();
        await page.getByRole('button', { name: 'Delete', exact: true }).click();
        await page.waitForURL(/\/topics$/);
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          // The whole list: `kcat -L -t <topic>` would create the topic again on a broker that auto-creates.
          const r = await runTool(kcat as string, ['-L', '-b', brokers]);
          if (!r.stdout.includes(`topic "${topic}" with`)) break;
          await new Promise((res) => setTimeout(res, 500));
        }
        await page.goto(`${base}/topics/${topic}`, { waitUntil: 'networkidle' });
        await page.getByText(/There is no topic/).waitFor({ timeout: 15_000 });
        assert.equal(await page.getByRole('button', { name: 'Delete topic' }).count(), 0);
        const text = (await page.locator('main').textContent()) ?? '';
        assert.doesNotMatch(text, /GET \/api|pick one from/);
        await page.screenshot({ path: join(shots, `deleted-topic-${target.theme}.png`) });
      } finally {
        await close();
      }
    });

    test("a finished generator run's done badge is green, not amber", async () => {
      const { page, errors, close } = await newPage();
      try {
        await page.goto(`${base}/generator`, { waitUntil: 'networkidle' });
        const form = page.getByRole('form', { name: 'Start a generator run' });
        await form.getByLabel('Messages (0 = until stopped)').fill('50');
        await form.getByRole('button', { name: 'Start run' }).click();
        const done = page.locator('.badge', { hasText: /^done$/ }).first();
        await done.waitFor({ timeout: 60_000 });
        assert.match((await done.getAttribute('class')) ?? '', /badge-ok/);
        // Computed colours of the done badge and of a warning badge drawn beside it.
        const [colour, warn] = (await page.evaluate(`(() => {
          const probe = document.createElement('span');
          probe.className = 'badge badge-warn';
          document.body.append(probe);
          const out = [getComputedStyle([...document.querySelectorAll('.badge')].find((e) => e.textContent === 'done')).color, getComputedStyle(probe).color];
          probe.remove();
          return out;
        })()`)) as [string, string];
        assert.notEqual(colour, warn, 'done is not drawn in the warning colour');
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
  });
}
