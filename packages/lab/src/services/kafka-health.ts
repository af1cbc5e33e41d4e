// Keeps the health of the Kafka service honest after start-up: every `intervalMs` a fresh kafkajs
// admin asks the cluster to describe itself within `timeoutMs` (a dead broker refuses the
// connection; a frozen one accepts it and never answers, so the timeout matters), and the embedded
// broker is asked for partitions it cannot read (a damaged segment found at open). Either turns
// services.kafka to "down" with the reason, so GET /api/health answers 503 and says why.
import type { ServiceStatus } from '@seaway/contracts';
import { Kafka, logLevel } from 'kafkajs';

export interface KafkaHealthOptions {
  brokers: string[];
  /** SASL/PLAIN for the probe (the embedded broker with the lab's auth on). */
  sasl?: { mechanism: 'plain'; username: string; password: string };
  /** The embedded broker's unreadable partitions; absent for an external cluster. */
  problems?: () => string[];
  /** The status to report while everything is fine. */
  up: ServiceStatus;
  set: (s: ServiceStatus) => void;
  log: (line: string) => void;
  intervalMs?: number;
  timeoutMs?: number;
}

export interface KafkaHealth {
  /** One probe now (also run by the timer). */
  check(): Promise<void>;
  stop(): void;
}

export function watchKafkaHealth(o: KafkaHealthOptions): KafkaHealth {
  const timeoutMs = o.timeoutMs ?? 3000;
  let last: string | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const probe = async (): Promise<string | null> => {
    const problems = o.problems?.() ?? [];
    if (problems.length > 0)
      return `unusable partition ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
    const kafka = new Kafka({
      clientId: 'seaway-health',
      brokers: o.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
      ...(o.sasl ? { sasl: o.sasl } : {}),
    });
    const admin = kafka.admin();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return null;
    } catch (e) {
      return `Kafka at ${o.brokers.join(',')} unreachable: ${(e as Error).message}`;
    } finally {
      clearTimeout(timer);
      void admin.disconnect().catch(() => {});
    }
  };

  const check = () => {
    running ??= probe()
      .then((problem) => {
        if (stopped) return;
        if (problem !== last) o.log(problem ? `health: kafka down: ${problem}` : 'health: kafka up again');
        last = problem;
        o.set(problem ? { ...o.up, status: 'down', detail: problem } : o.up);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void check(), o.intervalMs ?? 5000);
  timer.unref();
  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
