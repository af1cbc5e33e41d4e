// Where things are in the workspace, resolved from this file so the harness runs from any directory.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = resolve(here, '..');
export const REPO = resolve(here, '../../..');
export const LAB_BIN = resolve(REPO, 'packages/lab/bin/seaway.mjs');
export const AIS_CLI = resolve(REPO, 'packages/ais/src/cli.ts');
export const KAFKA_SCRIPT = resolve(REPO, 'scripts/kafka/kafka.mjs');
export const EMBEDDED_KAFKA = resolve(here, 'peers/embedded-kafka.ts');
export const DIRECT_PRODUCER = resolve(here, 'peers/direct-producer.ts');
