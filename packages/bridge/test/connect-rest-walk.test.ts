// CONNECT-REST.md walked row by row over HTTP against Seaway's Connect REST API and, with Java and
// a real Kafka (SEAWAY_TEST_KAFKA), against a real Apache Kafka Connect 4.1.1 distributed worker
// running FileStreamSourceConnector from the same Kafka download: a difference is a failing row.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { connectRestPlugin } from '../src/rest/connect-plugin.ts';
import { ConnectWorker } from '../src/runtime/worker.ts';
import { memoryStore } from '../src/store/store.ts';
import { contractRows, walk } from './contract-walk.ts';
import { FakeGate, FakeSink, fakeRegistry } from './fakes.ts';

const execFileP = promisify(execFile);
const CLS = 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector';
const KAFKA_SCRIPT = new URL('../../../scripts/kafka/kafka.mjs', import.meta.url).pathname;
/** scripts/kafka's cache: the Kafka jars (libs/, with connect-runtime) and connect-file (connect-plugins/). */
const CACHE = join(process.env.SEAWAY_CACHE ?? join(homedir(), '.cache', 'seaway'), 'kafka-4.1.1');

test('CONNECT-REST.md parses into numbered rows in order', () => {
  const rows = contractRows();
  assert.ok(rows.length >= 60, `${rows.length} rows`);
  assert.deepEqual(
    rows.map((r) => r.n),
    rows.map((_, i) => i + 1),
  );
  for (const r of rows) assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/, `row ${r.n}`);
});

test('Seaway answers every row of CONNECT-REST.md', async () => {
  const worker = new ConnectWorker({
    store: memoryStore(),
    sink: new FakeSink(),
    registry: fakeRegistry(),
    gateFor: () => new FakeGate(),
    workerId: '127.0.0.1:8083',
    log: () => {},
  });
  const app = Fastify();
  await app.register(connectRestPlugin, { worker });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as { port: number }).port;
    const target = {
      url: `http://127.0.0.1:${port}`,
      vars: {
        name: 'walk',
        class: CLS,
        version: '4.1.1-seaway',
        worker: '127.0.0.1:8083',
        logger: 'seaway.bridge.task',
      },
      config: {
        'connector.class': CLS,
        name: 'walk',
        'connect.mqtt.hosts': 'tcp://127.0.0.1:1883',
        'connect.mqtt.kcql': 'INSERT INTO walk SELECT * FROM /walk',
        'connect.mqtt.service.quality': '1',
      },
      offsets: { offsets: [{ partition: { 'mqtt.topic': '/walk' }, offset: { 'message.id': 1 } }] },
    };
    const failures = await walk(target, contractRows(), 1_000);
    assert.deepEqual(failures, []);

    // The walk can fail: a target that reports another version fails exactly the rows that show it.
    const wrong = await walk(
      {
        url: `http://127.0.0.1:${port}`,
        vars: { name: 'walk2', class: CLS, version: '9.9.9', worker: '127.0.0.1:8083', logger: 'seaway.bridge.task' },
        config: { ...target.config, name: 'walk2' },
        offsets: target.offsets,
      },
      contractRows().filter((r) => [8, 10, 11, 58].includes(r.n)),
      0,
    );
    assert.deepEqual(
      wrong.map((f) => f.split(' ')[0]),
      ['#10', '#11'],
    );

    // The recipe with curl itself: -X PUT -H 'Content-Type: application/json', no body
    // (curl runs asynchronously: this process serves the requests).
    const curl = command('curl');
    if (curl) {
      await walk(
        target,
        contractRows().filter((r) => r.n === 8),
        0,
      );
      const base = `http://127.0.0.1:${port}/connectors/walk`;
      for (const [method, path, code] of [
        ['PUT', '/pause', '202'],
        ['PUT', '/resume', '202'],
        ['PUT', '/topics/reset', '202'],
        ['POST', '/restart', '204'],
        ['PUT', '/stop', '204'],
        ['DELETE', '', '204'],
        ['DELETE', '', '404'],
      ] as const) {
        const { stdout }: { stdout: string } = await execFileP(curl as string, [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-X',
          method,
          '-H',
          'Content-Type: application/json',
          base + path,
        ]);
        assert.equal(stdout, code, `curl -X ${method} …${path}`);
      }
    }
  } finally {
    await worker.close();
    await app.close();
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startConnectWorker(bootstrap: string, dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const fetched = spawnSync(process.execPath, [KAFKA_SCRIPT, 'fetch'], { stdio: 'ignore' });
  if (fetched.status !== 0) throw new Error('node scripts/kafka/kafka.mjs fetch failed (Maven Central reachable?)');
  const libsDir = join(CACHE, 'libs');
  const port = await freePort();
  const id = Math.random().toString(36).slice(2, 8);
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${bootstrap}`,
      `group.id=walk-${id}`,
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      `config.storage.topic=walk-${id}-configs`,
      `offset.storage.topic=walk-${id}-offsets`,
      `status.storage.topic=walk-${id}-status`,
      'config.storage.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      `listeners=http://127.0.0.1:${port}`,
      `plugin.path=${join(CACHE, 'connect-plugins')}`,
      'offset.flush.interval.ms=1000',
      // Kafka's own plugins ship ServiceLoader manifests: no reflective scan of ~90 jars at start.
      'plugin.discovery=service_load',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'log4j2.properties'),
    [
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.file.ref = file',
      'appender.file.type = File',
      'appender.file.name = file',
      `appender.file.fileName = ${join(dir, 'connect.log')}`,
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const cp = readdirSync(libsDir)
    .filter((f: string) => f.endsWith('.jar'))
    .map((f: string) => join(libsDir, f))
    .join(':');
  const proc = spawn(
    'java',
    [
      '-Xmx384m',
      '-XX:+UseG1GC',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
      '-cp',
      cp,
      'org.apache.kafka.connect.cli.ConnectDistributed',
      join(dir, 'worker.properties'),
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000; // the CPU is shared with other test files
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`Connect worker exited with ${proc.exitCode}; see ${join(dir, 'connect.log')}`);
    const ok = await fetch(`${url}/connectors`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { url, proc };
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`Connect worker not ready within 150 s; see ${join(dir, 'connect.log')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const kafka = realKafka();
const java = kafka ? command('java') : false;

test('a real Kafka Connect 4.1.1 worker answers every row of CONNECT-REST.md', { skip: !java }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seaway-connect-walk-'));
  const file = join(dir, 'in.txt');
  writeFileSync(file, 'hello\n');
  const { url, proc } = await startConnectWorker(kafka as string, dir);
  let passed = false;
  try {
    const port = new URL(url).port;
    const failures = await walk({
      url,
      vars: {
        name: 'walk',
        class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        version: '4.1.1',
        worker: `127.0.0.1:${port}`,
        logger: 'org.apache.kafka.connect.runtime.Worker',
      },
      config: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        name: 'walk',
        file,
        topic: `walk-out-${port}`,
      },
      offsets: { offsets: [{ partition: { filename: file }, offset: { position: 0 } }] },
    });
    assert.deepEqual(failures, []);
    passed = true;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        proc.kill('SIGKILL');
        r(undefined);
      }, 10_000);
      proc.once('exit', () => {
        clearTimeout(t);
        r(undefined);
      });
    });
    if (passed) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`the Connect worker's log stays in ${dir}\n`);
  }
});
