// The generator end to end against the embedded MQTT broker (@seaway/mqtt-broker): the CLI with
// a small -messages count and --json, what subscribers receive, replay inputs with malformed
// lines, failure modes (unreachable server, unfitting schema) and the programmatic run API.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type MqttBroker, startMqttBroker } from '@seaway/mqtt-broker';
import mqtt from 'mqtt';
import { sharedData } from '../../../scripts/testing/needs.mjs';
import { type CliIo, main } from '../src/cli.ts';
import { avroType, FDD_VALUE_SCHEMA, SEED_SCHEMA } from '../src/formats/schemas.ts';
import { startGeneratorRun } from '../src/gen/run.ts';
import { startLiveStream } from '../src/live-stream.ts';
import { replayFileGz } from './replay-fixture.ts';

let broker: MqttBroker;
let server: string;
const dir = mkdtempSync(join(tmpdir(), 'ais-gen-'));

before(async () => {
  broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  server = `127.0.0.1:${broker.port}`;
});
after(async () => {
  await broker.close();
});

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (s: string) => {
      io.out += s;
    },
    stderr: (s: string) => {
      io.err += s;
    },
  };
  return io;
}

async function subscribe(
  topic: string,
): Promise<{ messages: Array<{ topic: string; payload: Buffer }>; close(): Promise<void> }> {
  const client = await mqtt.connectAsync(`mqtt://${server}`, { clientId: `sub-${Math.random()}` });
  const messages: Array<{ topic: string; payload: Buffer }> = [];
  client.on('message', (t, p) => messages.push({ topic: t, payload: p }));
  await client.subscribeAsync(topic, { qos: 1 });
  return { messages, close: () => client.endAsync() };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the CLI publishes -messages Avro records with QoS 1 and prints a JSON summary', async () => {
  const sub = await subscribe('/ais');
  const io = capture();
  const code = await main(
    ['-server', `tcp://${server}`, '-messages', '300', '-workers', '4', '-fleet', '50', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  const summary = JSON.parse(io.out);
  assert.equal(summary.messages, 300);
  assert.equal(summary.sent, 300);
  assert.equal(summary.errors, 0);
  assert.equal(summary.malformed, 0);
  assert.ok(summary.msgPerSec > 0);
  assert.ok(summary.latencyMs.p50 > 0 && summary.latencyMs.p99 >= summary.latencyMs.p50);
  await until(() => sub.messages.length === 300);
  const type = avroType(SEED_SCHEMA);
  const mmsis = new Set(sub.messages.map((m) => type.fromBuffer(m.payload).MMSI));
  assert.ok(mmsis.size > 20, `records from ${mmsis.size} vessels`);
  await sub.close();
});

test('-inflight, -qos 0 and -qos 2 deliver every message; -topic-per-vessel keys the topic by MMSI', async () => {
  const sub = await subscribe('/fleet/#');
  for (const qos of ['0', '2']) {
    const io = capture();
    const code = await main(
      [
        '-server',
        server,
        '-origin',
        '/fleet',
        '-topic-per-vessel',
        '-messages',
        '200',
        '-workers',
        '2',
        '-inflight',
        '16',
        '-qos',
        qos,
        '-format',
        'json',
        '--json',
      ],
      io,
    );
    assert.equal(code, 0, io.err);
    assert.equal(JSON.parse(io.out).messages, 200);
  }
  await until(() => sub.messages.length === 400);
  for (const m of sub.messages.slice(0, 50)) assert.equal(m.topic, `/fleet/${JSON.parse(m.payload.toString()).MMSI}`);
  await sub.close();
});

test('-nmea replays types 1-3, loops to -messages and counts malformed lines', async () => {
  const file = join(dir, 'in.nmea');
  writeFileSync(
    file,
    [
      '# a comment',
      '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
      '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B', // bad checksum
      'garbage line',
      '!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D', // type 24: skipped, not malformed
      '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42',
    ].join('\n'),
  );
  const sub = await subscribe('/nmea');
  const io = capture();
  const code = await main(
    [
      '-server',
      server,
      '-origin',
      '/nmea',
      '-nmea',
      file,
      '-messages',
      '5',
      '-workers',
      '1',
      '-format',
      'nmea',
      '--json',
    ],
    io,
  );
  assert.equal(code, 0, io.err);
  const summary = JSON.parse(io.out);
  assert.equal(summary.messages, 5);
  assert.equal(summary.malformed, 2);
  assert.equal(summary.looped, true);
  await until(() => sub.messages.length === 5);
  assert.equal(sub.messages[0]!.payload.toString(), '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A');
  assert.equal(sub.messages[1]!.payload.toString(), '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42');
  await sub.close();
});

const fddReplay = sharedData('data/fast-data-dev/ais.txt.gz');

test("-replay sends fast-data-dev's sample lines", {
  skip: !fddReplay && 'no ../shared/data beside the repository',
}, async () => {
  const file = fddReplay as string;
  const io = capture();
  const code = await main(
    ['-server', server, '-replay', file, '-messages', '50', '-workers', '2', '-format', 'fdd', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  const s = JSON.parse(io.out);
  assert.equal(s.messages, 50);
  assert.match(s.source, /5000 records/);
});

test("-replay sends lines in fast-data-dev's shape from a gzip file", async () => {
  const file = join(dir, 'replay.txt.gz');
  writeFileSync(file, replayFileGz(120));
  const io = capture();
  const code = await main(
    ['-server', server, '-replay', file, '-messages', '50', '-workers', '2', '-format', 'fdd', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  const s = JSON.parse(io.out);
  assert.equal(s.messages, 50);
  assert.match(s.source, /120 records/);
});

test('an unreachable server fails fast with its address in the message', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const io = capture();
  const t0 = Date.now();
  const code = await main(['-server', `127.0.0.1:${port}`, '-messages', '10', '--json'], io);
  assert.equal(code, 1);
  assert.ok(Date.now() - t0 < 5000);
  const { error } = JSON.parse(io.out);
  assert.equal(error.code, 'SEAWAY_AIS_CONNECT');
  assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
});

test('a schema file that does not fit the record fails at start naming the field', async () => {
  const file = join(dir, 'bad.avsc');
  writeFileSync(
    file,
    JSON.stringify({
      ...SEED_SCHEMA,
      fields: SEED_SCHEMA.fields.map((f) => (f.name === 'Heading' ? { ...f, type: 'boolean' } : f)),
    }),
  );
  const io = capture();
  const code = await main(['-server', server, '-schema', file, '-messages', '10', '--json'], io);
  assert.equal(code, 1);
  const { error } = JSON.parse(io.out);
  assert.equal(error.code, 'SEAWAY_AIS_SCHEMA_MISMATCH');
  assert.match(error.message, /"Heading"/);
});

test('bad flags are reported with the flag named', async () => {
  const io = capture();
  assert.equal(await main(['-qos', '3'], io), 2);
  assert.match(io.err, /SEAWAY_AIS_CONFIG: -qos/);
  const help = capture();
  assert.equal(await main(['--help'], help), 0);
  assert.match(help.out, /-server host:port/);
});

test('a run started programmatically reports stats and stops on request', async () => {
  const run = startGeneratorRun({ server, messages: 0, rate: 200, workers: 2, fleet: 20 });
  await until(() => run.stats().messages >= 20);
  assert.equal(run.stats().state, 'running');
  run.stop();
  const summary = await run.done;
  assert.equal(run.stats().state, 'done');
  assert.ok(summary.messages >= 20);
  assert.equal(summary.errors, 0);
});

test('-procs spreads workers over processes and merges their summaries', async () => {
  const io = capture();
  const code = await main(
    ['-server', server, '-messages', '400', '-workers', '4', '-procs', '2', '-inflight', '8', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  const s = JSON.parse(io.out);
  assert.equal(s.messages, 400);
  assert.equal(s.procs, 2);
  assert.ok(s.latencyMs.p99 > 0);
});

test('the mqtt.js client gives the same result', async () => {
  const io = capture();
  const code = await main(
    ['-server', server, '-messages', '200', '-workers', '2', '-inflight', '4', '-client', 'mqttjs', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  assert.equal(JSON.parse(io.out).messages, 200);
});

test('the live stream publishes slowly to <origin>/<MMSI> until stopped', async () => {
  const sub = await subscribe('/live/#');
  const live = await startLiveStream({ mqttUrl: `mqtt://${server}`, origin: '/live', rate: 50, vessels: 10 });
  await until(() => sub.messages.length >= 10);
  await live.stop();
  const s = live.stats();
  assert.ok(s.messages >= 10 && s.errors === 0);
  const first = JSON.parse(sub.messages[0]!.payload.toString());
  assert.equal(sub.messages[0]!.topic, `/live/${first.MMSI}`);
  // Real time: reports are stamped around now, not hours ahead in simulated time.
  for (const m of sub.messages) {
    const ns = BigInt(/"Timestamp":(\d+)/.exec(m.payload.toString())![1]!);
    assert.ok(Math.abs(Number(ns / 1_000_000n) - Date.now()) < 15_000);
  }
  await sub.close();
  await assert.rejects(
    startLiveStream({ mqttUrl: 'mqtt://127.0.0.1:1', origin: '/x', rate: 1, vessels: 1 }),
    /SEAWAY_AIS_CONNECT/,
  );
});

test('-format confluent registers the schema and frames each payload with its id', async () => {
  const posted: Array<{ url: string; body: string }> = [];
  const registry = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      posted.push({ url: req.url ?? '', body });
      res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
      res.end(JSON.stringify({ id: 42 }));
    });
  });
  await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(registry.address() as { port: number }).port}`;
  const sub = await subscribe('/framed');
  const io = capture();
  const code = await main(
    [
      '-server',
      server,
      '-origin',
      '/framed',
      '-format',
      'confluent',
      '-registry',
      url,
      '-subject',
      'vessels-value',
      '-messages',
      '20',
      '-workers',
      '2',
      '--json',
    ],
    io,
  );
  registry.close();
  assert.equal(code, 0, io.err);
  assert.equal(posted.length, 1);
  assert.equal(posted[0]!.url, '/subjects/vessels-value/versions');
  assert.equal(JSON.parse(JSON.parse(posted[0]!.body).schema).name, 'aisClassAPositionReport');
  await until(() => sub.messages.length === 20);
  const p = sub.messages[0]!.payload;
  assert.equal(p[0], 0);
  assert.equal(p.readUInt32BE(1), 42);
  assert.match(avroType(FDD_VALUE_SCHEMA).fromBuffer(p.subarray(5)).location, /^-?\d+\.\d{6},-?\d+\.\d{6}$/);
  await sub.close();
});

test('-duration with -rate runs for that long and then stops', async () => {
  const io = capture();
  const code = await main(['-server', server, '-duration', '0.5', '-rate', '100', '-workers', '2', '--json'], io);
  assert.equal(code, 0, io.err);
  const s = JSON.parse(io.out);
  assert.ok(s.messages >= 10 && s.messages <= 80, `${s.messages} messages in 0.5 s at 100 msg/s`);
});

test('records are written with a -schema file that fits, promotions and defaults applied', async () => {
  const schema = {
    type: 'record',
    name: 'Slim',
    namespace: 'lab.test',
    fields: [
      { name: 'MMSI', type: 'long' },
      { name: 'Latitude', type: 'double' },
      { name: 'Longitude', type: 'double' },
      { name: 'Speed', type: 'double' },
      { name: 'Source', type: 'string', default: 'seaway' },
    ],
  };
  const file = join(dir, 'slim.avsc');
  writeFileSync(file, JSON.stringify(schema));
  const sub = await subscribe('/slim');
  const io = capture();
  const code = await main(
    ['-server', server, '-origin', '/slim', '-schema', file, '-messages', '10', '-workers', '1', '--json'],
    io,
  );
  assert.equal(code, 0, io.err);
  await until(() => sub.messages.length === 10);
  const v = avroType(schema).fromBuffer(sub.messages[0]!.payload);
  assert.equal(typeof v.MMSI, 'bigint');
  assert.equal(v.Source, 'seaway');
  assert.ok(v.Latitude >= -90 && v.Latitude <= 90);
  await sub.close();
});
