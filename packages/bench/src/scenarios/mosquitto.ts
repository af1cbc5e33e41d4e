// Peer "MQTT only": the same load into Mosquitto (Debian) with one QoS 1 subscriber (mosquitto_sub),
// no Kafka. The subscriber prints the topic of each message; the harness counts its lines.
import { spawnSync } from 'node:child_process';
import {
  generatorResult,
  generatorRunFields,
  type Load,
  stallTimeoutMs,
  startGenerator,
  whenPublishing,
} from '../generator.ts';
import { spawnProc, waitFor } from '../procs.ts';
import { Window } from '../sampler.ts';
import type { MosquittoService } from '../services.ts';
import type { RunResult } from './types.ts';

const MARKER = '/ais/_bench_ready';

function countLines(out: string, line: string): number {
  let n = 0;
  for (const l of out.split('\n')) if (l === line) n++;
  return n;
}

export async function runMosquitto(
  mq: MosquittoService,
  r: { scenario: string; params: Record<string, string | number>; load: Load },
): Promise<RunResult> {
  const sub = spawnProc('mosquitto_sub', 'mosquitto_sub', [
    '-h',
    '127.0.0.1',
    '-p',
    String(mq.port),
    '-q',
    '1',
    '-t',
    '/ais/#',
    '-F',
    '%t',
    '-i',
    `bench-sub-${process.pid}`,
  ]);
  // Ready once a marker published now comes back through the subscription.
  await waitFor(
    'mosquitto_sub subscribed',
    () => {
      spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(mq.port), '-q', '1', '-t', MARKER, '-m', 'x']);
      return sub.stdout().includes(MARKER);
    },
    10_000,
    sub,
  );
  const gen = startGenerator(mq.port, r.load);
  const win = new Window([
    { name: 'mosquitto', pid: mq.proc.pid },
    { name: 'mosquitto_sub', pid: sub.pid },
    { name: 'generator', pid: gen.pid },
  ]);
  const started = whenPublishing([gen]).then(() => win.restart());
  const summary = await generatorResult(gen, stallTimeoutMs(r.load.messages));
  await started;
  const usage = win.end();
  const received = () => countLines(sub.stdout(), '/ais');
  await waitFor('subscriber to receive every message', () => received() >= summary.messages, 30_000).catch(() => {});
  await new Promise((res) => setTimeout(res, 200));
  const got = received();
  await sub.stop();
  return {
    scenario: r.scenario,
    peer: 'mosquitto',
    target: 'mosquitto',
    params: r.params,
    load: r.load,
    ...generatorRunFields(summary, usage),
    verify: {
      records: got,
      expected: summary.messages,
      missing: Math.max(0, summary.messages - got),
      duplicated: Math.max(0, got - summary.messages),
    },
    ...(summary.stalled ? { note: `stalled: ${summary.stalled}` } : {}),
  };
}
