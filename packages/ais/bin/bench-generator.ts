// Measures generator throughput: raw-socket client vs mqtt.js, against a PUBACK sink (the
// generator alone), the embedded broker (@seaway/mqtt-broker, own process) and mosquitto (started
// here on port 18830 when installed, stopped after). Prints a markdown table; benchmarks measure,
// they assert nothing. Usage: node --import tsx bin/bench-generator.ts [messages]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startGeneratorRun } from '../src/gen/run.ts';

const messages = Number(process.argv[2] ?? 200_000);
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

async function startNode(file: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), child };
}

async function startMosquitto(): Promise<{ port: number; child: ChildProcess } | null> {
  const child = spawn('mosquitto', ['-p', '18830'], { stdio: 'ignore' });
  const ok = await Promise.race([once(child, 'spawn').then(() => true), once(child, 'error').then(() => false)]);
  if (!ok) return null;
  await new Promise((r) => setTimeout(r, 500));
  return { port: 18830, child };
}

const configs = [
  { name: 'seed: 64 workers, stop-and-wait', workers: 64, inflight: 1, procs: 1 },
  { name: '8 workers x 64 in flight', workers: 8, inflight: 64, procs: 1 },
  { name: '8 workers x 64 in flight, 2 procs', workers: 8, inflight: 64, procs: 2 },
];

const targets: Array<{ name: string; port: number; child: ChildProcess }> = [];
const sink = await startNode(here('./puback-sink.ts'));
targets.push({ name: 'PUBACK sink', ...sink });
const embedded = await startNode(here('./embedded-broker.ts'));
targets.push({ name: 'embedded (aedes)', ...embedded });
const mosq = await startMosquitto();
if (mosq) targets.push({ name: 'mosquitto', ...mosq });

console.log(`| target | config | client | msg/s | p50 ms | p99 ms | errors |`);
console.log(`|---|---|---|---|---|---|---|`);
try {
  for (const t of targets) {
    for (const c of configs) {
      for (const client of ['raw', 'mqttjs'] as const) {
        const run = startGeneratorRun({
          server: `127.0.0.1:${t.port}`,
          messages,
          workers: c.workers,
          inflight: c.inflight,
          procs: c.procs,
          client,
        });
        const s = await run.done;
        console.log(
          `| ${t.name} | ${c.name} | ${client} | ${s.msgPerSec} | ${s.latencyMs?.p50 ?? '-'} | ${s.latencyMs?.p99 ?? '-'} | ${s.errors} |`,
        );
      }
    }
  }
} finally {
  for (const t of targets) t.child.kill('SIGTERM');
}
