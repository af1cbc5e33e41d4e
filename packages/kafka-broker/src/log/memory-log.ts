// In-memory PartitionLog: the same contract as FileLog, for benchmarks and tests. Retention works on
// whole batches (the memory analogue of segments) and never removes the newest batch.

import { assignOffsets } from './append-batches.ts';
import { type CompactionOptions, type CompactionResult, compactBatch, indexKeys, type KeyMap } from './compaction.ts';
import { LogError, LogErrorCode } from './errors.ts';
import { firstRecordAtOrAfter } from './timestamps.ts';
import type {
  AppendOptions,
  AppendResult,
  LogConfig,
  PartitionLog,
  RetentionConfig,
  RetentionResult,
  TimestampLookup,
} from './types.ts';

interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  bytes: Buffer;
}

export interface MemoryLogOptions extends RetentionConfig {
  /** Offset of the first record of an empty log (default 0). */
  startOffset?: number;
  maxBatchBytes?: number;
  now?: () => number;
}

export class MemoryLog implements PartitionLog {
  #batches: StoredBatch[] = [];
  #start: number;
  #next: number;
  #size = 0;
  #closed = false;
  #opts: Required<Omit<MemoryLogOptions, 'startOffset'>>;

  constructor(options: MemoryLogOptions = {}) {
    this.#start = options.startOffset ?? 0;
    this.#next = this.#start;
    this.#opts = {
      retentionMs: options.retentionMs ?? -1,
      retentionBytes: options.retentionBytes ?? -1,
      maxBatchBytes: options.maxBatchBytes ?? 64 * 1024 * 1024,
      now: options.now ?? Date.now,
    };
  }

  reconfigure(config: LogConfig): void {
    const next = { ...this.#opts };
    for (const k of ['retentionMs', 'retentionBytes', 'maxBatchBytes'] as const) {
      const v = config[k];
      if (v === undefined) continue;
      if (!Number.isFinite(v)) throw new LogError(LogErrorCode.BAD_CONFIG, `${k} must be a number`);
      next[k] = v;
    }
    this.#opts = next;
  }

  get highWatermark(): number {
    return this.#next;
  }
  get logStartOffset(): number {
    return this.#start;
  }
  get sizeBytes(): number {
    return this.#size;
  }

  #open(): void {
    if (this.#closed) throw new LogError(LogErrorCode.CLOSED, 'partition log is closed');
  }

  async append(buf: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
    this.#open();
    const now = this.#opts.now();
    const assigned = assignOffsets(buf, this.#next, this.#opts.maxBatchBytes, {
      partitionLeaderEpoch: options.partitionLeaderEpoch,
      logAppendTime: options.logAppendTime ? now : undefined,
    });
    for (const a of assigned) {
      // copy: the request buffer may be a slice of a much larger socket chunk
      const bytes = Buffer.from(buf.subarray(a.pos, a.pos + a.size));
      this.#batches.push({ baseOffset: a.baseOffset, lastOffset: a.lastOffset, maxTimestamp: a.maxTimestamp, bytes });
      this.#size += a.size;
    }
    const last = assigned[assigned.length - 1]!;
    this.#next = last.lastOffset + 1;
    return {
      baseOffset: assigned[0]!.baseOffset,
      lastOffset: last.lastOffset,
      appendTime: this.#opts.now(),
      batches: assigned.length,
    };
  }

  /** Index of the first batch whose lastOffset >= offset. */
  #find(offset: number): number {
    let lo = 0;
    let hi = this.#batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#batches[mid]!.lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async read(offset: number, maxBytes: number): Promise<Buffer> {
    this.#open();
    if (offset < this.#start || offset > this.#next) {
      throw new LogError(
        LogErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside the log [${this.#start}, ${this.#next}]`,
      );
    }
    const parts: Buffer[] = [];
    let total = 0;
    for (let i = this.#find(offset); i < this.#batches.length; i++) {
      const b = this.#batches[i]!.bytes;
      if (parts.length > 0 && total + b.length > maxBytes) break;
      parts.push(b);
      total += b.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }

  async offsetForTimestamp(ts: number): Promise<TimestampLookup | undefined> {
    this.#open();
    if (ts === -1) return { offset: this.#next, timestamp: -1 };
    if (ts === -2) return { offset: this.#start, timestamp: -1 };
    if (ts === -3) {
      let max = Number.NEGATIVE_INFINITY;
      for (const b of this.#batches) if (b.lastOffset >= this.#start && b.maxTimestamp > max) max = b.maxTimestamp;
      if (max === Number.NEGATIVE_INFINITY) return undefined;
      ts = max;
    }
    for (const b of this.#batches) {
      if (b.maxTimestamp < ts || b.lastOffset < this.#start) continue;
      const hit = firstRecordAtOrAfter(b.bytes, 0, ts, this.#start);
      if (hit) return hit;
    }
    return undefined;
  }

  async deleteRecordsBefore(offset: number): Promise<number> {
    this.#open();
    this.#start = Math.max(this.#start, Math.min(offset, this.#next));
    while (this.#batches.length > 0 && this.#batches[0]!.lastOffset < this.#start) this.#drop();
    return this.#start;
  }

  #drop(): number {
    const b = this.#batches.shift()!;
    this.#size -= b.bytes.length;
    return b.bytes.length;
  }

  async truncate(offset: number): Promise<number> {
    this.#open();
    if (offset >= this.#next) return this.#next;
    const i = this.#find(Math.max(offset, this.#start));
    const first = this.#batches[i];
    if (first) this.#next = first.baseOffset;
    for (const b of this.#batches.splice(i)) this.#size -= b.bytes.length;
    if (this.#next < this.#start) this.#start = this.#next;
    return this.#next;
  }

  async applyRetention(now = this.#opts.now()): Promise<RetentionResult> {
    this.#open();
    let deletedBytes = 0;
    let deletedUnits = 0;
    const { retentionMs, retentionBytes } = this.#opts;
    while (this.#batches.length > 1) {
      const oldest = this.#batches[0]!;
      const expired = retentionMs >= 0 && oldest.maxTimestamp < now - retentionMs;
      const oversize = retentionBytes >= 0 && this.#size - oldest.bytes.length >= retentionBytes;
      if (!expired && !oversize) break;
      deletedBytes += this.#drop();
      deletedUnits++;
      this.#start = Math.max(this.#start, oldest.lastOffset + 1);
    }
    return { deletedBytes, deletedUnits };
  }

  async compact(options: CompactionOptions = {}): Promise<CompactionResult> {
    this.#open();
    const now = options.now ?? this.#opts.now();
    const horizon = now - (options.deleteRetentionMs ?? 24 * 3600 * 1000);
    const latest: KeyMap = new Map();
    for (const b of this.#batches) indexKeys(b.bytes, 0, latest);
    const result: CompactionResult = { removedRecords: 0, reclaimedBytes: 0, rewritten: 0 };
    const kept: StoredBatch[] = [];
    const last = this.#batches.length - 1;
    for (let i = 0; i <= last; i++) {
      const b = this.#batches[i]!;
      const { out, removed } = i === last ? { out: b.bytes, removed: 0 } : compactBatch(b.bytes, latest, horizon);
      if (removed === 0) {
        kept.push(b);
        continue;
      }
      result.removedRecords += removed;
      result.rewritten++;
      result.reclaimedBytes += b.bytes.length - (out?.length ?? 0);
      if (out) kept.push({ ...b, bytes: out });
    }
    this.#batches = kept;
    this.#size -= result.reclaimedBytes;
    return result;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }
}
