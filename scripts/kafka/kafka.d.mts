// Types of kafka.mjs for the TypeScript tests that start, stop and restart Apache Kafka.
export interface StartedKafka {
  bootstrap: string;
  pids: number[];
  dir: string;
}
export const KAFKA_VERSION: string;
export const cacheDir: string;
export const libsDir: string;
export const connectPluginDir: string;
export const streamsLibsDir: string;
export const TOOLS: Record<string, string>;
export function javaAvailable(): boolean;
export function fetchKafka(o?: { quiet?: boolean }): string;
export function fetchConnectFile(o?: { quiet?: boolean }): string;
export function fetchKafkaStreams(o?: { quiet?: boolean }): string;
export function runTool(
  name: string,
  args: string[],
  opts?: Record<string, unknown>,
): import('node:child_process').SpawnSyncReturns<string>;
export function isFetched(): boolean;
export function startKafka(o?: {
  port?: number;
  nodes?: number;
  dir?: string;
  heap?: string;
  timeoutMs?: number;
}): Promise<StartedKafka>;
export function restartKafka(o: { dir: string; heap?: string; timeoutMs?: number }): Promise<StartedKafka>;
export function stopKafka(o?: { dir?: string; port?: number; nodes?: number; signal?: NodeJS.Signals }): Promise<void>;
