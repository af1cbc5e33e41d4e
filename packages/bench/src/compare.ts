// Regression guard: the seed scenario's medians of this run against the last recorded figures, as
// ratios, so a change that slows the hot path shows in its own commit. The reference is, in order:
// --baseline FILE (a results.json or baseline.json), the newest earlier run in results/, or the
// committed baseline.json that `--record` writes. It reports; it never fails the run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BENCH_DIR } from './paths.ts';
import { seedByPeer } from './report.ts';
import type { RunResult } from './scenarios/types.ts';

export interface Figure {
  msgPerSec: number;
  /** CPU µs per message of the data path (broker, bridge, Kafka), null when not sampled. */
  pathUs: number | null;
  p99: number;
}

export interface Baseline {
  recordedAt: string;
  command: string;
  load1: number;
  figures: Record<string, Figure>;
}

export interface Comparison {
  against: string;
  rows: { label: string; before: Figure; now: Figure; rate: number; cpu: number | null }[];
}

export const BASELINE_FILE = resolve(BENCH_DIR, 'baseline.json');

/** Seed-scenario medians per peer label ("seaway (lab) · paho Go 3.1.1" …). */
export function figuresOf(runs: RunResult[]): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const s of seedByPeer(runs)) out[s.label] = { msgPerSec: s.msgPerSec, pathUs: s.pathUs, p99: s.p99 };
  return out;
}

function read(file: string): Baseline | null {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    if (j.figures) return j as Baseline;
    if (Array.isArray(j.runs)) {
      return {
        recordedAt: j.startedAt,
        command: j.command,
        load1: j.machine?.load1Start ?? 0,
        figures: figuresOf(j.runs as RunResult[]),
      };
    }
  } catch {}
  return null;
}

/** The reference to compare against, with where it came from; null when there is none. */
export function findBaseline(currentDir: string, explicit?: string): { from: string; base: Baseline } | null {
  if (explicit) {
    const base = read(explicit);
    return base ? { from: explicit, base } : null;
  }
  const results = join(BENCH_DIR, 'results');
  const earlier = existsSync(results)
    ? readdirSync(results)
        .map((d) => join(results, d))
        .filter((d) => resolve(d) !== resolve(currentDir) && existsSync(join(d, 'results.json')))
        .sort()
        .reverse()
    : [];
  for (const d of earlier) {
    const base = read(join(d, 'results.json'));
    if (base && Object.keys(base.figures).length) return { from: join(d, 'results.json'), base };
  }
  const base = existsSync(BASELINE_FILE) ? read(BASELINE_FILE) : null;
  return base ? { from: BASELINE_FILE, base } : null;
}

const ratio = (a: number | null, b: number | null) => (a && b ? Math.round((a / b) * 100) / 100 : null);

export function compare(runs: RunResult[], ref: { from: string; base: Baseline }): Comparison {
  const now = figuresOf(runs);
  const rows: Comparison['rows'] = [];
  for (const [label, n] of Object.entries(now)) {
    const b = ref.base.figures[label];
    if (!b) continue;
    rows.push({ label, before: b, now: n, rate: ratio(n.msgPerSec, b.msgPerSec) ?? 0, cpu: ratio(n.pathUs, b.pathUs) });
  }
  return { against: `${ref.from} (${ref.base.recordedAt}, load1 ${ref.base.load1})`, rows };
}

export function comparisonText(c: Comparison): string {
  if (!c.rows.length) return `no seed figures in common with ${c.against}`;
  const lines = [`against ${c.against}:`];
  for (const r of c.rows) {
    lines.push(
      `  ${r.label.padEnd(44)} msg/s ${String(r.before.msgPerSec).padStart(7)} -> ${String(r.now.msgPerSec).padStart(7)} (x${r.rate})` +
        `  data-path µs/msg ${r.before.pathUs ?? '-'} -> ${r.now.pathUs ?? '-'}${r.cpu ? ` (x${r.cpu})` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Writes this run's seed figures as the committed reference (`pnpm bench -- --record`). */
export function recordBaseline(runs: RunResult[], command: string, load1: number): string {
  const b: Baseline = { recordedAt: new Date().toISOString(), command, load1, figures: figuresOf(runs) };
  writeFileSync(BASELINE_FILE, `${JSON.stringify(b, null, 2)}\n`);
  return BASELINE_FILE;
}
