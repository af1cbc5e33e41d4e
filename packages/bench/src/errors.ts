// The bench package's error catalogue: stable codes the harness and its tests refer to.
export const BENCH_ERRORS = {
  SEAWAY_BENCH_CONFIG: 'a command-line flag is missing a value or has a bad one',
  SEAWAY_BENCH_SPAWN: 'a child process (lab, broker, generator, mosquitto) could not be started',
  SEAWAY_BENCH_NOT_READY: 'a child process did not become ready in time or exited while starting',
  SEAWAY_BENCH_CONNECTOR: 'the Connect REST API refused the connector or it did not reach RUNNING',
  SEAWAY_BENCH_GENERATOR: 'the generator failed or printed no JSON summary',
  SEAWAY_BENCH_LOAD: 'a third-party load client (mqtt.js, paho) could not be built or started',
  SEAWAY_BENCH_VERIFY: 'reading the topic back from Kafka failed or timed out',
} as const;

export type BenchErrorCode = keyof typeof BENCH_ERRORS;

export class BenchError extends Error {
  constructor(
    readonly code: BenchErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'BenchError';
  }
}
