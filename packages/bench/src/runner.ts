// runBench: the whole `pnpm bench` run. Starts each Kafka in turn with a lab against it, runs the
// seed scenario and the peers interleaved per repeat (so machine noise hits them alike), then the
// selected sweeps, footprint and the optional CPU profile; writes results.json, report.md and charts.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Load } from './generator.ts';
import { LOAD_CLIENT_LABEL, type LoadClient } from './load-clients.ts';
import type { BenchOptions } from './options.ts';
import { BENCH_DIR } from './paths.ts';
import { stopAll } from './procs.ts';
import { type ProfileSummary, summariseProfile } from './profile.ts';
import { writeReport } from './report.ts';
import { readRssKB, round } from './sampler.ts';
import { runBridge } from './scenarios/bridge.ts';
import { runDirect } from './scenarios/direct.ts';
import { runJavaPerf } from './scenarios/java-perf.ts';
import { runMosquitto } from './scenarios/mosquitto.ts';
import type { RunResult } from './scenarios/types.ts';
import {
  externalKafka,
  type KafkaService,
  type LabService,
  type MosquittoService,
  startApacheKafka,
  startEmbeddedKafka,
  startLab,
  startLabWithKafka,
  startMosquitto,
  tempDir,
} from './services.ts';
import { runSweeps } from './sweeps.ts';

export interface Footprint {
  kafka: string;
  kafkaStartMs: number;
  labHealthyMs: number;
  idleRssMB: Record<string, number>;
  loadRssMaxMB: Record<string, number>;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpus: number; model: string; node: string; load1Start: number; load1End: number };
  options: BenchOptions & { brokers?: string };
  runs: RunResult[];
  footprint: Footprint[];
  ratios: Record<string, number | null>;
  profile: ProfileSummary | null;
  errors: { step: string; message: string }[];
}

export type Log = (line: string) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function computeRatios(runs: RunResult[]): Record<string, number | null> {
  const rate = (peer: string, target?: string, client?: string) =>
    median(
      runs
        .filter(
          (r) =>
            r.scenario === 'seed' &&
            r.peer === peer &&
            (!target || r.target === target) &&
            (!client || r.params.client === client),
        )
        .map((r) => r.msgPerSec),
    );
  const out: Record<string, number | null> = {};
  const clients = [
    ...new Set(runs.filter((r) => r.scenario === 'seed' && r.params.client).map((r) => String(r.params.client))),
  ];
  for (const t of ['lab', 'embedded', 'apache', 'external']) {
    // Seaway against Mosquitto with the same load client: the ratio a user's own devices would see.
    for (const c of clients) {
      const s = rate('seaway', t, c);
      const mq = rate('mosquitto', undefined, c);
      if (s !== null && mq) out[`seaway(${t}) / mosquitto, ${c}`] = round(s / mq, 2);
    }
    const s = rate('seaway', t);
    if (s === null) continue;
    const mq = rate('mosquitto');
    const direct = rate('direct-kafka', t);
    out[`seaway(${t}) / mosquitto`] = mq ? round(s / mq, 2) : null;
    out[`seaway(${t}) / direct-kafka(${t})`] = direct ? round(s / direct, 3) : null;
    const java = rate('direct-java', t);
    if (java) out[`seaway(${t}) / direct-java(${t})`] = round(s / java, 3);
  }
  return out;
}

export async function runBench(o: BenchOptions & { brokers?: string }, log: Log, command: string) {
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = o.out ?? join(BENCH_DIR, 'results', stamp);
  mkdirSync(dir, { recursive: true });
  const runId = `${started.getTime().toString(36)}${process.pid.toString(36)}`;
  const work = tempDir('work');
  const results: BenchResults = {
    startedAt: started.toISOString(),
    finishedAt: '',
    command,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      load1Start: round(loadavg()[0] ?? 0, 2),
      load1End: 0,
    },
    options: o,
    runs: [],
    footprint: [],
    ratios: {},
    profile: null,
    errors: [],
  };
  const push = (r: RunResult) => {
    results.runs.push(r);
    if (r.note?.startsWith('stalled')) {
      results.errors.push({ step: `${r.scenario} ${r.peer} ${JSON.stringify(r.params)}`, message: r.note });
      log(`! ${r.scenario} ${r.peer} ${JSON.stringify(r.params)}: ${r.note}`);
    }
    const v = r.verify;
    log(
      `  ${r.scenario.padEnd(18)} ${r.peer.padEnd(12)} ${r.target.padEnd(9)} ${String(r.msgPerSec).padStart(7)} msg/s` +
        `  p50 ${r.latencyMs?.p50 ?? '-'} ms p99 ${r.latencyMs?.p99 ?? '-'} ms` +
        (v ? `  missing ${v.missing} dup ${v.duplicated}` : '') +
        (r.errors ? `  errors ${r.errors}` : '') +
        `  (load ${r.load1})`,
    );
  };
  const step = async (label: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      const message = (err as Error).message;
      results.errors.push({ step: label, message });
      log(`! ${label} failed: ${message}`);
    }
  };
  const load1 = () => round(loadavg()[0] ?? 0, 2);
  const seedLoad: Load = { messages: o.messages, workers: o.workers, inflight: o.inflight, format: 'avro' };
  /** The seed's load made by `client`: AIS Avro from our generator, unique 100-byte payloads otherwise. */
  const clientLoad = (client: LoadClient): Load =>
    client === 'generator' ? { ...seedLoad, client } : { ...seedLoad, client, format: 'bytes100' };
  /** The seed's shape (1 partition, replication 1, one task, Avro) for a run of `scenario`. */
  const seedRun = (scenario: string, params: RunResult['params'], load = seedLoad) => ({
    scenario,
    params,
    load,
    partitions: 1,
    replication: 1,
    tasksMax: 1,
    avro: true,
    runId,
    workDir: work.path,
  });

  let mq: MosquittoService | null = null;
  try {
    if (o.peers) await step('start mosquitto', async () => void (mq = await startMosquitto()));
    const targets: ('lab' | 'embedded' | 'apache' | 'external')[] = o.brokers ? ['external'] : o.kafka;
    for (const [ti, kind] of targets.entries()) {
      let kafka: KafkaService | null = null;
      let lab: LabService | null = null;
      await step(`start ${kind} Kafka and the lab`, async () => {
        if (kind === 'lab') {
          log('starting the lab with its own embedded Kafka (as pnpm start)');
          ({ kafka, lab } = await startLabWithKafka({ id: `bench-${runId}-${kind}` }));
          log(
            `  lab healthy in ${(lab as LabService).healthyMs} ms, Kafka at ${(kafka as KafkaService).brokers.join(',')}`,
          );
          return;
        }
        log(`starting ${kind} Kafka`);
        kafka =
          kind === 'external'
            ? externalKafka((o.brokers as string).split(','))
            : kind === 'embedded'
              ? await startEmbeddedKafka()
              : await startApacheKafka();
        log(`  ready in ${kafka.startMs} ms at ${kafka.brokers.join(',')}; starting the lab`);
        lab = await startLab(kafka.brokers, { id: `bench-${runId}-${kind}` });
        log(`  lab healthy in ${lab.healthyMs} ms`);
      });
      if (!kafka || !lab) continue;
      const k = kafka as KafkaService;
      const l = lab as LabService;
      await sleep(2000);
      const fp: Footprint = {
        kafka: kind,
        kafkaStartMs: k.startMs,
        labHealthyMs: l.healthyMs,
        idleRssMB: {},
        loadRssMaxMB: {},
      };
      for (const p of [{ name: 'lab', pid: l.proc.pid }, ...k.procs.filter((x) => x.pid !== l.proc.pid)]) {
        fp.idleRssMB[p.name] = round((readRssKB(p.pid) ?? 0) / 1024, 1);
      }
      results.footprint.push(fp);
      if (o.warmup > 0) {
        // One short unrecorded run so the lab's JIT, the topic metadata and the schema registration are warm.
        await step(`warm-up on ${kind}`, async () => {
          const w = await runBridge(k, l, seedRun('warmup', {}, { ...seedLoad, messages: o.warmup }));
          log(`  warm-up: ${w.messages} messages, ${w.msgPerSec} msg/s (not recorded)`);
        });
      }
      for (let rep = 0; rep < o.repeat; rep++) {
        for (const client of o.load) {
          const load = clientLoad(client);
          const params = { repeat: rep + 1, client: LOAD_CLIENT_LABEL[client] };
          await step(`seed on ${kind} with ${client} #${rep + 1}`, async () => {
            const r = {
              ...(await runBridge(k, l, seedRun('seed', params, load))),
              load1: load1(),
            };
            push(r);
            for (const u of r.usage) {
              if (u.name === 'generator') continue;
              fp.loadRssMaxMB[u.name] = Math.max(fp.loadRssMaxMB[u.name] ?? 0, u.rssMaxMB);
            }
          });
          if (o.peers && ti === 0 && mq) {
            const m = mq as MosquittoService;
            await step(`mosquitto with ${client} #${rep + 1}`, async () => {
              const l1 = load1();
              push({ ...(await runMosquitto(m, { scenario: 'seed', params, load })), load1: l1 });
            });
          }
        }
        if (o.peers) {
          await step(`direct to ${kind} #${rep + 1}`, async () => {
            const l1 = load1();
            push({
              ...(await runDirect(k, { scenario: 'seed', runId, messages: o.messages, format: 'avro', partitions: 1 })),
              load1: l1,
            });
          });
        }
      }
      if (o.peers && o.java && kind !== 'external') {
        await step(`kafka-producer-perf-test on ${kind}`, async () => {
          const direct = results.runs.filter((r) => r.peer === 'direct-kafka' && r.verify && r.verify.records > 0);
          const v = direct.at(-1)?.verify as { bytes?: number; records: number } | undefined;
          const recordSize = v?.bytes ? Math.max(1, Math.round(v.bytes / v.records)) : 54;
          const l1 = load1();
          push({ ...(await runJavaPerf(k, { scenario: 'seed', runId, messages: o.messages, recordSize })), load1: l1 });
        });
      }
      if (ti === 0) {
        await runSweeps(o, { kafka: k, lab: l, mq, runId, workDir: work.path }, push, step, log);
      }
      if (o.profile && ti === 0) {
        await step('CPU profile of the lab', async () => {
          const profDir = join(dir, 'profile');
          mkdirSync(profDir, { recursive: true });
          const prof =
            kind === 'lab'
              ? await startLabWithKafka({ id: `bench-${runId}-prof`, cpuProfDir: profDir })
              : { kafka: k, lab: await startLab(k.brokers, { id: `bench-${runId}-prof`, cpuProfDir: profDir }) };
          const plab = prof.lab;
          try {
            push({
              ...(await runBridge(
                prof.kafka,
                plab,
                seedRun(
                  'profile',
                  { cpuProf: 'lab', client: LOAD_CLIENT_LABEL[o.load[0] ?? 'generator'] },
                  clientLoad(o.load[0] ?? 'generator'),
                ),
              )),
              load1: load1(),
            });
          } finally {
            await plab.stop();
          }
          const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
          if (!file) throw new Error(`no .cpuprofile written in ${profDir} (the lab did not exit cleanly)`);
          results.profile = summariseProfile(join(profDir, file));
        });
      }
      await l.stop();
      await k.stop();
    }
    if (o.sweeps.includes('replication') && !o.brokers) {
      await runReplicationSweep(o, runId, work.path, push, step, log);
    }
  } finally {
    await stopAll();
    work.remove();
  }
  results.machine.load1End = load1();
  results.finishedAt = new Date().toISOString();
  results.ratios = computeRatios(results.runs);
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeReport(dir, results);
  return { dir, results };
}

async function runReplicationSweep(
  o: BenchOptions,
  runId: string,
  workDir: string,
  push: (r: RunResult) => void,
  step: (label: string, fn: () => Promise<void>) => Promise<void>,
  log: Log,
): Promise<void> {
  await step('replication sweep (3-broker Apache Kafka)', async () => {
    log('starting a 3-broker Apache Kafka for the replication sweep');
    const k = await startApacheKafka({ nodes: 3 });
    try {
      const lab = await startLab(k.brokers, { id: `bench-${runId}-rf` });
      try {
        for (const rf of [1, 3]) {
          await step(`replication ${rf}`, async () => {
            const l1 = round(loadavg()[0] ?? 0, 2);
            push({
              ...(await runBridge(k, lab, {
                scenario: 'sweep-replication',
                params: { replication: rf, partitions: 9 },
                load: { messages: o.sweepMessages, workers: o.workers, inflight: o.inflight, format: 'avro' },
                partitions: 9,
                replication: rf,
                tasksMax: 1,
                avro: true,
                runId,
                workDir,
              })),
              target: 'apache-3',
              load1: l1,
            });
          });
        }
      } finally {
        await lab.stop();
      }
    } finally {
      await k.stop();
    }
  });
}
