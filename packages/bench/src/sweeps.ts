// The sweeps in the seed's spirit, on the first Kafka of the run (the embedded broker by default):
// workers, in-flight per worker (Seaway and Mosquitto side by side), partitions, bridge tasks and
// payload size (the generator's formats: nmea < avro < fdd < json). Replication lives in runner.ts
// because it needs a 3-broker Apache Kafka.
import { loadavg } from 'node:os';
import type { Load } from './generator.ts';
import type { BenchOptions } from './options.ts';
import type { Log } from './runner.ts';
import { round } from './sampler.ts';
import { runBridge } from './scenarios/bridge.ts';
import { runMosquitto } from './scenarios/mosquitto.ts';
import type { RunResult } from './scenarios/types.ts';
import type { KafkaService, LabService, MosquittoService } from './services.ts';

export interface SweepContext {
  kafka: KafkaService;
  lab: LabService;
  mq: MosquittoService | null;
  runId: string;
  workDir: string;
}

type Step = (label: string, fn: () => Promise<void>) => Promise<void>;

export async function runSweeps(
  o: BenchOptions,
  c: SweepContext,
  push: (r: RunResult) => void,
  step: Step,
  log: Log,
): Promise<void> {
  const base: Load = { messages: o.sweepMessages, workers: o.workers, inflight: o.inflight, format: 'avro' };
  const l1 = () => round(loadavg()[0] ?? 0, 2);
  const bridge = async (
    scenario: string,
    params: Record<string, string | number>,
    load: Load,
    extra: { partitions?: number; tasksMax?: number; lanes?: number; avro?: boolean } = {},
  ) => {
    await step(`${scenario} ${JSON.stringify(params)} seaway`, async () => {
      const load1 = l1();
      push({
        ...(await runBridge(c.kafka, c.lab, {
          scenario,
          params,
          load,
          partitions: extra.partitions ?? 1,
          replication: 1,
          tasksMax: extra.tasksMax ?? 1,
          lanes: extra.lanes ?? 1,
          avro: extra.avro ?? true,
          runId: c.runId,
          workDir: c.workDir,
        })),
        load1,
      });
    });
  };
  const mosquitto = async (scenario: string, params: Record<string, string | number>, load: Load) => {
    if (!c.mq) return;
    const mq = c.mq;
    await step(`${scenario} ${JSON.stringify(params)} mosquitto`, async () => {
      const load1 = l1();
      push({ ...(await runMosquitto(mq, { scenario, params, load })), load1 });
    });
  };

  for (const sweep of o.sweeps) {
    if (sweep === 'replication') continue;
    log(`sweep ${sweep}`);
    if (sweep === 'workers') {
      for (const workers of o.workerCounts) {
        // Few workers are slow in stop-and-wait: cap their messages so each point takes seconds.
        const messages = Math.min(o.sweepMessages, Math.max(2000, workers * 1000));
        const load = { ...base, workers, messages };
        await bridge('sweep-workers', { workers }, load);
        await mosquitto('sweep-workers', { workers }, load);
      }
    } else if (sweep === 'inflight') {
      for (const inflight of o.inflightCounts) {
        const load = { ...base, inflight };
        await bridge('sweep-inflight', { inflight }, load);
        await mosquitto('sweep-inflight', { inflight }, load);
      }
    } else if (sweep === 'partitions') {
      for (const partitions of [1, 3, 9]) await bridge('sweep-partitions', { partitions }, base, { partitions });
    } else if (sweep === 'tasks') {
      for (const tasks of [1, 2, 4]) {
        await bridge('sweep-tasks', { tasks }, base, { partitions: 3, tasksMax: tasks, lanes: tasks, avro: false });
      }
    } else if (sweep === 'converter') {
      // The seed's AvroConverter (decode, validate, re-encode with a registry id) against the
      // BytesConverter on the same Avro payloads, interleaved twice to see through the noise.
      for (const round of [1, 2]) {
        await bridge('sweep-converter', { converter: 'avro', round }, base, { avro: true });
        await bridge('sweep-converter', { converter: 'bytes', round }, base, { avro: false });
      }
    } else if (sweep === 'payload') {
      for (const format of ['nmea', 'avro', 'fdd', 'json']) {
        const load = { ...base, format };
        await bridge('sweep-payload', { format }, load, { avro: false });
        await mosquitto('sweep-payload', { format }, load);
      }
    }
  }
}
