// Peer "direct to Kafka": the generator's payloads produced straight to Kafka by
// peers/direct-producer.ts (kafkajs, batches of 1000, 4 in flight, acks=all), then read back.
import { DIRECT_PRODUCER, REPO } from '../paths.ts';
import { spawnProc } from '../procs.ts';
import { cpuPerMessage, Window } from '../sampler.ts';
import type { KafkaService } from '../services.ts';
import { createTopic, verifyTopic } from '../verify.ts';
import type { RunResult } from './types.ts';

let counter = 0;

interface DirectSummary {
  messages: number;
  bytes: number;
  seconds: number;
  msgPerSec: number;
  mbPerSec: number;
  batch: number;
  concurrency: number;
  batchAckMs: { p50: number; p99: number; max: number };
  distinctPayloads: number;
  prepareSeconds: number;
  client: string;
}

export async function runDirect(
  kafka: KafkaService,
  r: { scenario: string; runId: string; messages: number; format: string; partitions: number },
): Promise<RunResult> {
  const topic = `bench-${r.runId}-direct-${++counter}`;
  await createTopic(kafka.brokers, topic, r.partitions);
  const proc = spawnProc(
    'direct-producer',
    process.execPath,
    [
      '--import',
      'tsx',
      DIRECT_PRODUCER,
      '--brokers',
      kafka.brokers.join(','),
      '--topic',
      topic,
      '--messages',
      String(r.messages),
      '--format',
      r.format,
    ],
    { cwd: REPO },
  );
  const win = new Window([...kafka.procs, { name: 'direct-producer', pid: proc.pid }]);
  const code = await proc.exited;
  const usage = win.end();
  const line = proc
    .stdout()
    .trim()
    .split('\n')
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`direct producer exited with ${code}: ${proc.stderrTail()}`);
  const s = JSON.parse(line) as DirectSummary;
  const verify = await verifyTopic(kafka.brokers, topic, s.distinctPayloads);
  return {
    scenario: r.scenario,
    peer: 'direct-kafka',
    target: kafka.kind,
    params: { batch: s.batch, concurrency: s.concurrency, client: s.client },
    load: { messages: r.messages, workers: 1, inflight: s.concurrency, format: r.format },
    messages: s.messages,
    errors: 0,
    seconds: s.seconds,
    msgPerSec: s.msgPerSec,
    mbPerSec: s.mbPerSec,
    latencyMs: s.batchAckMs,
    usage,
    cpuUsPerMsg: cpuPerMessage(usage, s.messages),
    verify,
    note: `${s.distinctPayloads} distinct payloads of ${s.messages} generated`,
  };
}
