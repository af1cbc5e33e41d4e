// Result shapes shared by the scenarios, the report and the JSON file.
import type { Load } from '../generator.ts';
import type { ProcUsage } from '../sampler.ts';
import type { Verification } from '../verify.ts';

export type Peer = 'seaway' | 'mosquitto' | 'direct-kafka' | 'direct-java';

export interface RunResult {
  /** Scenario name, e.g. "seed", "sweep-workers". */
  scenario: string;
  peer: Peer;
  /** "embedded" or "apache" (Kafka), "mosquitto" (no Kafka). */
  target: string;
  /** What varied in this run, e.g. { workers: 64 }. */
  params: Record<string, string | number>;
  load: Load;
  messages: number;
  errors: number;
  seconds: number;
  msgPerSec: number;
  mbPerSec: number;
  /** PUBACK latency for MQTT peers, per-batch ack latency for direct-kafka. */
  latencyMs: { p50: number; p99: number; max: number } | null;
  usage: ProcUsage[];
  /** CPU microseconds per message in the process that moves the data (lab, mosquitto, producer). */
  cpuUsPerMsg: Record<string, number>;
  verify: Verification | { records: number; expected: number; missing: number; duplicated: number } | null;
  note?: string;
  /** 1-minute load average when the run started (the machine is shared; high means noisy). */
  load1?: number;
}
