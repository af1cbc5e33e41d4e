import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import mqtt from 'mqtt';
import { startMqttBroker } from '../src/index.ts';
import { withBroker } from './helpers.ts';

const base = mkdtempSync(join(tmpdir(), 'seaway-sessions-'));
after(() => rmSync(base, { recursive: true, force: true }));

// Call right after mqtt.connect(), before any await: a resumed session's queued messages arrive
// with the CONNACK, and mqtt.js emits them before code awaiting the connection runs again.
async function collect(c: mqtt.MqttClient, n: number): Promise<string[]> {
  const got: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`got only ${JSON.stringify(got)}`)), 5000);
    c.on('message', (_t, p) => {
      got.push(p.toString());
      if (got.length === n) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return got;
}

test('a persistent session resumes after a broker restart with its queued QoS 1 and 2 messages', async () => {
  const dataDir = join(base, 'graceful');
  let b = await startMqttBroker({ port: 0, host: '127.0.0.1', dataDir });
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, {
    clientId: 'keeper',
    clean: false,
    reconnectPeriod: 0,
  });
  await sub.subscribeAsync('fleet/#', { qos: 2 });
  await sub.endAsync();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'p' });
  await pub.publishAsync('fleet/1', 'one', { qos: 1 });
  await pub.publishAsync('fleet/2', 'two', { qos: 2 });
  await pub.publishAsync('fleet/3', 'three', { qos: 1, retain: true });
  await pub.endAsync();
  assert.equal(b.clients().length, 0);
  await b.close();

  b = await startMqttBroker({ port: 0, host: '127.0.0.1', dataDir });
  try {
    const back = mqtt.connect(`mqtt://127.0.0.1:${b.port}`, { clientId: 'keeper', clean: false, reconnectPeriod: 0 });
    const messages = collect(back, 3);
    const [connack] = (await once(back as never, 'connect')) as [{ sessionPresent: boolean }];
    assert.equal(connack.sessionPresent, true, 'the broker remembered the session');
    // mqtt.js hands a QoS 2 message over only after the PUBREL round trip, so compare as sets
    assert.deepEqual((await messages).sort(), ['one', 'three', 'two']);
    assert.deepEqual(b.retained(), [{ topic: 'fleet/3', bytes: 5, qos: 1 }]);
    await back.endAsync();
  } finally {
    await b.close();
  }
});

test('queued messages survive the broker process being killed (SIGKILL)', async () => {
  const dataDir = join(base, 'killed');
  const start = async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/run-broker.ts'), dataDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    return { child, url: `mqtt://127.0.0.1:${Number(line.toString().trim())}` };
  };
  let run = await start();
  const sub = await mqtt.connectAsync(run.url, { clientId: 'survivor', clean: false, reconnectPeriod: 0 });
  await sub.subscribeAsync('k/#', { qos: 1 });
  await sub.endAsync();
  const pub = await mqtt.connectAsync(run.url, { clientId: 'kp', reconnectPeriod: 0 });
  for (let i = 0; i < 5; i++) await pub.publishAsync('k/x', `m${i}`, { qos: 1 });
  await pub.endAsync();
  await new Promise((r) => setTimeout(r, 50)); // one event-loop turn: the journal's write window
  run.child.kill('SIGKILL');
  await once(run.child, 'exit');

  run = await start();
  try {
    const back = mqtt.connect(run.url, { clientId: 'survivor', clean: false, reconnectPeriod: 0 });
    assert.deepEqual(await collect(back, 5), ['m0', 'm1', 'm2', 'm3', 'm4']);
    await back.endAsync();
  } finally {
    run.child.kill('SIGKILL');
  }
});

test('an offline session queues at most maxQueuedPerClient messages and counts the rest as dropped', () =>
  withBroker({ limits: { maxQueuedPerClient: 3 } }, async (b, url) => {
    const sub = await mqtt.connectAsync(url, { clientId: 'small', clean: false });
    await sub.subscribeAsync('q', { qos: 1 });
    await sub.endAsync();
    const pub = await mqtt.connectAsync(url, { clientId: 'qp' });
    for (let i = 0; i < 5; i++) await pub.publishAsync('q', `m${i}`, { qos: 1 });
    await pub.endAsync();
    assert.equal(b.stats().droppedQueueFull, 2);
    assert.deepEqual(b.sessions(), [{ clientId: 'small', queued: 3, connected: false }]);
    const back = mqtt.connect(url, { clientId: 'small', clean: false });
    assert.deepEqual(await collect(back, 3), ['m0', 'm1', 'm2']);
    await back.endAsync();
  }));

test('a clean session starts empty even when the same client id had a persistent one', () =>
  withBroker({}, async (_b, url) => {
    const sub = await mqtt.connectAsync(url, { clientId: 'flip', clean: false });
    await sub.subscribeAsync('z', { qos: 1 });
    await sub.endAsync();
    const clean = mqtt.connect(url, { clientId: 'flip', clean: true });
    const [connack] = (await once(clean as never, 'connect')) as [{ sessionPresent: boolean }];
    assert.equal(connack.sessionPresent, false);
    await clean.endAsync();
  }));

test('the journal is compacted into snapshots as it grows and the state survives a restart', async () => {
  const dataDir = join(base, 'compact');
  const cfg = { port: 0, host: '127.0.0.1', dataDir, compactBytes: 1024 };
  let b = await startMqttBroker(cfg);
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'compactee', clean: false });
  await sub.subscribeAsync('c/#', { qos: 1 });
  await sub.endAsync();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'cp' });
  for (let i = 0; i < 100; i++) await pub.publishAsync(`c/${i}`, `m${i}`, { qos: 1, retain: i % 10 === 0 });
  await pub.endAsync();
  const files = readdirSync(dataDir).sort();
  assert.equal(files.filter((f) => f.startsWith('snapshot-')).length, 1, `one snapshot left: ${files}`);
  assert.ok(Number(/snapshot-(\d+)/.exec(files.join(' '))?.[1]) > 3, `several compactions happened: ${files}`);
  await b.close();
  b = await startMqttBroker(cfg);
  try {
    assert.equal(b.retained().length, 10);
    const back = mqtt.connect(`mqtt://127.0.0.1:${b.port}`, { clientId: 'compactee', clean: false });
    const got = await collect(back, 100);
    assert.deepEqual(
      got,
      Array.from({ length: 100 }, (_, i) => `m${i}`),
    );
    await back.endAsync();
  } finally {
    await b.close();
  }
});

test('a data directory that cannot be used fails start with SEAWAY_MQTT_PERSISTENCE', async () => {
  const file = join(base, 'not-a-dir');
  writeFileSync(file, 'x');
  await assert.rejects(startMqttBroker({ port: 0, host: '127.0.0.1', dataDir: file }), {
    code: 'SEAWAY_MQTT_PERSISTENCE',
  });
});

test('a torn or corrupt journal tail is logged and skipped; what came before it survives', async () => {
  const dataDir = join(base, 'torn');
  let b = await startMqttBroker({ port: 0, host: '127.0.0.1', dataDir });
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, {
    clientId: 'torn',
    clean: false,
    reconnectPeriod: 0,
  });
  await sub.subscribeAsync('torn/#', { qos: 1 });
  await sub.endAsync();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'torn-pub' });
  await pub.publishAsync('torn/1', 'kept', { qos: 1 });
  await pub.endAsync();
  await b.close();

  // What a crash mid-write (half a record) or a damaged disk block leaves at the end of the journal.
  const journal = readdirSync(dataDir)
    .filter((f) => /^journal-\d+\.jsonl$/.test(f))
    .sort()
    .at(-1);
  assert.ok(journal, `a journal file in ${readdirSync(dataDir).join(', ')}`);
  appendFileSync(join(dataDir, journal), '{"o":"q","c":["torn"],"p":{"topic":"torn/2","pay\u0000\u00ff garbage');

  const lines: string[] = [];
  b = await startMqttBroker({ port: 0, host: '127.0.0.1', dataDir, log: (l) => lines.push(l) });
  try {
    assert.ok(
      lines.some((l) => l.includes(journal) && /torn line \d+; ignoring the rest/.test(l)),
      `a log line names the file: ${JSON.stringify(lines)}`,
    );
    const back = mqtt.connect(`mqtt://127.0.0.1:${b.port}`, { clientId: 'torn', clean: false, reconnectPeriod: 0 });
    const messages = collect(back, 1);
    const [connack] = (await once(back as never, 'connect')) as [{ sessionPresent: boolean }];
    assert.equal(connack.sessionPresent, true);
    assert.deepEqual(await messages, ['kept']);
    // The store keeps journaling after the damage: a new message reaches the session too.
    const pub2 = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { clientId: 'torn-pub' });
    const next = collect(back, 1);
    await pub2.publishAsync('torn/3', 'after', { qos: 1 });
    await pub2.endAsync();
    assert.deepEqual(await next, ['after']);
    await back.endAsync();
  } finally {
    await b.close();
  }
});
