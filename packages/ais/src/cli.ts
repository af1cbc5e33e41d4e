// The generator CLI: `seaway ais-generator [flags]` calls main(argv); this file also runs on its
// own (`node --import tsx packages/ais/src/cli.ts -server 127.0.0.1:1883 -messages 1000`).
// Shows a progress bar on a terminal and prints a closing summary (text, or JSON with --json).
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AisError } from './errors.ts';
import { parseGeneratorArgs, USAGE } from './gen/options.ts';
import { type GeneratorStats, type GeneratorSummary, startGeneratorRun } from './gen/run.ts';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

function bar(s: GeneratorStats): string {
  const width = 30;
  const frac = s.target > 0 ? Math.min(1, s.messages / s.target) : 0;
  const filled = Math.round(frac * width);
  const pct = s.target > 0 ? `${(frac * 100).toFixed(0).padStart(3)}%` : '    ';
  const count = s.target > 0 ? `${s.messages}/${s.target}` : `${s.messages}`;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct} ${count} msg  ${s.msgPerSec} msg/s  ${s.errors} errors `;
}

export function formatSummary(s: GeneratorSummary): string {
  const lat = s.latencyMs
    ? `PUBACK latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`
    : 'no PUBACK latency (QoS 0)';
  return [
    `messages   ${s.messages} (${s.sent} sent) to ${s.server} ${s.topic}, format ${s.format}, QoS ${s.qos}`,
    `time       ${s.seconds} s, ${s.msgPerSec} msg/s (${s.workers} workers x ${s.inflight} in flight, ${s.procs} process${s.procs > 1 ? 'es' : ''}, ${s.client} client)`,
    `latency    ${lat}`,
    `errors     ${s.errors}, malformed input lines ${s.malformed}${s.lastError ? ` (last: ${s.lastError})` : ''}`,
    `source     ${s.source}${s.looped ? ' (looped)' : ''}, prepared in ${s.prepareSeconds} s`,
    '',
  ].join('\n');
}

/** Run the generator; resolves with the process exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parseGeneratorArgs>;
  try {
    parsed = parseGeneratorArgs(argv);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(USAGE);
    return 0;
  }
  const o = parsed.options;
  const showProgress = o.progress ?? (io.isTTY && !o.json);
  let run: ReturnType<typeof startGeneratorRun>;
  try {
    run = startGeneratorRun(o);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n`);
    return 2;
  }
  const onSignal = (): void => run.stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = showProgress ? setInterval(() => io.stderr(bar(run.stats())), 200) : null;
  try {
    const summary = await run.done;
    if (timer) io.stderr(`${bar(run.stats())}\n`);
    io.stdout(o.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return summary.errors > 0 ? 1 : 0;
  } catch (err) {
    if (timer) io.stderr('\n');
    const e = err as AisError;
    io.stderr(`${e.message}\n`);
    if (o.json)
      io.stdout(`${JSON.stringify({ error: { code: e.code ?? 'SEAWAY_AIS_CONFIG', message: e.message } })}\n`);
    return 1;
  } finally {
    if (timer) clearInterval(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Run as a script only as this source file: inside a bundle import.meta.url is the bundle's own
// (packages/lab/dist/seaway.mjs), which is the lab's entry, not this CLI.
function isMain(): boolean {
  const entry = process.argv[1];
  const self = fileURLToPath(import.meta.url);
  if (!entry || basename(self) !== 'cli.ts') return false;
  try {
    return realpathSync(entry) === realpathSync(self);
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
