// Scenario "Seaway end to end": generator → lab MQTT → connector (created over REST) → Kafka, then
// the topic read back to count missing and duplicated records. The lab and Kafka are started by the
// caller and reused across runs; each run gets its own topic and connector. With lanes > 1 (the
// tasks sweep) the connector has one KCQL statement per lane (/ais/l<i>/#, so Stream Reactor's split
// gives one task each) and one generator process per lane shares out the workers and messages.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_SCHEMA } from '@seaway/ais';
import {
  type GeneratorOutcome,
  generatorResult,
  generatorRunFields,
  type Load,
  stallTimeoutMs,
  startGenerator,
  whenPublishing,
} from '../generator.ts';
import { round, Window } from '../sampler.ts';
import { createConnector, deleteConnector, type KafkaService, type LabService } from '../services.ts';
import { createTopic, verifyTopic } from '../verify.ts';
import type { RunResult } from './types.ts';

let runCounter = 0;

export interface BridgeRun {
  scenario: string;
  params: Record<string, string | number>;
  load: Load;
  partitions: number;
  replication: number;
  tasksMax: number;
  /** Use the AvroConverter with the seed schema (avro format only); else the BytesConverter. */
  avro: boolean;
  runId: string;
  workDir: string;
  /** Generator processes and KCQL statements (default 1). */
  lanes?: number;
}

/** Merge per-lane generator summaries: total messages over the longest lane's time. */
export function mergeSummaries(s: GeneratorOutcome[]): GeneratorOutcome {
  if (s.length === 1) return s[0] as GeneratorOutcome;
  const first = s[0] as GeneratorOutcome;
  const messages = s.reduce((a, x) => a + x.messages, 0);
  const seconds = Math.max(...s.map((x) => x.seconds));
  const lat = s.map((x) => x.latencyMs).filter((l) => l !== null);
  const stalled = s.map((x) => x.stalled).filter((x) => x !== undefined);
  return {
    ...first,
    ...(stalled.length ? { stalled: stalled.join('; ') } : {}),
    messages,
    sent: s.reduce((a, x) => a + x.sent, 0),
    errors: s.reduce((a, x) => a + x.errors, 0),
    bytes: s.reduce((a, x) => a + x.bytes, 0),
    seconds,
    msgPerSec: Math.round(messages / Math.max(seconds, 1e-9)),
    workers: s.reduce((a, x) => a + x.workers, 0),
    latencyMs: lat.length
      ? {
          p50: round(lat.reduce((a, l) => a + l.p50, 0) / lat.length, 3),
          p99: Math.max(...lat.map((l) => l.p99)),
          max: Math.max(...lat.map((l) => l.max)),
        }
      : null,
  };
}

export async function runBridge(kafka: KafkaService, lab: LabService, r: BridgeRun): Promise<RunResult> {
  const n = ++runCounter;
  const lanes = r.lanes ?? 1;
  const topic = `bench-${r.runId}-${n}`;
  const name = `bench-${r.runId}-${n}`;
  await createTopic(kafka.brokers, topic, r.partitions, r.replication);
  let schemaFile: string | undefined;
  if (r.avro && r.load.format === 'avro' && lanes === 1) {
    schemaFile = join(r.workDir, 'classAPositionReport.avsc');
    writeFileSync(schemaFile, JSON.stringify(SEED_SCHEMA, null, 2));
  }
  const origins = lanes === 1 ? ['/ais'] : Array.from({ length: lanes }, (_, i) => `/ais/l${i}`);
  await createConnector(lab.connectPort, {
    name,
    topic,
    mqttPort: lab.mqttPort,
    tasksMax: r.tasksMax,
    sources: origins.map((o) => `${o}/#`),
    ...(schemaFile ? { avroSchemaFile: schemaFile } : {}),
  });
  const gens = origins.map((origin, i) =>
    startGenerator(
      lab.mqttPort,
      {
        ...r.load,
        origin,
        workers: Math.max(1, Math.floor(r.load.workers / lanes)),
        messages: Math.floor(r.load.messages / lanes) + (i < r.load.messages % lanes ? 1 : 0),
      },
      lanes === 1 ? 'generator' : `generator-${i + 1}`,
    ),
  );
  const win = new Window([
    { name: 'lab', pid: lab.proc.pid },
    ...kafka.procs.filter((p) => p.pid !== lab.proc.pid),
    ...gens.map((g) => ({ name: g.name, pid: g.pid })),
  ]);
  const started = whenPublishing(gens).then(() => win.restart());
  const summary = mergeSummaries(
    await Promise.all(gens.map((g) => generatorResult(g, stallTimeoutMs(r.load.messages)))),
  );
  await started;
  const usage = win.end();
  const verify = await verifyTopic(kafka.brokers, topic, summary.messages);
  await deleteConnector(lab.connectPort, name);
  return {
    scenario: r.scenario,
    peer: 'seaway',
    target: kafka.kind,
    params: { ...r.params, converter: schemaFile ? 'avro' : 'bytes' },
    load: r.load,
    ...generatorRunFields(summary, usage),
    verify,
    ...(summary.stalled ? { note: `stalled: ${summary.stalled}` } : {}),
  };
}
