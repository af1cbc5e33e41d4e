// Peer "direct to Kafka, Java client": Apache Kafka's kafka-producer-perf-test (from scripts/kafka)
// with records of the AIS payloads' mean size, acks=all, linger 5 ms, 64 KB batches: what the broker
// takes from a fast client, closer to the seed's Go producer than kafkajs. Its payloads are identical
// random bytes, so the read-back counts records instead of hashing them. CPU is not sampled (the JVM
// runs under a node wrapper).
import { KAFKA_SCRIPT, REPO } from '../paths.ts';
import { spawnProc } from '../procs.ts';
import { round } from '../sampler.ts';
import type { KafkaService } from '../services.ts';
import { createTopic, verifyTopic } from '../verify.ts';
import type { RunResult } from './types.ts';

let counter = 0;

/** Parses the closing line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, ... p99 ms 99th, ...". */
export function parsePerfTest(out: string): {
  records: number;
  msgPerSec: number;
  mbPerSec: number;
  p50: number;
  p99: number;
  max: number;
} | null {
  const lines = out.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m =
      /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), [\d.]+ ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(
        lines[i] as string,
      );
    if (m) {
      return {
        records: Number(m[1]),
        msgPerSec: Math.round(Number(m[2])),
        mbPerSec: Number(m[3]),
        max: Number(m[4]),
        p50: Number(m[5]),
        p99: Number(m[6]),
      };
    }
  }
  return null;
}

export async function runJavaPerf(
  kafka: KafkaService,
  r: { scenario: string; runId: string; messages: number; recordSize: number },
): Promise<RunResult> {
  const topic = `bench-${r.runId}-java-${++counter}`;
  await createTopic(kafka.brokers, topic, 1);
  const proc = spawnProc(
    'kafka-producer-perf-test',
    process.execPath,
    [
      KAFKA_SCRIPT,
      'tool',
      'kafka-producer-perf-test',
      '--topic',
      topic,
      '--num-records',
      String(r.messages),
      '--record-size',
      String(r.recordSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${kafka.brokers.join(',')}`,
      'acks=all',
      'linger.ms=5',
      'batch.size=65536',
    ],
    { cwd: REPO },
  );
  const code = await proc.exited;
  const s = parsePerfTest(proc.stdout());
  if (!s) throw new Error(`kafka-producer-perf-test exited with ${code} and no summary: ${proc.stderrTail()}`);
  const verify = await verifyTopic(kafka.brokers, topic, r.messages, 120_000, true);
  return {
    scenario: r.scenario,
    peer: 'direct-java',
    target: kafka.kind,
    params: { client: 'java kafka-producer-perf-test', recordSize: r.recordSize },
    load: { messages: r.messages, workers: 1, inflight: 5, format: `random ${r.recordSize} B` },
    messages: s.records,
    errors: 0,
    seconds: round(s.records / Math.max(s.msgPerSec, 1), 3),
    msgPerSec: s.msgPerSec,
    mbPerSec: s.mbPerSec,
    latencyMs: { p50: s.p50, p99: s.p99, max: s.max },
    usage: [],
    cpuUsPerMsg: {},
    verify,
    note: 'per-record send-to-ack latency as the Java tool reports it',
  };
}
