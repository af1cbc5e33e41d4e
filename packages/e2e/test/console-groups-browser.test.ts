// Consumer-group operations in the console, clicked through in chromium on the embedded broker
// (light theme) and on real Apache Kafka (dark theme): a group whose offsets were committed by
// kafkajs and whose records kcat wrote is reset by N with a dry run first, then deleted; the
// committed offsets and the group list are read back with kafkajs, not through the lab.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Browser } from 'playwright-core';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';

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

function kcatProduce(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(kcat as string, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.stdin.end(input);
  });
}

for (const target of targets) {
  describe(`consumer groups in the console on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const run = `groups-${process.pid}-${Date.now()}`;
    const topic = `${run}-t`;
    const groupId = `${run}-g`;
    let lab: Lab;
    let browser: Browser;
    let admin: Admin;
    let dataDir: string;
    let base: string;

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'seaway-groups-'));
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
          CONNECT_CONFIG_TOPIC: `${run}-configs`,
          CONNECT_STATUS_TOPIC: `${run}-status`,
          REGISTRY_TOPIC: `${run}-schemas`,
        }),
        { log: () => {} },
      );
      base = `http://127.0.0.1:${lab.webPort}`;
      admin = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      // 10 records into each partition with kcat (librdkafka), then a commit at 8 and 6.
      for (const p of [0, 1]) {
        const input = `${Array.from({ length: 10 }, (_, i) => `r${p}-${i}`).join('\n')}\n`;
        // Asynchronous: the embedded broker answers from this process's event loop.
        const r = await kcatProduce(['-P', '-b', lab.kafkaBrokers.join(','), '-t', topic, '-p', String(p)], input);
        assert.equal(r.code, 0, `kcat -P failed: ${r.stderr}`);
      }
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [
          { partition: 0, offset: '8' },
          { partition: 1, offset: '6' },
        ],
      });
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await admin?.disconnect();
      await lab?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    const committed = async () =>
      Object.fromEntries(
        (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions.map((p) => [p.partition, p.offset]) ??
          [],
      );

    test('shift by −3: the dry run shows the new offsets, Apply commits them; then Delete group removes it', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: target.theme });
      const page = await context.newPage();
      const errors = watchErrors(page);
      try {
        await page.goto(`${base}/groups?q=${encodeURIComponent(groupId)}`, { waitUntil: 'networkidle' });
        await page.getByRole('button', { name: new RegExp(groupId) }).click({ timeout: 20_000 });
        const form = page.getByRole('form', { name: `Reset offsets of ${groupId}` });
        await form.getByLabel('Reset to').selectOption('shift');
        await form.getByLabel('Shift by N').fill('-3');
        await form.getByRole('button', { name: 'Dry run' }).click();
        const rows = form.getByTestId('reset-plan-row');
        await rows.first().waitFor({ timeout: 15_000 });
        assert.deepEqual(await rows.allInnerTexts().then((t) => t.map((x) => x.split(/\s+/).join(' '))), [
          '0 8 5',
          '1 6 3',
        ]);
        assert.deepEqual(await committed(), { 0: '8', 1: '6' }, 'a dry run changes nothing');
        await page.screenshot({ path: join(shots, `groups-reset-dry-run-${target.theme}.png`) });

        await form.getByRole('button', { name: 'Apply reset' }).click();
        await page.getByText(`${groupId}: offsets on ${topic} reset to shift by N`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await committed(), { 0: '5', 1: '3' }, 'kafkajs reads the applied offsets');

        // Earliest, straight to Apply after its dry run.
        await form.getByLabel('Reset to').selectOption('earliest');
        await form.getByRole('button', { name: 'Dry run' }).click();
        await page.getByRole('button', { name: 'Apply reset' }).click();
        await page.getByText(`${groupId}: offsets on ${topic} reset to earliest`).waitFor({ timeout: 15_000 });
        assert.deepEqual(await committed(), { 0: '0', 1: '0' });

        await page.getByRole('button', { name: 'Delete group' }).click();
        await page.getByRole('button', { name: 'Delete', exact: true }).click();
        await page.getByText(`Deleted consumer group ${groupId}`).waitFor({ timeout: 15_000 });
        const { groups } = await admin.listGroups();
        assert.ok(!groups.some((g) => g.groupId === groupId), 'kafkajs no longer lists the group');
        assert.deepEqual(errors, []);
      } catch (e) {
        await page.screenshot({ path: join(shots, `groups-${target.theme}-FAILED.png`) });
        throw e;
      } finally {
        await context.close();
      }
    });

    test('a live member that has committed nothing: its partitions lag by their whole log, and reset and delete are not offered', async () => {
      const live = `${run}-live`;
      const consumer = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).consumer({
        groupId: live,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      // Reads but never commits, so the group has assigned partitions and no committed offsets.
      await consumer.run({ autoCommit: false, eachMessage: async () => {} });
      const context = await browser.newContext({ colorScheme: target.theme });
      const page = await context.newPage();
      try {
        // Wait until the group has its member, as kafkajs describes it.
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          const d = await admin.describeGroups([live]);
          if (d.groups[0]?.members.length) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        await page.goto(`${base}/groups?q=${encodeURIComponent(live)}&open=${encodeURIComponent(live)}`, {
          waitUntil: 'networkidle',
        });
        await page.getByText(/Reset and delete need an empty group: stop its 1 consumer/).waitFor({ timeout: 20_000 });
        assert.equal(await page.getByRole('button', { name: 'Delete group' }).count(), 0);
        // Both partitions are listed with no commit, each lagging by its 10 records (kcat wrote them).
        const cells = page.locator('caption:has-text("Committed offsets") + thead + tbody tr');
        await cells.nth(1).waitFor({ timeout: 20_000 });
        assert.deepEqual(
          (await cells.allInnerTexts()).map((x) => x.split(/\s+/).join(' ')),
          [`${topic} 0 none 10 10`, `${topic} 1 none 10 10`],
        );
        assert.deepEqual(
          (await admin.fetchOffsets({ groupId: live, topics: [topic] }))[0]?.partitions.map((p) => p.offset),
          ['-1', '-1'],
          'kafkajs sees no commit for the live group',
        );
        await page.screenshot({ path: join(shots, `groups-live-uncommitted-${target.theme}.png`) });
      } finally {
        await context.close();
        await consumer.disconnect();
      }
    });
  });
}
