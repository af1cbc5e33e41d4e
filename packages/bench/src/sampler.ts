// CPU time and resident memory per process, read from /proc/<pid>/stat (utime + stime, fields 14
// and 15, in clock ticks) and /proc/<pid>/status (VmRSS). A Window measures one phase: CPU seconds
// spent between begin and end, and resident memory sampled every `intervalMs` (mean, max, last).
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

export interface ProcUsage {
  name: string;
  pid: number;
  cpuSeconds: number;
  /** CPU seconds per wall second times 100 (200 = both cores of this machine). */
  cpuPercent: number;
  rssMeanMB: number;
  rssMaxMB: number;
  rssEndMB: number;
}

export function readCpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after the closing parenthesis are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state), so utime (14) is rest[11] and stime (15) is rest[12].
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return null;
  }
}

export function readRssKB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

interface Tracked {
  name: string;
  pid: number;
  startTicks: number;
  lastTicks: number;
  rssSum: number;
  rssN: number;
  rssMax: number;
  rssLast: number;
}

export class Window {
  private readonly tracked: Tracked[] = [];
  private readonly timer: NodeJS.Timeout;
  private t0 = performance.now();

  constructor(procs: readonly { name: string; pid: number }[], intervalMs = 250) {
    for (const p of procs) {
      const ticks = readCpuTicks(p.pid) ?? 0;
      this.tracked.push({ ...p, startTicks: ticks, lastTicks: ticks, rssSum: 0, rssN: 0, rssMax: 0, rssLast: 0 });
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const t of this.tracked) {
      const ticks = readCpuTicks(t.pid);
      if (ticks !== null) t.lastTicks = ticks;
      const rss = readRssKB(t.pid);
      if (rss !== null) {
        t.rssSum += rss;
        t.rssN++;
        t.rssMax = Math.max(t.rssMax, rss);
        t.rssLast = rss;
      }
    }
  }

  /**
   * Starts the window again from now: CPU and wall time count from here (RSS keeps its samples).
   * The harness calls it once the load generator has connected, so its start-up and payload
   * preparation are not charged to the messages.
   */
  restart(): void {
    this.t0 = performance.now();
    for (const t of this.tracked) {
      const ticks = readCpuTicks(t.pid);
      if (ticks !== null) t.startTicks = t.lastTicks = ticks;
    }
  }

  /** Stop sampling and report usage per process for the window. */
  end(): ProcUsage[] {
    this.sample();
    clearInterval(this.timer);
    const wall = (performance.now() - this.t0) / 1000;
    return this.tracked.map((t) => {
      const cpuSeconds = (t.lastTicks - t.startTicks) / TICKS_PER_SECOND;
      return {
        name: t.name,
        pid: t.pid,
        cpuSeconds: round(cpuSeconds, 2),
        cpuPercent: round(wall > 0 ? (cpuSeconds / wall) * 100 : 0, 0),
        rssMeanMB: round(t.rssN ? t.rssSum / t.rssN / 1024 : 0, 1),
        rssMaxMB: round(t.rssMax / 1024, 1),
        rssEndMB: round(t.rssLast / 1024, 1),
      };
    });
  }
}

/** CPU microseconds per message for each process (empty when no message went through). */
export function cpuPerMessage(usage: readonly ProcUsage[], messages: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (messages > 0) for (const u of usage) out[u.name] = round((u.cpuSeconds * 1e6) / messages, 1);
  return out;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
