// The harness's own pieces without Kafka: flag parsing and presets, the /proc sampler, profile
// attribution by package, the ratios and the SVG charts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, comparisonText } from '../src/compare.ts';
import { whenPublishing } from '../src/generator.ts';
import { parseBenchArgs } from '../src/options.ts';
import type { Proc } from '../src/procs.ts';
import { packageOf } from '../src/profile.ts';
import { computeRatios } from '../src/runner.ts';
import { readCpuTicks, readRssKB, Window } from '../src/sampler.ts';
import { parsePerfTest } from '../src/scenarios/java-perf.ts';
import type { RunResult } from '../src/scenarios/types.ts';
import { barChart, lineChart } from '../src/svg.ts';

test('--smoke shrinks counts, keeps only the embedded Kafka and drops sweeps unless told otherwise', () => {
  const o = parseBenchArgs(['--', '--smoke']);
  assert.equal(o.smoke, true);
  assert.ok(o.messages < 10_000);
  assert.deepEqual(o.kafka, ['embedded']);
  assert.deepEqual(o.sweeps, []);
  assert.equal(parseBenchArgs(['--smoke', '--messages', '500']).messages, 500);
});

test('--full selects every sweep and the profile; --sweep picks a subset', () => {
  const full = parseBenchArgs(['--full']);
  assert.deepEqual(full.sweeps, ['workers', 'inflight', 'partitions', 'tasks', 'replication', 'payload', 'converter']);
  assert.equal(full.profile, true);
  assert.deepEqual(parseBenchArgs(['--sweep', 'partitions,payload']).sweeps, ['partitions', 'payload']);
  assert.deepEqual(parseBenchArgs(['--sweep=none']).sweeps, []);
  assert.deepEqual(parseBenchArgs(['--worker-counts', '1,2']).workerCounts, [1, 2]);
});

test('bad flags fail with SEAWAY_BENCH_CONFIG', () => {
  for (const argv of [['--messages', 'lots'], ['--sweep', 'colour'], ['--kafka', 'redpanda'], ['--bogus']]) {
    assert.throws(
      () => parseBenchArgs(argv),
      (e: Error & { code?: string }) => e.code === 'SEAWAY_BENCH_CONFIG',
    );
  }
});

test('the sampler reads this process CPU ticks and RSS and counts CPU burnt inside a window', () => {
  assert.ok((readCpuTicks(process.pid) ?? -1) >= 0);
  assert.ok((readRssKB(process.pid) ?? 0) > 1000);
  assert.equal(readCpuTicks(2 ** 22 + 12345), null);
  const w = new Window([{ name: 'self', pid: process.pid }], 10);
  const until = process.cpuUsage().user + 60_000;
  let x = 0;
  while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
  const [u] = w.end();
  assert.ok(x > 0);
  assert.equal(u?.name, 'self');
  assert.ok((u?.cpuSeconds ?? 0) > 0, 'CPU seconds counted');
  assert.ok((u?.rssMaxMB ?? 0) > 1);
});

test('a restarted window counts only the CPU burnt after the restart', () => {
  const burn = (us: number) => {
    const until = process.cpuUsage().user + us;
    let x = 0;
    while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
    return x;
  };
  const w = new Window([{ name: 'self', pid: process.pid }], 10);
  burn(300_000);
  w.restart();
  const [u] = w.end();
  assert.ok((u?.cpuSeconds ?? 1) < 0.2, `the 0.3 s burnt before restart() is not counted (got ${u?.cpuSeconds})`);
});

test('whenPublishing waits for every generator\'s "connected" line, or for one to exit', async () => {
  const fake = () => {
    let err = '';
    let exit: (c: number) => void = () => {};
    const p = {
      exited: new Promise<number | null>((r) => (exit = r)),
      stderrTail: () => err,
    } as unknown as Proc;
    return { p, say: (l: string) => (err += `${l}\n`), exit: (c: number) => exit(c) };
  };
  const a = fake();
  const b = fake();
  let done = false;
  const waiting = whenPublishing([a.p, b.p]).then(() => (done = true));
  a.say('2026-11-25T00:00:00Z connected 32 workers to tcp://127.0.0.1:1883; source: fleet');
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(done, false, 'one generator is still preparing');
  b.say('2026-11-25T00:00:00Z connected 32 workers to tcp://127.0.0.1:1883; source: fleet');
  await waiting;
  const c = fake();
  const early = whenPublishing([c.p]);
  c.exit(1);
  await early; // a generator that fails before connecting does not hold the run
});

test('profile frames are attributed to their package', () => {
  assert.equal(packageOf('file:///w/node_modules/.pnpm/aedes@0.51.3/node_modules/aedes/lib/client.js', 'f'), 'aedes');
  assert.equal(
    packageOf('file:///w/node_modules/.pnpm/mqtt-packet@9.0.2/node_modules/mqtt-packet/parser.js', 'f'),
    'mqtt-packet',
  );
  assert.equal(packageOf('file:///w/node_modules/.pnpm/@scope+x@1/node_modules/@scope/x/a.js', 'f'), '@scope/x');
  assert.equal(packageOf('file:///work/main/packages/bridge/src/runtime/task.ts', 'f'), '@seaway/bridge');
  assert.equal(packageOf('node:internal/streams/readable', 'f'), 'node core');
  assert.equal(packageOf('', '(garbage collector)'), 'gc');
});

function run(peer: RunResult['peer'], target: string, msgPerSec: number): RunResult {
  return {
    scenario: 'seed',
    peer,
    target,
    params: {},
    load: { messages: 1, workers: 1, inflight: 1, format: 'avro' },
    messages: 1,
    errors: 0,
    seconds: 1,
    msgPerSec,
    mbPerSec: 0,
    latencyMs: null,
    usage: [],
    cpuUsPerMsg: {},
    verify: null,
  };
}

test('ratios compare medians of the seed runs per Kafka against Mosquitto and direct-to-Kafka', () => {
  const r = computeRatios([
    run('seaway', 'embedded', 100),
    run('seaway', 'embedded', 300),
    run('seaway', 'embedded', 200),
    run('mosquitto', 'mosquitto', 400),
    run('direct-kafka', 'embedded', 1000),
  ]);
  assert.equal(r['seaway(embedded) / mosquitto'], 0.5);
  assert.equal(r['seaway(embedded) / direct-kafka(embedded)'], 0.2);
  assert.equal(r['seaway(apache) / mosquitto'], undefined);
});

test('ratios against Mosquitto pair runs made by the same load client', () => {
  const by = (peer: RunResult['peer'], target: string, msgPerSec: number, client: string): RunResult => ({
    ...run(peer, target, msgPerSec),
    params: { client },
  });
  const r = computeRatios([
    by('seaway', 'lab', 300, 'paho Go 3.1.1'),
    by('mosquitto', 'mosquitto', 600, 'paho Go 3.1.1'),
    by('seaway', 'lab', 450, 'seaway generator'),
    by('mosquitto', 'mosquitto', 300, 'seaway generator'),
  ]);
  assert.equal(r['seaway(lab) / mosquitto, paho Go 3.1.1'], 0.5);
  assert.equal(r['seaway(lab) / mosquitto, seaway generator'], 1.5);
});

test('--load picks the load clients, in order; an unknown one is refused', () => {
  assert.deepEqual(parseBenchArgs([]).load, ['paho', 'mqttjs', 'generator']);
  assert.deepEqual(parseBenchArgs(['--smoke']).load, ['mqttjs', 'generator']);
  assert.deepEqual(parseBenchArgs(['--load', 'generator,mqttjs5']).load, ['generator', 'mqttjs5']);
  assert.throws(() => parseBenchArgs(['--load', 'emqtt-bench']), /SEAWAY_BENCH_CONFIG.*emqtt-bench/);
});

test('the regression guard gives this run against the recorded figures as ratios per peer and client', () => {
  const now: RunResult[] = [
    { ...run('seaway', 'lab', 900), params: { client: 'paho Go 3.1.1' }, usage: [], cpuUsPerMsg: { lab: 30 } },
    { ...run('seaway', 'lab', 1100), params: { client: 'paho Go 3.1.1' }, usage: [], cpuUsPerMsg: { lab: 30 } },
    { ...run('mosquitto', 'mosquitto', 500), params: { client: 'mqtt.js 3.1.1' } },
  ];
  const c = compare(now, {
    from: 'baseline.json',
    base: {
      recordedAt: 't0',
      command: 'pnpm bench',
      load1: 0.5,
      figures: { 'seaway (lab) · paho Go 3.1.1': { msgPerSec: 2000, pathUs: 20, p99: 1 } },
    },
  });
  assert.equal(c.rows.length, 1, 'only labels present in both are compared');
  assert.equal(c.rows[0]?.rate, 0.5);
  assert.match(comparisonText(c), /2000 -> +1000 \(x0\.5\)/);
});

test('charts are SVG with escaped labels and one mark per value', () => {
  const bar = barChart('a <b>', 'msg/s', ['x&y', 'z'], [{ name: 's', values: [1, 2] }]);
  assert.match(bar, /^<svg /);
  assert.ok(bar.includes('a &lt;b&gt;') && bar.includes('x&amp;y'));
  assert.ok(!bar.includes('<b>'));
  const line = lineChart('t', 'ms', 'workers', ['1', '4', '16'], [{ name: 'p50', values: [1, null, 3] }]);
  assert.equal(line.match(/<circle /g)?.length, 2);
});

test('the Java perf tool closing line is parsed into rate, MB/s and percentiles', () => {
  const out =
    '5000 records sent, 1000.0 records/sec (0.05 MB/sec), 3.1 ms avg latency, 90.0 ms max latency.\n' +
    '100000 records sent, 27716.3 records/sec (1.43 MB/sec), 40.5 ms avg latency, 400.0 ms max latency, 19 ms 50th, 300 ms 95th, 368 ms 99th, 390 ms 99.9th.\n';
  assert.deepEqual(parsePerfTest(out), {
    records: 100000,
    msgPerSec: 27716,
    mbPerSec: 1.43,
    max: 400,
    p50: 19,
    p99: 368,
  });
  assert.equal(parsePerfTest('no summary'), null);
});
