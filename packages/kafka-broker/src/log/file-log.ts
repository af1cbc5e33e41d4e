// On-disk PartitionLog: a directory of segments, one partition.
//
//   <dir>/<baseOffset, 20 digits>.log / .index / .timeindex   segments (see segment.ts)
//   <dir>/log-start-offset                                     checkpoint written by deleteRecordsBefore
//
// One writer: append, truncate, deleteRecordsBefore and retention run one at a time through a queue;
// reads run beside them and only see whole, written batches. A segment rolls when an append would
// push it past segmentBytes or when it is older than segmentMs. At open the last segment (and, after an
// unclean stop, the one before it: no clean-shutdown marker) is scanned
// with CRC checks and cut at the first torn or corrupt batch (a crash mid-write); earlier segments
// trust their index files unless those look wrong. fsync: 'never' (the OS decides; Kafka's default),
// { everyMs } (a timer syncs the active segment), or 'always' (each append waits for datasync).
// Retention deletes whole closed segments; an expired active segment is rolled first.

import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assignOffsets } from './append-batches.ts';
import { type CompactionOptions, type CompactionResult, compactBatch, indexKeys, type KeyMap } from './compaction.ts';
import { LogError, LogErrorCode } from './errors.ts';
import { RECORD_BATCH_OVERHEAD } from './protocol.ts';
import { Segment, SegmentGoneError } from './segment.ts';
import { firstRecordAtOrAfter } from './timestamps.ts';
import type {
  AppendOptions,
  AppendResult,
  FsyncPolicy,
  LogConfig,
  PartitionLog,
  RetentionConfig,
  RetentionResult,
  TimestampLookup,
} from './types.ts';

export interface FileLogOptions extends RetentionConfig {
  /** Roll to a new segment before one grows past this (default 128 MiB). */
  segmentBytes?: number;
  /** Roll a non-empty active segment older than this (default 7 days). */
  segmentMs?: number;
  /** Bytes of log between sparse index entries (default 4096). */
  indexIntervalBytes?: number;
  /** Largest single batch accepted (default 16 MiB). */
  maxBatchBytes?: number;
  fsync?: FsyncPolicy;
  /** Offset of the first record when the directory is empty (default 0). */
  startOffset?: number;
  now?: () => number;
  /** Where open() reports what recovery cut, damage it found and files it refused (default: nowhere). */
  warn?: (line: string) => void;
}

type ResolvedOptions = Required<Omit<FileLogOptions, 'startOffset' | 'warn'>>;

export interface OpenReport {
  segments: number;
  /** Bytes cut from the tail of the last segment during recovery. */
  truncatedBytes: number;
  /** One line per thing recovery did or found: a cut tail and why, a damaged closed segment, a refused checkpoint. */
  problems: string[];
  /** Damaged closed segments (reads reaching them fail with KAFKA_STORAGE_ERROR); empty when usable. */
  damaged: string[];
}

const LOG_CONFIG_KEYS = ['retentionMs', 'retentionBytes', 'segmentBytes', 'segmentMs', 'maxBatchBytes'] as const;

function checkLogConfig(c: LogConfig): void {
  if (c.segmentBytes !== undefined && !(c.segmentBytes >= 1024)) {
    throw new LogError(LogErrorCode.BAD_CONFIG, `segmentBytes must be at least 1024, not ${c.segmentBytes}`);
  }
  for (const k of LOG_CONFIG_KEYS) {
    const v = c[k];
    if (v !== undefined && !Number.isFinite(v)) throw new LogError(LogErrorCode.BAD_CONFIG, `${k} must be a number`);
  }
  if (c.segmentMs !== undefined && !(c.segmentMs > 0)) {
    throw new LogError(LogErrorCode.BAD_CONFIG, `segmentMs must be positive, not ${c.segmentMs}`);
  }
}

const CHECKPOINT = 'log-start-offset';
/** Written by close(), removed at open: its absence means the previous run did not stop cleanly. */
const CLEAN_SHUTDOWN = 'clean-shutdown';
const SEGMENT_RE = /^(\d{20})\.log$/;

/**
 * The log-start-offset checkpoint, or -1 when there is none. A file that is not one whole number, or
 * names an offset outside [first segment, log end], is refused (reported, not used): a garbage value
 * must neither make the start NaN nor hide every record.
 */
async function readCheckpoint(file: string, first: number, end: number, problems: string[]): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return -1;
  }
  const t = text.trim();
  const n = /^\d{1,16}$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    problems.push(`refused ${file}: ${JSON.stringify(t.slice(0, 40))} is not an offset; the log starts at ${first}`);
    return -1;
  }
  if (n > end) {
    problems.push(`refused ${file}: start offset ${n} is past the log end ${end}; the log starts at ${first}`);
    return -1;
  }
  return n;
}

export class FileLog implements PartitionLog {
  readonly dir: string;
  #opts: ResolvedOptions;
  #segments: Segment[];
  #start: number;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  /** What recovery found when the log was opened. */
  readonly openReport: OpenReport;

  private constructor(dir: string, opts: ResolvedOptions, segments: Segment[], start: number, report: OpenReport) {
    this.dir = dir;
    this.#opts = opts;
    this.#segments = segments;
    this.#start = start;
    this.openReport = report;
    const fsync = opts.fsync;
    if (typeof fsync === 'object') {
      this.#timer = setInterval(() => {
        if (this.#dirty && !this.#closed) {
          this.#dirty = false;
          this.#active.sync().catch(() => (this.#dirty = true));
        }
      }, fsync.everyMs);
      this.#timer.unref();
    }
  }

  static async open(dir: string, options: FileLogOptions = {}): Promise<FileLog> {
    const opts: ResolvedOptions = {
      segmentBytes: options.segmentBytes ?? 128 * 1024 * 1024,
      segmentMs: options.segmentMs ?? 7 * 24 * 3600 * 1000,
      indexIntervalBytes: options.indexIntervalBytes ?? 4096,
      maxBatchBytes: options.maxBatchBytes ?? 16 * 1024 * 1024,
      fsync: options.fsync ?? 'never',
      retentionMs: options.retentionMs ?? -1,
      retentionBytes: options.retentionBytes ?? -1,
      now: options.now ?? Date.now,
    };
    if (opts.indexIntervalBytes < 1) {
      throw new LogError(LogErrorCode.BAD_CONFIG, 'indexIntervalBytes must be at least 1');
    }
    checkLogConfig(opts);
    if (typeof opts.fsync === 'object' && !(opts.fsync.everyMs > 0)) {
      throw new LogError(LogErrorCode.BAD_CONFIG, 'fsync.everyMs must be a positive number of milliseconds');
    }
    let names: string[];
    try {
      await mkdir(dir, { recursive: true });
      names = await readdir(dir);
    } catch (err) {
      throw new LogError(
        LogErrorCode.BAD_DIRECTORY,
        `cannot use ${dir} as a partition log directory (${(err as Error).message}); check DATA_DIR and its permissions`,
      );
    }
    // leftovers of a delete or a compaction interrupted by a crash
    await Promise.all(
      names
        .filter((n) => n.endsWith('.deleted') || n.endsWith('.cleaned'))
        .map((n) => rm(join(dir, n), { force: true })),
    );
    const bases = names
      .map((n) => SEGMENT_RE.exec(n)?.[1])
      .filter((b): b is string => b !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const clean = names.includes(CLEAN_SHUTDOWN);
    await rm(join(dir, CLEAN_SHUTDOWN), { force: true });
    const segments: Segment[] = [];
    const problems: string[] = [];
    const damaged: string[] = [];
    let truncatedBytes = 0;
    for (let i = 0; i < bases.length; i++) {
      const last = i === bases.length - 1;
      // after a crash the segment before the last may also have lost unsynced bytes
      const recover = last || (!clean && i === bases.length - 2);
      const [seg, cut] = await Segment.open(dir, bases[i]!, opts.indexIntervalBytes, recover);
      if (!last) seg.nextOffset = bases[i + 1]!;
      if (cut > 0) {
        problems.push(
          `recovery cut ${cut} bytes from ${seg.path('.log')} at ${seg.scanStop ?? 'the end of the whole batches'}; the log now ends at offset ${seg.nextOffset}${clean ? '' : ' (the previous run did not stop cleanly)'}`,
        );
      }
      truncatedBytes += cut;
      // after an unclean stop the closed segments are CRC-checked too; damage there is reported, not cut
      if (!recover && !clean) {
        const why = await seg.verify();
        if (why) {
          const line = `${seg.path('.log')} is damaged: ${why}; offsets ${seg.damage?.offset} to ${seg.nextOffset - 1} cannot be read (fetches there answer KAFKA_STORAGE_ERROR)`;
          problems.push(line);
          damaged.push(line);
        }
      }
      segments.push(seg);
    }
    if (segments.length === 0) {
      segments.push(await Segment.create(dir, options.startOffset ?? 0, opts.indexIntervalBytes, opts.now()));
    } else {
      await segments[segments.length - 1]!.reopenForAppend();
    }
    const end = segments[segments.length - 1]!.nextOffset;
    const checkpoint = await readCheckpoint(join(dir, CHECKPOINT), segments[0]!.baseOffset, end, problems);
    const start = Math.min(Math.max(segments[0]!.baseOffset, checkpoint), end);
    for (const line of problems) options.warn?.(line);
    return new FileLog(dir, opts, segments, start, { segments: segments.length, truncatedBytes, problems, damaged });
  }

  storageProblem(): string | undefined {
    return this.openReport.damaged[0];
  }

  reconfigure(config: LogConfig): void {
    checkLogConfig(config);
    const next = { ...this.#opts };
    for (const k of LOG_CONFIG_KEYS) if (config[k] !== undefined) next[k] = config[k];
    this.#opts = next;
  }

  get #active(): Segment {
    return this.#segments[this.#segments.length - 1]!;
  }
  get highWatermark(): number {
    return this.#active.nextOffset;
  }
  get logStartOffset(): number {
    return this.#start;
  }
  get sizeBytes(): number {
    let n = 0;
    for (const s of this.#segments) n += s.size;
    return n;
  }
  /** Segment base offsets, oldest first (for tests and the console). */
  get segmentBaseOffsets(): number[] {
    return this.#segments.map((s) => s.baseOffset);
  }

  #check(): void {
    if (this.#closed) throw new LogError(LogErrorCode.CLOSED, `partition log ${this.dir} is closed`);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new LogError(LogErrorCode.CLOSED, `partition log ${this.dir} is closed`));
    const run = this.#queue.then(() => {
      this.#check();
      return fn();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async append(buf: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
    const result = await this.#serial(async () => {
      const now = this.#opts.now();
      const assigned = assignOffsets(buf, this.highWatermark, this.#opts.maxBatchBytes, {
        partitionLeaderEpoch: options.partitionLeaderEpoch,
        logAppendTime: options.logAppendTime ? now : undefined,
      });
      let bytes = 0;
      for (let i = 0; i < assigned.length; i++) bytes += assigned[i]!.size;
      const active = this.#active;
      if (
        active.size > 0 &&
        (active.size + bytes > this.#opts.segmentBytes || now - active.createdAt >= this.#opts.segmentMs)
      ) {
        await this.#roll(now);
      }
      await this.#active.append(buf, assigned);
      this.#dirty = true;
      const last = assigned[assigned.length - 1]!;
      return {
        baseOffset: assigned[0]!.baseOffset,
        lastOffset: last.lastOffset,
        appendTime: now,
        batches: assigned.length,
      };
    });
    // group commit: appends queued behind an fsync in flight share the next one
    if (this.#opts.fsync === 'always') await this.#syncBarrier();
    return result;
  }

  #syncWaiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  #syncing = false;
  #syncRun: Promise<void> | undefined;

  #syncBarrier(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#syncWaiters.push({ resolve, reject });
      if (!this.#syncing) this.#syncRun = this.#runSyncs();
    });
  }

  async #runSyncs(): Promise<void> {
    this.#syncing = true;
    while (this.#syncWaiters.length > 0) {
      const waiters = this.#syncWaiters.splice(0);
      this.#dirty = false;
      try {
        await this.#active.sync();
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.#dirty = true;
        for (const w of waiters) w.reject(err);
      }
    }
    this.#syncing = false;
  }

  async #roll(now: number): Promise<void> {
    const old = this.#active;
    await old.seal();
    if (this.#opts.fsync !== 'never') await old.sync();
    this.#segments.push(await Segment.create(this.dir, old.nextOffset, this.#opts.indexIntervalBytes, now));
  }

  #segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.#segments.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#segments[mid]!.baseOffset <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  read(offset: number, maxBytes: number): Promise<Buffer> {
    return this.#retrying(() => this.#read(offset, maxBytes));
  }

  /** Runs a read again when a segment it used was deleted or replaced under it. */
  async #retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (attempt >= 5 || !(err instanceof SegmentGoneError)) throw err;
      }
    }
  }

  async #read(offset: number, maxBytes: number): Promise<Buffer> {
    this.#check();
    const end = this.highWatermark;
    if (offset < this.#start || offset > end) {
      throw new LogError(
        LogErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside the log [${this.#start}, ${end}]`,
      );
    }
    if (offset === end) return Buffer.alloc(0);
    // whole batches, possibly from several segments, up to maxBytes (the first batch always)
    const segments = this.#segments;
    const parts: Buffer[] = [];
    let total = 0;
    let next = offset;
    for (let i = this.#segmentIndexFor(offset); i < segments.length; i++) {
      const seg = segments[i]!;
      const first = await seg.findBatch(next);
      if (!first) continue;
      const room = maxBytes - total;
      if (total > 0 && first.size > room) break;
      // a damaged closed segment serves the batches before the damage only
      const limit = seg.damage ? seg.damage.pos : seg.size;
      const want = Math.max(first.size, Math.min(room, limit - first.pos));
      const buf = await seg.readAt(first.pos, want);
      let used = 0;
      while (used + 17 <= buf.length) {
        const size = buf.readInt32BE(used + 8) + 12;
        if (size < RECORD_BATCH_OVERHEAD || buf[used + 16] !== 2) {
          // a garbage header (bit rot in a segment nobody verified): fail loudly, never hand it out
          if (used === 0) throw seg.corrupt(`an impossible batch header at byte ${first.pos} (offset ${next})`);
          break;
        }
        if (used + size > buf.length) break;
        used += size;
      }
      if (used === 0) throw seg.corrupt(`the batch at byte ${first.pos} (offset ${next}) is cut short`);
      parts.push(used === buf.length ? buf : buf.subarray(0, used));
      total += used;
      if (first.pos + used < seg.size) break; // stopped inside this segment: maxBytes reached
      next = seg.nextOffset;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }

  offsetForTimestamp(ts: number): Promise<TimestampLookup | undefined> {
    return this.#retrying(() => this.#offsetForTimestamp(ts));
  }

  async #offsetForTimestamp(ts: number): Promise<TimestampLookup | undefined> {
    this.#check();
    if (ts === -1) return { offset: this.highWatermark, timestamp: -1 };
    if (ts === -2) return { offset: this.#start, timestamp: -1 };
    if (ts === -3) {
      // the segment holding the largest timestamp, then the first record carrying it
      let best: Segment | undefined;
      for (const seg of this.#segments) {
        if (seg.nextOffset > this.#start && seg.size > 0 && (!best || seg.maxTimestamp > best.maxTimestamp)) best = seg;
      }
      if (!best) return undefined;
      ts = best.maxTimestamp;
    }
    for (const seg of [...this.#segments]) {
      if (seg.maxTimestamp < ts || seg.nextOffset <= this.#start) continue;
      for await (const b of seg.batchesFromTimestamp(ts)) {
        if (b.lastOffset < this.#start) continue;
        const bytes = await seg.readAt(b.pos, b.size);
        const hit = firstRecordAtOrAfter(bytes, 0, ts, this.#start);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  deleteRecordsBefore(offset: number): Promise<number> {
    return this.#serial(async () => {
      const start = Math.max(this.#start, Math.min(offset, this.highWatermark));
      if (start !== this.#start) {
        this.#start = start;
        await this.#writeCheckpoint();
      }
      await this.#dropSegmentsBelow(start);
      return this.#start;
    });
  }

  /** Deletes closed segments that hold nothing at or after `offset`. */
  async #dropSegmentsBelow(offset: number): Promise<number> {
    let bytes = 0;
    while (this.#segments.length > 1 && this.#segments[1]!.baseOffset <= offset) {
      const seg = this.#segments.shift()!;
      bytes += seg.size;
      await seg.delete();
    }
    return bytes;
  }

  async #writeCheckpoint(): Promise<void> {
    const tmp = join(this.dir, CHECKPOINT + '.tmp');
    await writeFile(tmp, `${this.#start}\n`);
    await rename(tmp, join(this.dir, CHECKPOINT));
  }

  truncate(offset: number): Promise<number> {
    return this.#serial(async () => {
      if (offset >= this.highWatermark) return this.highWatermark;
      const now = this.#opts.now();
      while (this.#segments.length > 0 && this.#active.baseOffset >= offset) {
        await this.#segments.pop()!.delete();
      }
      if (this.#segments.length === 0) {
        this.#segments.push(await Segment.create(this.dir, offset, this.#opts.indexIntervalBytes, now));
      } else {
        const seg = this.#active;
        const cut = await seg.findBatch(offset);
        if (cut) await seg.truncateTo(cut.pos, cut.baseOffset);
        if (this.#segments.length > 0 && !seg.hasAppendHandles()) await seg.reopenForAppend();
      }
      if (this.#start > this.highWatermark) {
        this.#start = this.highWatermark;
        await this.#writeCheckpoint();
      }
      return this.highWatermark;
    });
  }

  applyRetention(now = this.#opts.now()): Promise<RetentionResult> {
    return this.#serial(async () => {
      const { retentionMs, retentionBytes } = this.#opts;
      let deletedBytes = 0;
      let deletedUnits = 0;
      const expired = (s: Segment) => retentionMs >= 0 && s.size > 0 && s.maxTimestamp < now - retentionMs;
      if (expired(this.#active)) await this.#roll(now);
      let total = this.sizeBytes;
      while (this.#segments.length > 1) {
        const oldest = this.#segments[0]!;
        const oversize = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
        if (!expired(oldest) && !oversize) break;
        this.#segments.shift();
        total -= oldest.size;
        deletedBytes += oldest.size;
        deletedUnits++;
        await oldest.delete();
      }
      const first = this.#segments[0]!.baseOffset;
      if (first > this.#start) {
        this.#start = first;
        await this.#writeCheckpoint();
      }
      return { deletedBytes, deletedUnits };
    });
  }

  compact(options: CompactionOptions = {}): Promise<CompactionResult> {
    return this.#serial(async () => {
      const now = options.now ?? this.#opts.now();
      const horizon = now - (options.deleteRetentionMs ?? 24 * 3600 * 1000);
      const latest: KeyMap = new Map();
      for (const seg of this.#segments) {
        for await (const b of seg.scan(0, seg.size)) {
          if (b) indexKeys(await seg.readAt(b.pos, b.size), 0, latest);
        }
      }
      const result: CompactionResult = { removedRecords: 0, reclaimedBytes: 0, rewritten: 0 };
      for (let i = 0; i < this.#segments.length - 1; i++) {
        const seg = this.#segments[i]!;
        const parts: Buffer[] = [];
        let removed = 0;
        for await (const b of seg.scan(0, seg.size)) {
          if (!b) break;
          const r = compactBatch(await seg.readAt(b.pos, b.size), latest, horizon);
          removed += r.removed;
          if (r.out) parts.push(r.out);
        }
        if (removed === 0) continue;
        const fresh = await Segment.rewrite(this.dir, seg.baseOffset, this.#opts.indexIntervalBytes, parts);
        fresh.nextOffset = seg.nextOffset;
        this.#segments[i] = fresh;
        result.removedRecords += removed;
        result.reclaimedBytes += seg.size - fresh.size;
        result.rewritten++;
        await seg.close();
      }
      return result;
    });
  }

  flush(): Promise<void> {
    return this.#serial(async () => {
      this.#dirty = false;
      await this.#active.sync();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    await this.#syncRun;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#opts.fsync !== 'never' && this.#dirty) await this.#active.sync();
    for (const s of this.#segments) await s.close();
    // best effort: without the marker the next open only does a deeper recovery scan
    await writeFile(join(this.dir, CLEAN_SHUTDOWN), '').catch(() => undefined);
  }
}
