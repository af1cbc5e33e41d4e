// Topic operations in the console, clicked through in chromium on the embedded broker (light
// theme) and on real Apache Kafka (dark theme): configs edited with the broker's refusal shown and
// read back by kafkajs, partitions added (kcat -L counts them), records purged per partition and
// all (kcat -C reads what is left), the topic list sorted by its columns, and sizes as Kafka's own
// kafka-log-dirs reports them. Records are written by kcat; nothing is checked through the lab.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import kafkajs, { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';
import { runTool } from '../src/processes.ts';

// kafkajs is CommonJS and Node cannot see this export by name.
const { ConfigResourceTypes } = kafkajs;
const chromium = command(CHROMIUM);
const kcat = command('kcat');
const apache = realKafka();
const java = javaAvailable();
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const shots = join(dirname(fileURLToPath(import.meta.url)), '../screenshots');
const noTools = (!chromium && 'no chromium') || (!kcat && 'no kcat');
if (!java) console.log('SKIPPED: topic sizes against kafka-log-dirs (no Java; .ci/run installs it)');
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
  describe(`topic operations in the console on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const runId = `topics-${process.pid}-${Date.now()}`;
    let lab: Lab;
    let browser: Browser;
    let admin: Admin;
    let dataDir: string;
    let base: string;
    let brokers: string;

    const kcatP = async (topic: string, partition: number, values: string[]) => {
      const r = await runTool(
        kcat as string,
        ['-P', '-b', brokers, '-t', topic, '-p', String(partition)],
        `${values.join('\n')}\n`,
      );
      assert.equal(r.code, 0, `kcat -P failed: ${r.stderr}`);
    };
    /** Every value left in the topic (or one partition), as kcat reads it from the beginning. */
    const kcatC = async (topic: string, partition?: number) => {
      const p = partition === undefined ? [] : ['-p', String(partition)];
      const r = await runTool(kcat as string, ['-C', '-b', brokers, '-t', topic, ...p, '-o', 'beginning', '-e', '-q']);
      assert.equal(r.code, 0, `kcat -C failed: ${r.stderr}`);
      return r.stdout.split('\n').filter(Boolean);
    };
    /** The topic's own (dynamic) configs as kafkajs describes them. */
    const dynamicConfigs = async (topic: string) => {
      const r = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
        includeSynonyms: false,
      });
      return Object.fromEntries(
        (r.resources[0]?.configEntries ?? [])
          .filter((e) => (e as { configSource?: number }).configSource === 1)
          .map((e) => [e.configName, e.configValue]),
      );
    };
    const newPage = async (): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: target.theme });
      const page = await context.newPage();
      return { page, errors: watchErrors(page), close: () => context.close() };
    };

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-topics-'));
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: '0',
          CONNECT_PORT: '0',
          DATA_DIR: dataDir,
          RUNNING_SAMPLEDATA: 'false',
          CONNECT_CONFIG_TOPIC: `${runId}-configs`,
          CONNECT_STATUS_TOPIC: `${runId}-status`,
          REGISTRY_TOPIC: `${runId}-schemas`,
        }),
        { log: () => {} },
      );
      base = `http://127.0.0.1:${lab.webPort}`;
      brokers = lab.kafkaBrokers.join(',');
      admin = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await admin?.disconnect();
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    test('configs: a value Kafka refuses shows its reason and changes nothing; set, edit, a second setting and reset are what kafkajs reads', async () => {
      const topic = `${runId}-cfg`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const { page, errors, close } = await newPage();
      try {
        await page.goto(`${base}/topics/${topic}?tab=configs`, { waitUntil: 'networkidle' });
        const set = page.getByRole('form', { name: 'Set a config' });
        await set.getByLabel('Config name').fill('retention.ms');
        await set.getByLabel('Value').fill('abc');
        await set.getByRole('button', { name: 'Set' }).click();
        const alert = set.getByRole('alert');
        await alert.waitFor({ timeout: 15_000 });
        const refusal = (await alert.textContent()) ?? '';
        assert.match(refusal, /INVALID_CONFIG/);
        assert.match(refusal, /retention\.ms/);
        assert.deepEqual(await dynamicConfigs(topic), {}, 'the refused value was not stored');
        await page.screenshot({ path: join(shots, `topic-config-refused-${target.theme}.png`) });

        await set.getByLabel('Value').fill('86400000');
        await set.getByRole('button', { name: 'Set' }).click();
        await page.getByText(`${topic}: retention.ms set to 86400000`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await dynamicConfigs(topic), { 'retention.ms': '86400000' });

        // Edit in the row, then a second setting: IncrementalAlterConfigs keeps the first one.
        const table = page.getByRole('table', { name: 'Topic configs' });
        await table.getByRole('button', { name: 'Edit retention.ms' }).click();
        await table.getByLabel('Value of retention.ms').fill('3600000');
        await table.getByRole('button', { name: 'Save' }).click();
        await page.getByText(`${topic}: retention.ms set to 3600000`).waitFor({ timeout: 15_000 });
        await set.getByLabel('Config name').fill('cleanup.policy');
        await set.getByLabel('Value').fill('compact');
        await set.getByRole('button', { name: 'Set' }).click();
        await page.getByText(`${topic}: cleanup.policy set to compact`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await dynamicConfigs(topic), { 'retention.ms': '3600000', 'cleanup.policy': 'compact' });
        await table.getByText('compact', { exact: true }).waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(shots, `topic-configs-${target.theme}.png`) });

        await table.getByRole('button', { name: 'Reset retention.ms to default' }).click();
        await page.getByText(`${topic}: retention.ms back to the default`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await dynamicConfigs(topic), { 'cleanup.policy': 'compact' });
        // The one 400 is the refusal above (chromium logs every failed fetch); nothing else failed.
        assert.deepEqual(
          errors.filter((e) => !/status of 400/.test(e)),
          [],
        );
        assert.equal(errors.length, 1);
      } catch (e) {
        await page.screenshot({ path: join(shots, `topic-configs-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('partitions: purge partition 0 before offset 4, then every partition, then add partitions; kcat reads and lists the result', async () => {
      const topic = `${runId}-parts`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      for (const p of [0, 1])
        await kcatP(
          topic,
          p,
          Array.from({ length: 10 }, (_, i) => `r${p}-${i}`),
        );
      const { page, errors, close } = await newPage();
      try {
        await page.goto(`${base}/topics/${topic}?tab=partitions`, { waitUntil: 'networkidle' });
        const rows = page.getByTestId('partition-row');
        await rows.nth(1).waitFor({ timeout: 15_000 });
        await page.getByRole('button', { name: 'Purge partition 0' }).click();
        const form = page.getByRole('form', { name: 'Purge partition 0' });
        await form.getByLabel('Delete records before offset').fill('4');
        await form.getByRole('button', { name: 'Purge' }).click();
        await page.getByText(`${topic} partition 0: log now starts at offset 4`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await kcatC(topic, 0), ['r0-4', 'r0-5', 'r0-6', 'r0-7', 'r0-8', 'r0-9']);
        assert.equal((await kcatC(topic, 1)).length, 10, 'partition 1 untouched');
        await page.getByRole('cell', { name: '4', exact: true }).first().waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(shots, `topic-purge-one-${target.theme}.png`) });

        await page.getByRole('button', { name: 'Purge all partitions' }).click();
        await page.getByRole('button', { name: 'Purge all', exact: true }).click();
        await page.getByText(`${topic}: every partition purged`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await kcatC(topic), [], 'kcat finds no record left');
        const offsets = await admin.fetchTopicOffsets(topic);
        assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [
          [0, '10', '10'],
          [1, '10', '10'],
        ]);

        const add = page.getByRole('form', { name: 'Add partitions' });
        await add.getByLabel('Partitions in total').fill('5');
        await add.getByRole('button', { name: 'Add partitions' }).click();
        await page.getByText(`${topic} now has 5 partitions`).waitFor({ timeout: 15_000 });
        const listing = await runTool(kcat as string, ['-L', '-b', brokers, '-t', topic]);
        assert.equal(listing.code, 0, listing.stderr);
        assert.equal((listing.stdout.match(/^\s+partition \d+,/gm) ?? []).length, 5, listing.stdout);
        await rows.nth(4).waitFor({ timeout: 20_000 });
        await page.screenshot({ path: join(shots, `topic-partitions-${target.theme}.png`) });
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `topic-partitions-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });

    test('the topic list sorts by records and size on a click, and its sizes are what kafka-log-dirs reports', async () => {
      const prefix = `${runId}-list`;
      const counts = { a: 1, b: 7, c: 3 } as const;
      for (const [suffix, n] of Object.entries(counts)) {
        const topic = `${prefix}-${suffix}`;
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await kcatP(
          topic,
          0,
          Array.from({ length: n }, (_, i) => `value ${i} of ${topic}`),
        );
      }
      const { page, errors, close } = await newPage();
      const names = async () =>
        (await page.getByTestId('topic-row').allInnerTexts()).map((t) => t.split(/\s+/)[0]?.slice(prefix.length + 1));
      try {
        await page.goto(`${base}/topics?q=${prefix}`, { waitUntil: 'networkidle' });
        await page.getByTestId('topic-row').nth(2).waitFor({ timeout: 15_000 });
        assert.deepEqual(await names(), ['a', 'b', 'c'], 'by name at first');
        await page.getByRole('button', { name: 'Records' }).click();
        assert.deepEqual(await names(), ['b', 'c', 'a'], 'most records first');
        assert.equal(await page.getByRole('columnheader', { name: /Records/ }).getAttribute('aria-sort'), 'descending');
        await page.getByRole('button', { name: 'Records' }).click();
        assert.deepEqual(await names(), ['a', 'c', 'b'], 'fewest records first');
        await page.getByRole('button', { name: 'Size' }).click();
        assert.deepEqual(await names(), ['b', 'c', 'a'], 'largest first');
        assert.match(page.url(), /sort=bytes&desc=1|desc=1&sort=bytes/);
        await page.screenshot({ path: join(shots, `topic-list-sorted-${target.theme}.png`) });

        if (java) {
          const r = await runTool(process.execPath, [
            join(root, 'scripts/kafka/kafka.mjs'),
            'tool',
            'kafka-log-dirs',
            '--bootstrap-server',
            brokers,
            '--describe',
            '--topic-list',
            Object.keys(counts)
              .map((s) => `${prefix}-${s}`)
              .join(','),
          ]);
          assert.equal(r.code, 0, r.stderr);
          const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
          const sizes: Record<string, number> = {};
          for (const b of json.brokers)
            for (const d of b.logDirs)
              for (const p of d.partitions) {
                const t = (p.partition as string).replace(/-\d+$/, '');
                sizes[t] = (sizes[t] ?? 0) + p.size;
              }
          const shown: Record<string, number> = {};
          for (const row of await page.getByTestId('topic-row').all()) {
            const name = ((await row.locator('td').first().textContent()) ?? '').trim();
            const title = await row.locator('td').nth(3).getAttribute('title');
            shown[name] = Number(title?.replace(/[^0-9]/g, ''));
          }
          assert.deepEqual(shown, sizes, 'sizes in the list = kafka-log-dirs');
          assert.ok(Object.values(sizes).every((s) => s > 0));
        }
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `topic-list-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await close();
      }
    });
  });
}
