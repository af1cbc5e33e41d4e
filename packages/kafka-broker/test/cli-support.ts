// Running external clients (kcat, python3 confluent_kafka, the Java CLI tools) asynchronously, and the
// list of brokers each compatibility scenario runs against: the embedded broker and, when
// SEAWAY_TEST_KAFKA is set, real Apache Kafka.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realKafka } from '../../../scripts/testing/needs.mjs';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const kafkaScript = join(repoRoot, 'scripts/kafka/kafka.mjs');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { input?: string | Buffer; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A Java CLI tool from the Kafka download (scripts/kafka/kafka.mjs tool NAME ...). */
export function kafkaTool(
  name: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(process.execPath, [kafkaScript, 'tool', name, ...args], opts);
}

export const real = realKafka();

export interface Target {
  name: string;
  skip: string | false;
}

export const REAL_TARGET: Target = { name: 'Apache Kafka', skip: !real && 'no real Kafka' };

/** A tool's stdout without the log lines the Java tools print there (e.g. "18:22:26.056 [main] WARN ..."). */
export function toolOutput(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !/^\d\d:\d\d:\d\d\.\d{3} \[/.test(l) && !/^\s+at [\w.$]+\(/.test(l))
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}
