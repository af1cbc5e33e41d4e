// Types of kafka.mjs for the TypeScript tests that start, stop and restart Apache Kafka.
export interface StartedKafka {
  bootstrap: string;
  pids: number[];
  dir: string;
}
export function javaAvailable(): boolean;
export function isFetched(): boolean;
export function startKafka(o?: {
  port?: number;
  nodes?: number;
  dir?: string;
  heap?: string;
  timeoutMs?: number;
}): Promise<StartedKafka>;
export function restartKafka(o: { dir: string; heap?: string; timeoutMs?: number }): Promise<StartedKafka>;
export function stopKafka(o?: {
  dir?: string;
  port?: number;
  nodes?: number;
  signal?: NodeJS.Signals;
}): Promise<void>;
