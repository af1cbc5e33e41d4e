// One segment of a partition log: `<baseOffset, 20 digits>.log` with its `.index` and `.timeindex`.
//
// The segment appends whole batches, keeps its sparse indexes in memory (and appends them to their
// files), finds the batch holding an offset by index floor + header scan, and can scan itself with
// CRC checks to find a torn tail after a crash. Reads may run while an append is in flight: `size`
// only moves after the bytes are written, so readers see whole batches only.

import { writeSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssignedBatch } from './append-batches.ts';
import { LogError, LogErrorCode } from './errors.ts';
import { isBatchCrcValid, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readInt64 } from './protocol.ts';
import { OffsetIndex, TimeIndex } from './sparse-index.ts';

const HEADER_NEEDED = 43; // through maxTimestamp
/** Read size for scans that stop early (offset lookups); full scans (recovery, compaction) use more. */
const LOOKUP_CHUNK = 16 * 1024;
const FULL_SCAN_CHUNK = 1024 * 1024;

export interface BatchInfo {
  pos: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/** A read raced with retention, truncation or compaction replacing this segment; the caller retries. */
export class SegmentGoneError extends Error {
  constructor(baseOffset: number) {
    super(`segment ${baseOffset} was removed or replaced during a read`);
    this.name = 'SegmentGoneError';
  }
}

export const segmentName = (baseOffset: number, ext: string) => `${String(baseOffset).padStart(20, '0')}${ext}`;

export class Segment {
  readonly baseOffset: number;
  readonly #dir: string;
  readonly #interval: number;
  #log: FileHandle;
  #index: FileHandle | undefined;
  #timeIndex: FileHandle | undefined;
  offsetIndex = new OffsetIndex();
  timeIndex = new TimeIndex();
  /** Bytes of whole batches in the .log. */
  size = 0;
  /** Offset after the last batch (baseOffset when empty). */
  nextOffset: number;
  /** Largest batch maxTimestamp seen (-1 when empty). */
  maxTimestamp = -1;
  #maxTsOffset = 0;
  #bytesSinceIndex = 0;
  #indexFileSize = 0;
  #timeIndexFileSize = 0;
  createdAt: number;
  #readers = 0;
  #gone = false;
  /** Why the last scan stopped early (a torn, impossible or corrupt batch), for recovery reports. */
  scanStop: string | undefined;
  /** A damaged batch found in this closed segment: reads reaching it fail with KAFKA_STORAGE_ERROR. */
  damage: { pos: number; offset: number; reason: string } | undefined;
  #onIdle: (() => void) | undefined;

  private constructor(dir: string, baseOffset: number, interval: number, log: FileHandle, createdAt: number) {
    this.#dir = dir;
    this.baseOffset = baseOffset;
    this.nextOffset = baseOffset;
    this.#interval = interval;
    this.#log = log;
    this.createdAt = createdAt;
  }

  path(ext: string): string {
    return join(this.#dir, segmentName(this.baseOffset, ext));
  }

  static async create(dir: string, baseOffset: number, interval: number, now: number): Promise<Segment> {
    const log = await open(join(dir, segmentName(baseOffset, '.log')), 'w+');
    const seg = new Segment(dir, baseOffset, interval, log, now);
    seg.#index = await open(seg.path('.index'), 'w+');
    seg.#timeIndex = await open(seg.path('.timeindex'), 'w+');
    return seg;
  }

  /**
   * Opens an existing segment. `recover` scans every batch with CRC checks, truncates a torn tail and
   * rewrites the indexes; otherwise the index files are trusted when they look sane.
   * Returns the segment and the number of bytes cut off.
   */
  static async open(dir: string, baseOffset: number, interval: number, recover: boolean): Promise<[Segment, number]> {
    const log = await open(join(dir, segmentName(baseOffset, '.log')), 'r+');
    const st = await log.stat();
    const seg = new Segment(dir, baseOffset, interval, log, st.mtimeMs);
    seg.size = st.size;
    if (!recover) {
      const [idx, tidx] = await Promise.all([readOptional(seg.path('.index')), readOptional(seg.path('.timeindex'))]);
      const oi = idx && OffsetIndex.fromBuffer(idx, st.size);
      const ti = tidx && TimeIndex.fromBuffer(tidx);
      if (oi && ti && ti.length > 0) {
        seg.offsetIndex = oi;
        seg.timeIndex = ti;
        seg.maxTimestamp = ti.lastTimestamp();
        return [seg, 0];
      }
    }
    const cut = await seg.#rebuild(recover);
    return [seg, cut];
  }

  /**
   * Replaces a closed segment's log with `parts` (compaction): writes <base>.log.cleaned, removes the
   * index files (a crash before the rename leaves the old log, whose index is then rebuilt), renames
   * the cleaned file over the log, and opens the result. The old Segment object keeps reading the old
   * file until it is closed.
   */
  static async rewrite(dir: string, baseOffset: number, interval: number, parts: Buffer[]): Promise<Segment> {
    const log = join(dir, segmentName(baseOffset, '.log'));
    const fh = await open(log + '.cleaned', 'w');
    try {
      let pos = 0;
      for (const p of parts) {
        await writeFully(fh, p, 0, p.length, pos);
        pos += p.length;
      }
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rm(join(dir, segmentName(baseOffset, '.index')), { force: true });
    await rm(join(dir, segmentName(baseOffset, '.timeindex')), { force: true });
    await rename(log + '.cleaned', log);
    const [seg] = await Segment.open(dir, baseOffset, interval, false);
    return seg;
  }

  /** Scans the whole segment, rebuilding indexes; with `verify`, stops at the first bad batch and truncates. */
  async #rebuild(verify: boolean): Promise<number> {
    const fileSize = this.size;
    this.offsetIndex = new OffsetIndex();
    this.timeIndex = new TimeIndex();
    this.#bytesSinceIndex = 0;
    this.maxTimestamp = -1;
    let end = 0;
    for await (const b of this.scan(0, fileSize, verify, FULL_SCAN_CHUNK)) {
      if (b === undefined) break;
      this.#track(b);
      end = b.pos + b.size;
    }
    this.#newOffsetEntries.length = 0; // the whole index files are written below
    this.#newTimeEntries.length = 0;
    this.size = end;
    if (end < fileSize) await this.#log.truncate(end);
    this.#finishTimeIndex();
    await writeWhole(this.path('.index'), this.offsetIndex.toBuffer());
    await writeWhole(this.path('.timeindex'), this.timeIndex.toBuffer());
    return fileSize - end;
  }

  /**
   * Updates the in-memory indexes for a batch placed at `pos` in this segment (default b.pos). Index
   * entries to persist go to `#newOffsetEntries` / `#newTimeEntries` (no per-batch allocation).
   */
  #track(b: BatchInfo, pos = b.pos): void {
    if (b.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = b.maxTimestamp;
      this.#maxTsOffset = b.lastOffset - this.baseOffset;
    }
    if (this.#bytesSinceIndex >= this.#interval) {
      const rel = b.baseOffset - this.baseOffset;
      this.offsetIndex.add(rel, pos);
      this.#newOffsetEntries.push(OffsetIndex.entry(rel, pos));
      if (this.maxTimestamp > this.timeIndex.lastTimestamp()) {
        this.timeIndex.add(this.maxTimestamp, this.#maxTsOffset);
        this.#newTimeEntries.push(TimeIndex.entry(this.maxTimestamp, this.#maxTsOffset));
      }
      this.#bytesSinceIndex = 0;
    }
    this.#bytesSinceIndex += b.size;
    this.nextOffset = b.lastOffset + 1;
  }
  readonly #newOffsetEntries: Buffer[] = [];
  readonly #newTimeEntries: Buffer[] = [];

  /** Adds the closing time-index entry so a closed segment always knows its max timestamp. */
  #finishTimeIndex(): Buffer | undefined {
    if (this.size === 0 || this.maxTimestamp <= this.timeIndex.lastTimestamp()) return undefined;
    this.timeIndex.add(this.maxTimestamp, this.#maxTsOffset);
    return TimeIndex.entry(this.maxTimestamp, this.#maxTsOffset);
  }

  /** Appends `batches` (already validated, offsets assigned) found in `buf`. */
  async append(buf: Buffer, batches: AssignedBatch[]): Promise<void> {
    const start = this.size;
    const first = batches[0]!.pos;
    const last = batches[batches.length - 1]!;
    const len = last.pos + last.size - first;
    const oi = this.#newOffsetEntries;
    const ti = this.#newTimeEntries;
    oi.length = 0;
    ti.length = 0;
    const saved = this.nextOffset;
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      this.#track(b, start + b.pos - first);
    }
    this.nextOffset = saved; // published only after the write lands
    // Synchronous writes: a few KB into the page cache cost microseconds, far less than a round trip
    // through libuv's thread pool; durability comes from the fsync policy, not from these calls.
    writeFullySync(this.#log.fd, buf, first, len, start);
    if (oi.length > 0 && this.#index) {
      const b = oi.length === 1 ? oi[0]! : Buffer.concat(oi);
      writeFullySync(this.#index.fd, b, 0, b.length, this.#indexFileSize);
      this.#indexFileSize += b.length;
    }
    if (ti.length > 0 && this.#timeIndex) {
      const b = ti.length === 1 ? ti[0]! : Buffer.concat(ti);
      writeFullySync(this.#timeIndex.fd, b, 0, b.length, this.#timeIndexFileSize);
      this.#timeIndexFileSize += b.length;
    }
    this.size = start + len;
    this.nextOffset = last.lastOffset + 1;
  }

  hasAppendHandles(): boolean {
    return this.#index !== undefined;
  }

  /** Makes a reopened segment the active one: opens its index files for appending. */
  async reopenForAppend(): Promise<void> {
    this.#index = await open(this.path('.index'), 'r+');
    this.#timeIndex = await open(this.path('.timeindex'), 'r+');
    this.#indexFileSize = this.offsetIndex.length * 8;
    this.#timeIndexFileSize = this.timeIndex.length * 12;
  }

  /** Ends appends: writes the closing time-index entry and closes the index files. */
  async seal(): Promise<void> {
    const t = this.#finishTimeIndex();
    if (t && this.#timeIndex) await writeFully(this.#timeIndex, t, 0, t.length, this.#timeIndexFileSize);
    await this.#index?.close();
    await this.#timeIndex?.close();
    this.#index = undefined;
    this.#timeIndex = undefined;
  }

  async sync(): Promise<void> {
    await this.#log.datasync();
  }

  async readAt(pos: number, length: number): Promise<Buffer> {
    if (this.#gone) throw new SegmentGoneError(this.baseOffset);
    this.#readers++;
    try {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await this.#log.read(buf, got, length - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      if (--this.#readers === 0) this.#onIdle?.();
    }
  }

  /**
   * Yields batches from byte `from` to `end`. With `verify`, each whole batch is CRC-checked. Yields
   * undefined (and stops) at the first torn, impossible or corrupt batch.
   */
  async *scan(from: number, end: number, verify = false, chunk = LOOKUP_CHUNK): AsyncGenerator<BatchInfo | undefined> {
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = from;
    let pos = from;
    while (pos < end) {
      let rel = pos - bufStart;
      if (rel + HEADER_NEEDED > buf.length) {
        buf = await this.readAt(pos, Math.min(chunk, end - pos));
        chunk = Math.min(chunk * 2, FULL_SCAN_CHUNK);
        bufStart = pos;
        rel = 0;
        if (buf.length < HEADER_NEEDED) {
          this.scanStop = `a batch header torn at byte ${pos} (${end - pos} bytes left, ${HEADER_NEEDED} needed)`;
          return yield undefined;
        }
      }
      const size = buf.readInt32BE(rel + 8) + LOG_OVERHEAD;
      if (size < RECORD_BATCH_OVERHEAD || buf[rel + 16] !== 2) {
        this.scanStop = `an impossible batch header at byte ${pos} (length ${size - LOG_OVERHEAD}, magic ${buf[rel + 16]})`;
        return yield undefined;
      }
      if (pos + size > end) {
        this.scanStop = `a torn batch at byte ${pos} (${size} bytes declared, ${end - pos} present)`;
        return yield undefined;
      }
      if (verify) {
        if (rel + size > buf.length) {
          buf = await this.readAt(pos, Math.min(Math.max(chunk, size), end - pos));
          bufStart = pos;
          rel = 0;
        }
        if (!isBatchCrcValid(buf, rel, size)) {
          this.scanStop = `a CRC mismatch in the batch at byte ${pos} (offset ${readInt64(buf, rel)})`;
          return yield undefined;
        }
      }
      const baseOffset = readInt64(buf, rel);
      yield {
        pos,
        size,
        baseOffset,
        lastOffset: baseOffset + buf.readInt32BE(rel + 23),
        maxTimestamp: readInt64(buf, rel + 35),
      };
      pos += size;
    }
  }

  /** The first batch whose lastOffset >= offset, found from the sparse index; undefined if none here. */
  async findBatch(offset: number): Promise<BatchInfo | undefined> {
    if (offset >= this.nextOffset) return undefined;
    const from = this.offsetIndex.floorPosition(Math.max(0, offset - this.baseOffset));
    const damage = this.damage;
    for await (const b of this.scan(from, this.size)) {
      if (b === undefined) throw this.corrupt(`reading offset ${offset}: ${this.scanStop}`);
      if (damage && b.pos >= damage.pos) throw this.corrupt(`offset ${offset} is at or after ${damage.reason}`);
      if (b.lastOffset >= offset) return b;
    }
    return undefined;
  }

  /** The error a read reaching damaged bytes fails with (Kafka: KAFKA_STORAGE_ERROR). */
  corrupt(what: string): LogError {
    return new LogError(LogErrorCode.STORAGE_DAMAGED, `segment ${this.path('.log')}: ${what}`);
  }

  /** CRC-checks every batch without changing anything; records and returns the first damage found. */
  async verify(): Promise<string | undefined> {
    let last = this.baseOffset - 1;
    let goodEnd = 0;
    for await (const b of this.scan(0, this.size, true, FULL_SCAN_CHUNK)) {
      if (b === undefined) {
        this.damage = { pos: goodEnd, offset: last + 1, reason: `${this.scanStop}` };
        return this.damage.reason;
      }
      last = b.lastOffset;
      goodEnd = b.pos + b.size;
    }
    return undefined;
  }

  /** First batch at or after the time-index floor for `ts` whose maxTimestamp >= ts. */
  async *batchesFromTimestamp(ts: number): AsyncGenerator<BatchInfo> {
    const rel = this.timeIndex.floorOffsetBefore(ts);
    const from = this.offsetIndex.floorPosition(rel);
    for await (const b of this.scan(from, this.size)) {
      if (b === undefined) return;
      if (b.maxTimestamp >= ts) yield b;
    }
  }

  /** Cuts the segment at byte `pos` (a batch boundary) and drops index entries beyond it. */
  async truncateTo(pos: number, newNextOffset: number): Promise<void> {
    await this.#log.truncate(pos);
    this.size = pos;
    this.nextOffset = newNextOffset;
    this.offsetIndex.truncateToPosition(pos);
    this.timeIndex.truncateToOffset(newNextOffset - this.baseOffset);
    this.maxTimestamp = this.timeIndex.lastTimestamp();
    this.#bytesSinceIndex = pos - Math.max(0, this.offsetIndex.lastPosition());
    await writeWhole(this.path('.index'), this.offsetIndex.toBuffer());
    await writeWhole(this.path('.timeindex'), this.timeIndex.toBuffer());
    this.#indexFileSize = this.offsetIndex.length * 8;
    this.#timeIndexFileSize = this.timeIndex.length * 12;
    if (pos > 0) {
      // the max timestamp of the kept batches is not in the index any more: rescan them
      for await (const b of this.scan(Math.max(0, this.offsetIndex.lastPosition()), pos)) {
        if (b && b.maxTimestamp > this.maxTimestamp) {
          this.maxTimestamp = b.maxTimestamp;
          this.#maxTsOffset = b.lastOffset - this.baseOffset;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.#gone = true;
    await this.#index?.close();
    await this.#timeIndex?.close();
    this.#index = undefined;
    this.#timeIndex = undefined;
    if (this.#readers > 0) await new Promise<void>((resolve) => (this.#onIdle = resolve));
    await this.#log.close();
  }

  /** Renames the files to .deleted, waits for in-flight reads, closes, then removes them. */
  async delete(): Promise<void> {
    const exts = ['.log', '.index', '.timeindex'];
    await Promise.all(exts.map((e) => rename(this.path(e), this.path(e) + '.deleted').catch(() => undefined)));
    await this.close();
    await Promise.all(exts.map((e) => rm(this.path(e) + '.deleted', { force: true })));
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch(() => undefined);
}

async function writeWhole(path: string, data: Buffer): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await writeFully(fh, data, 0, data.length, 0);
  } finally {
    await fh.close();
  }
}

function writeFullySync(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buf, offset + done, length - done, position + done);
}

async function writeFully(
  fh: FileHandle,
  buf: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await fh.write(buf, offset + done, length - done, position + done);
    done += bytesWritten;
  }
}
