// A laptop lab (`startLab` with CONNECT_GROUP_ID) and two `seaway connect` worker processes form one
// Connect-style cluster; the console's Connectors page shows the Workers panel in chromium: the
// three workers, which one leads and which is the lab, where the connector and each task of a
// `$share` connector (tasks.max=3, mosquitto as the MQTT broker) run, and the rebalances. Checked
// against kafkajs' DescribeGroups (protocol type connect, the same member ids) and the Connect REST
// status of a worker process; after kill -9 of one worker the panel shows two workers and a newer
// generation. Kafkas: the lab's embedded broker (the workers join through its port) and Apache Kafka.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, parseConfig, startLab } from '@seaway/lab';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser } from 'playwright-core';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { CHROMIUM, launchBrowser, watchErrors } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';
import { mosquitto, type Proc, seaway, waitForPort } from '../src/processes.ts';

const chromium = command(CHROMIUM);
const mosquittoBin = command('mosquitto') as string | false;
const apache = realKafka();
const shots = join(dirname(fileURLToPath(import.meta.url)), '../screenshots');
const noTools = (!chromium && 'no chromium') || (!mosquittoBin && 'no mosquitto');
const targets = [
  { name: 'embedded Kafka broker', kafka: null, theme: 'light' as const, skip: noTools },
  {
    name: 'Apache Kafka',
    kafka: apache || null,
    theme: 'dark' as const,
    skip: noTools || (!apache && 'no real Kafka'),
  },
];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(cond: () => Promise<boolean> | boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what()} (waited ${ms} ms)`);
    await sleep(300);
  }
}

interface Status {
  connector: { state: string; worker_id: string };
  tasks: Array<{ id: number; state: string; worker_id: string }>;
}

for (const target of targets) {
  describe(`cluster workers in the console on the ${target.name} (${target.theme})`, { skip: target.skip }, () => {
    const run = `workers-${process.pid}-${Date.now().toString(36)}`;
    const group = `${run}-group`;
    const procs: Proc[] = [];
    let lab: Lab;
    let browser: Browser;
    let dir: string;
    let base: string;
    let mqttPort: number;
    let labConnect: number;
    const workerPorts: number[] = [];

    before(async () => {
      mkdirSync(shots, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), 'seaway-workers-'));
      mqttPort = await freePort();
      const m = mosquitto(mosquittoBin as string, mqttPort, dir);
      procs.push(m);
      await waitForPort(mqttPort, m);
      labConnect = await freePort();
      lab = await startLab(
        parseConfig({
          ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(await freePort()) }),
          BIND_HOST: '127.0.0.1',
          ADV_HOST: '127.0.0.1',
          WEB_PORT: String(await freePort()),
          MQTT_PORT: String(await freePort()),
          REGISTRY_PORT: '0',
          CONNECT_PORT: String(labConnect),
          CONNECT_GROUP_ID: group,
          DATA_DIR: join(dir, 'lab'),
          RUNNING_SAMPLEDATA: 'false',
          CONNECT_CONFIG_TOPIC: `${run}-configs`,
          CONNECT_STATUS_TOPIC: `${run}-status`,
          REGISTRY_TOPIC: `${run}-schemas`,
        }),
        { log: () => {} },
      );
      base = `http://127.0.0.1:${lab.webPort}`;
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const p = seaway(['connect'], {
          KAFKA_BROKERS: lab.kafkaBrokers.join(','),
          GROUP_ID: group,
          CONNECT_PORT: String(port),
          ADV_HOST: '127.0.0.1',
          CONNECT_CONFIG_TOPIC: `${run}-configs`,
          CONNECT_STATUS_TOPIC: `${run}-status`,
          SESSION_TIMEOUT_MS: '6000',
          HEARTBEAT_INTERVAL_MS: '1000',
        });
        procs.push(p);
        workerPorts.push(port);
        await waitForPort(port, p, 60_000);
      }
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      for (const p of procs) p.child.kill('SIGKILL');
      await lab?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the Workers panel shows the three workers, where each task runs, and the rebalances; a killed worker leaves it', async () => {
      const logs = () => procs.map((p) => p.output().slice(-1500)).join('\n---\n');
      // created through the lab (forwarded to the leader when the lab is not it)
      const config = {
        'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
        'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
        'connect.mqtt.service.quality': '1',
        'connect.mqtt.clean': 'false',
        'connect.mqtt.client.id': run,
        'connect.mqtt.kcql': `INSERT INTO ${run}-out SELECT * FROM \`$share/${run}/w/#\``,
        'tasks.max': '3',
      };
      let created = 0;
      await until(
        async () => {
          const r = await fetch(`${base}/api/connect/connectors`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'spread', config }),
          });
          created = r.status;
          return r.status === 201;
        },
        60_000,
        () => `POST through the lab: ${created}\n${logs()}`,
      );
      // the Connect REST status, read from a worker process
      let status: Status | undefined;
      await until(
        async () => {
          const r = await fetch(`http://127.0.0.1:${workerPorts[0]}/connectors/spread/status`);
          if (r.status !== 200) return false;
          status = (await r.json()) as Status;
          return (
            status.tasks.length === 3 &&
            status.tasks.every((t) => t.state === 'RUNNING') &&
            new Set(status.tasks.map((t) => t.worker_id)).size === 3
          );
        },
        90_000,
        () => `tasks not RUNNING on 3 workers: ${JSON.stringify(status)}\n${logs()}`,
      );
      const admin = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const described = (await admin.describeGroups([group])).groups[0];
      await admin.disconnect();
      assert.equal(described?.protocolType, 'connect', 'kafkajs: a Connect group');
      assert.equal(described?.members.length, 3, 'kafkajs: three members');

      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: target.theme });
      const page = await context.newPage();
      const errors = watchErrors(page);
      try {
        await page.goto(`${base}/connectors`, { waitUntil: 'networkidle' });
        const panel = page.getByRole('region', { name: 'Workers' });
        const rows = panel.locator('tbody tr');
        await until(
          async () => (await rows.count()) === 3,
          30_000,
          () => 'the Workers panel does not list 3 workers',
        );
        const members = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-member')));
        assert.deepEqual(
          [...members].sort(),
          described.members.map((m) => m.memberId).sort(),
          'the panel lists the members kafkajs describes',
        );
        // each task is shown on the row of the worker the REST status names
        for (const t of (status as Status).tasks) {
          const row = panel.locator(`tr[data-worker="http://${t.worker_id}"]`);
          assert.equal(await row.locator(`[data-unit="spread/${t.id}"]`).count(), 1, `task ${t.id} on ${t.worker_id}`);
        }
        const connectorRow = panel.locator(`tr[data-worker="http://${(status as Status).connector.worker_id}"]`);
        assert.equal(await connectorRow.locator('[data-unit="spread/-1"]').count(), 1, 'the connector where REST says');
        assert.equal(await panel.getByText('leader', { exact: true }).count(), 1, 'one leader');
        const self = panel.locator(`tr[data-worker="http://127.0.0.1:${labConnect}"]`);
        assert.equal(await self.getByText('this lab').count(), 1, "the lab's own row is marked");
        const generations = async () =>
          await panel
            .locator('li[data-generation]')
            .evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-generation'))));
        const before = await generations();
        assert.ok(before.length > 0, 'the rebalances are listed');
        await page.screenshot({ path: join(shots, `cluster-workers-${target.theme}.png`), fullPage: true });

        // kill -9 of a worker process: the panel drops it after the session timeout
        const victim = procs[1] as Proc;
        victim.child.kill('SIGKILL');
        await until(
          async () =>
            (await rows.count()) === 2 &&
            (await panel.locator(`tr[data-worker="http://127.0.0.1:${workerPorts[0]}"]`).count()) === 0,
          60_000,
          () => 'the killed worker is still listed',
        );
        await until(
          async () => (await panel.locator('[data-unit^="spread/"]').count()) === 4,
          60_000,
          () => 'the connector and its 3 tasks are not all placed on the 2 workers left',
        );
        const later = await generations();
        assert.ok(Math.max(...later) > Math.max(...before), 'a newer rebalance is listed');
        await page.screenshot({ path: join(shots, `cluster-workers-after-kill-${target.theme}.png`), fullPage: true });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
