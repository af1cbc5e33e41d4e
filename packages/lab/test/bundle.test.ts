// The production build (scripts/build.mjs): the bundle, built into a temporary directory, runs with
// no tsx and no sources beside it: `node <dir>/seaway.mjs start` on free ports becomes healthy, a
// connector created over the Connect REST API takes one QoS 1 publish from mqtt.js into Kafka, where
// kafkajs reads it back, on the embedded broker and on real Apache Kafka (KAFKA_BROKERS); the
// generator's -procs children run from the bundle's ais-child.mjs.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { realKafka } from '../../../scripts/testing/needs.mjs';

const run = promisify(execFile);
const buildScript = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'seaway-bundle-'));
const bundle = join(work, 'dist/seaway.mjs');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

before(async () => {
  await run(process.execPath, [buildScript, '--out', join(work, 'dist')], { timeout: 120_000 });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the build writes one bundle with every package inlined and the files it came from', () => {
  const text = readFileSync(bundle, 'utf8');
  // third-party packages are inlined: only node: builtins (and optional try/catch requires) stay imports
  // (the bundle is whitespace-minified: import statements follow each other on one line)
  const imports = [...text.matchAll(/(?:^|[;\n])import\s*[\w$*{}\s,]+?\s*from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  assert.ok(imports.length > 0, 'the bundle imports node builtins');
  assert.deepEqual(
    imports.filter((i) => !i.startsWith('node:') && !builtinModules.includes(i)),
    [],
    'no import of an installed package',
  );
  assert.ok(existsSync(join(work, 'dist/ais-child.mjs')), 'the generator child is built beside it');
  const { sources } = JSON.parse(readFileSync(join(work, 'dist/seaway.inputs.json'), 'utf8')) as {
    sources: string[];
  };
  assert.ok(sources.includes('packages/lab/src/cli.ts'));
  assert.ok(sources.includes('packages/mqtt-broker/src/session-store.ts'));
  assert.ok(!sources.some((s) => s.includes('node_modules')));
});

const apache = realKafka();
const targets = [
  { name: 'the embedded Kafka broker', kafka: null, skip: false as const },
  { name: 'Apache Kafka (KAFKA_BROKERS)', kafka: apache || null, skip: !apache && 'no real Kafka' },
];

for (const target of targets) {
  describe(`the bundle on ${target.name}`, { skip: target.skip, timeout: 180_000 }, () => {
    const id = `bundle-${process.pid}-${Date.now()}`;
    let child: ChildProcess | null = null;
    let output = '';
    let web = 0;
    let mqttPort = 0;
    let brokers = '';

    before(async () => {
      web = await freePort();
      mqttPort = await freePort();
      const brokerPort = await freePort();
      brokers = target.kafka ?? `127.0.0.1:${brokerPort}`;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ADV_HOST: '127.0.0.1',
        WEB_PORT: String(web),
        MQTT_PORT: String(mqttPort),
        REGISTRY_PORT: '0',
        CONNECT_PORT: '0',
        DATA_DIR: join(work, `data-${target.kafka ? 'apache' : 'embedded'}`),
        CONNECT_CONFIG_TOPIC: `${id}-configs`,
        CONNECT_STATUS_TOPIC: `${id}-status`,
        REGISTRY_TOPIC: `${id}-schemas`,
        ...(target.kafka ? { KAFKA_BROKERS: target.kafka } : { BROKER_PORT: String(brokerPort) }),
      };
      // cwd outside the repository: nothing is resolved from the sources or node_modules
      child = spawn(process.execPath, [bundle, 'start'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      let status = 0;
      for (let i = 0; i < 240 && status !== 200 && child.exitCode === null; i++) {
        status = await fetch(`http://127.0.0.1:${web}/api/health`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(status, 200, `/api/health never answered 200:\n${output}`);
    });

    after(async () => {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGINT');
      await exited;
    });

    test('a QoS 1 publish from mqtt.js reaches Kafka through a connector and kafkajs reads it', async () => {
      const topic = `${id}-out`;
      const created = await fetch(`http://127.0.0.1:${web}/api/connect/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: id,
          config: {
            'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
            'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
            'connect.mqtt.service.quality': '1',
            'connect.mqtt.kcql': `INSERT INTO ${topic} SELECT * FROM /bundle/${id}`,
            'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
          },
        }),
      });
      assert.equal(created.status, 201, await created.text());
      for (let i = 0; i < 120; i++) {
        const s = (await fetch(`http://127.0.0.1:${web}/api/connect/connectors/${id}/status`).then((r) =>
          r.json(),
        )) as { tasks?: { state: string }[] };
        if (s.tasks?.[0]?.state === 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 250));
      }

      const payload = `hello from the bundle ${id}`;
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: id });
      await client.publishAsync(`/bundle/${id}`, payload, { qos: 1 });
      await client.endAsync();

      const consumer = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `${id}-r` });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const value = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no record in ${topic} after 30 s`)), 30_000);
          void consumer.run({
            eachMessage: async ({ message }) => {
              clearTimeout(timer);
              resolve(String(message.value));
            },
          });
        });
        assert.equal(value, payload);
      } finally {
        await consumer.disconnect();
      }
    });

    test('the generator runs -procs 2 children from the bundle', { skip: Boolean(target.kafka) }, async () => {
      const { stdout } = await run(
        process.execPath,
        [
          bundle,
          'ais-generator',
          '-server',
          `127.0.0.1:${mqttPort}`,
          '-messages',
          '400',
          '-workers',
          '4',
          '-procs',
          '2',
          '--json',
        ],
        { cwd: work, timeout: 60_000, env: { PATH: process.env.PATH ?? '' } },
      );
      // the closing summary counts what the broker acknowledged across both children
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { messages: number; errors: number };
      assert.equal(summary.messages, 400, stdout);
      assert.equal(summary.errors, 0, stdout);
    });
  });
}
