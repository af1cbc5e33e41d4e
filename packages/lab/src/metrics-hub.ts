// Aggregates the counters of every stage into one frame a second and fans it out to /ws clients.
// Sources are plain functions returning running totals; rates come from the difference. The last
// 15 minutes of frames stay in a fixed ring (GET /api/metrics/history), so charts start full.
import type { Hop, HopCounters, MetricsFrame } from '@seaway/contracts';

export interface Totals {
  messages: number;
  bytes: number;
}
export type TotalsSource = () => Totals;

const HOPS: Hop[] = ['generator', 'mqtt', 'bridge', 'kafka'];
const zero = (): Totals => ({ messages: 0, bytes: 0 });

export class MetricsHub {
  private readonly sources = new Map<Hop, TotalsSource[]>();
  private last = new Map<Hop, Totals>();
  private lastTs = Date.now();
  private readonly listeners = new Set<(f: MetricsFrame) => void>();
  private timer: NodeJS.Timeout | null = null;
  private latest: MetricsFrame | null = null;
  mqttClients: () => number = () => 0;
  /** Ring of the last `historySize` emitted frames; `ringNext` is where the next one goes. */
  private readonly ring: (MetricsFrame | undefined)[];
  private ringNext = 0;

  constructor(readonly historySize = 900) {
    this.ring = new Array(Math.max(1, historySize));
  }

  /** Emitted frames, oldest first (at most historySize: 15 minutes at 1 Hz by default). */
  history(): MetricsFrame[] {
    const out: MetricsFrame[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const f = this.ring[(this.ringNext + i) % n];
      if (f) out.push(f);
    }
    return out;
  }

  setSource(hop: Hop, source: TotalsSource): void {
    this.sources.set(hop, [source]);
  }

  /** Another source for a hop whose totals are summed with the others (sample stream + console runs). */
  addSource(hop: Hop, source: TotalsSource): void {
    this.sources.set(hop, [...(this.sources.get(hop) ?? []), source]);
  }

  private totalsOf(hop: Hop): Totals {
    const list = this.sources.get(hop);
    if (!list) return zero();
    if (list.length === 1) return (list[0] as TotalsSource)();
    const t = zero();
    for (const src of list) {
      const x = src();
      t.messages += x.messages;
      t.bytes += x.bytes;
    }
    return t;
  }

  subscribe(fn: (f: MetricsFrame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The most recent frame, for clients that just connected. */
  current(): MetricsFrame {
    return this.latest ?? this.tick(false);
  }

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => this.tick(true), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(emit: boolean): MetricsFrame {
    const now = Date.now();
    const dt = Math.max(1, now - this.lastTs) / 1000;
    const hops = {} as Record<Hop, HopCounters>;
    const next = new Map<Hop, Totals>();
    for (const hop of HOPS) {
      const t = this.totalsOf(hop);
      const prev = this.last.get(hop) ?? t;
      next.set(hop, t);
      hops[hop] = {
        messages: t.messages,
        bytes: t.bytes,
        messagesPerSec: Math.max(0, (t.messages - prev.messages) / dt),
        bytesPerSec: Math.max(0, (t.bytes - prev.bytes) / dt),
      };
    }
    const frame: MetricsFrame = { type: 'metrics', ts: now, hops, mqttClients: this.mqttClients() };
    if (emit) {
      this.last = next;
      this.lastTs = now;
      this.latest = frame;
      this.ring[this.ringNext] = frame;
      this.ringNext = (this.ringNext + 1) % this.ring.length;
      for (const fn of this.listeners) fn(frame);
    }
    return frame;
  }
}
