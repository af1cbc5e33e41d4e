// Scenario "Seaway end to end": generator → lab MQTT → connector (created over REST) → Kafka, then
// the topic read back to count missing and duplicated records. The lab and Kafka are started by the
// caller and reused across runs; each run gets its own topic and connector.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_SCHEMA } from '@seaway/ais';
import { generatorResult, type Load, startGenerator } from '../generator.ts';
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
}

export async function runBridge(kafka: KafkaService, lab: LabService, r: BridgeRun): Promise<RunResult> {
  const n = ++runCounter;
  const topic = `bench-${r.runId}-${n}`;
  const name = `bench-${n}`;
  await createTopic(kafka.brokers, topic, r.partitions, r.replication);
  let schemaFile: string | undefined;
  if (r.avro && r.load.format === 'avro') {
    schemaFile = join(r.workDir, 'classAPositionReport.avsc');
    writeFileSync(schemaFile, JSON.stringify(SEED_SCHEMA, null, 2));
  }
  await createConnector(lab.connectPort, {
    name,
    topic,
    mqttPort: lab.mqttPort,
    tasksMax: r.tasksMax,
    ...(schemaFile ? { avroSchemaFile: schemaFile } : {}),
  });
  const gen = startGenerator(lab.mqttPort, r.load);
  const win = new Window([{ name: 'lab', pid: lab.proc.pid }, ...kafka.procs, { name: 'generator', pid: gen.pid }]);
  const summary = await generatorResult(gen);
  const usage = win.end();
  const verify = await verifyTopic(kafka.brokers, topic, summary.messages);
  await deleteConnector(lab.connectPort, name);
  const perMsg: Record<string, number> = {};
  for (const u of usage) if (summary.messages > 0) perMsg[u.name] = round((u.cpuSeconds * 1e6) / summary.messages, 1);
  return {
    scenario: r.scenario,
    peer: 'seaway',
    target: kafka.kind,
    params: { ...r.params, converter: schemaFile ? 'avro' : 'bytes' },
    load: r.load,
    messages: summary.messages,
    errors: summary.errors,
    seconds: summary.seconds,
    msgPerSec: summary.msgPerSec,
    mbPerSec: round(summary.bytes / Math.max(summary.seconds, 1e-9) / 1e6, 2),
    latencyMs: summary.latencyMs,
    usage,
    cpuUsPerMsg: perMsg,
    verify,
  };
}
