// A log-linear latency histogram (16 sub-buckets per power of two, about 6% resolution) in a
// fixed Uint32Array: no allocation per sample, mergeable across workers and processes.
const SUB = 16;
const BUCKETS = 40 * SUB;

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  /** Record a value in microseconds. */
  record(us: number): void {
    const v = Math.max(us, 1);
    const exp = Math.floor(Math.log2(v));
    const sub = Math.floor((v / 2 ** exp - 1) * SUB);
    const idx = Math.min(BUCKETS - 1, exp * SUB + sub);
    this.counts[idx]!++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  merge(counts: ArrayLike<number>, max: number): void {
    for (let i = 0; i < BUCKETS; i++) {
      const c = counts[i] ?? 0;
      this.counts[i]! += c;
      this.count += c;
    }
    if (max > this.max) this.max = max;
  }

  /** Value at quantile q (0..1), microseconds; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) {
        const exp = Math.floor(i / SUB);
        const sub = i % SUB;
        // Midpoint of the bucket, capped by the largest value seen.
        return Math.min(this.max, 2 ** exp * (1 + (sub + 0.5) / SUB));
      }
    }
    return this.max;
  }
}
