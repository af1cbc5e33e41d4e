// Sparse indexes of one segment, kept in memory and appended to files beside the .log:
//   .index      (relativeOffset int32, position int32), 8 bytes: first batch at or after a byte position
//   .timeindex  (timestamp int64, relativeOffset int32), 12 bytes: max timestamp so far, and the batch
//               that holds it
// An entry is added about every indexIntervalBytes of log. Both are monotonic, so lookups are binary
// searches for the last entry below the target; the log is then scanned from there. The files are
// only a cache: a missing or inconsistent file is rebuilt by scanning the segment.

export class OffsetIndex {
  #offsets: Int32Array = new Int32Array(64);
  #positions: Int32Array = new Int32Array(64);
  length = 0;

  add(relativeOffset: number, position: number): void {
    if (this.length === this.#offsets.length) {
      const o = new Int32Array(this.length * 2);
      const p = new Int32Array(this.length * 2);
      o.set(this.#offsets);
      p.set(this.#positions);
      this.#offsets = o;
      this.#positions = p;
    }
    this.#offsets[this.length] = relativeOffset;
    this.#positions[this.length] = position;
    this.length++;
  }

  /** Position of the last indexed batch whose relative base offset <= rel (0 when none). */
  floorPosition(rel: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#offsets[mid]! <= rel) {
        best = this.#positions[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Drops entries at or after byte position `pos`. */
  truncateToPosition(pos: number): void {
    while (this.length > 0 && this.#positions[this.length - 1]! >= pos) this.length--;
  }

  lastPosition(): number {
    return this.length > 0 ? this.#positions[this.length - 1]! : -1;
  }

  static entry(relativeOffset: number, position: number): Buffer {
    const b = Buffer.allocUnsafe(8);
    b.writeInt32BE(relativeOffset, 0);
    b.writeInt32BE(position, 4);
    return b;
  }

  toBuffer(): Buffer {
    const b = Buffer.allocUnsafe(this.length * 8);
    for (let i = 0; i < this.length; i++) {
      b.writeInt32BE(this.#offsets[i]!, i * 8);
      b.writeInt32BE(this.#positions[i]!, i * 8 + 4);
    }
    return b;
  }

  /** Loads a .index file; undefined when it is not a sane, increasing index within `logSize` bytes. */
  static fromBuffer(b: Buffer, logSize: number): OffsetIndex | undefined {
    if (b.length % 8 !== 0) return undefined;
    const idx = new OffsetIndex();
    let prevOff = -1;
    let prevPos = -1;
    for (let i = 0; i < b.length; i += 8) {
      const off = b.readInt32BE(i);
      const pos = b.readInt32BE(i + 4);
      if (off <= prevOff || pos <= prevPos || pos >= logSize) return undefined;
      idx.add(off, pos);
      prevOff = off;
      prevPos = pos;
    }
    return idx;
  }
}

export class TimeIndex {
  #timestamps: number[] = [];
  #offsets: number[] = [];

  get length(): number {
    return this.#timestamps.length;
  }

  add(timestamp: number, relativeOffset: number): void {
    this.#timestamps.push(timestamp);
    this.#offsets.push(relativeOffset);
  }

  lastTimestamp(): number {
    return this.#timestamps.at(-1) ?? -1;
  }

  /** Relative offset of the last entry with timestamp < ts: every batch up to it is older than ts. */
  floorOffsetBefore(ts: number): number {
    let lo = 0;
    let hi = this.#timestamps.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#timestamps[mid]! < ts) {
        best = this.#offsets[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Drops entries pointing at relative offsets >= rel. */
  truncateToOffset(rel: number): void {
    while (this.#offsets.length > 0 && this.#offsets.at(-1)! >= rel) {
      this.#offsets.pop();
      this.#timestamps.pop();
    }
  }

  static entry(timestamp: number, relativeOffset: number): Buffer {
    const b = Buffer.allocUnsafe(12);
    b.writeBigInt64BE(BigInt(timestamp), 0);
    b.writeInt32BE(relativeOffset, 8);
    return b;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#timestamps.map((t, i) => TimeIndex.entry(t, this.#offsets[i]!)));
  }

  static fromBuffer(b: Buffer): TimeIndex | undefined {
    if (b.length % 12 !== 0) return undefined;
    const idx = new TimeIndex();
    for (let i = 0; i < b.length; i += 12) {
      const ts = Number(b.readBigInt64BE(i));
      const off = b.readInt32BE(i + 8);
      if (ts < idx.lastTimestamp() || off < (idx.#offsets.at(-1) ?? -1)) return undefined;
      idx.add(ts, off);
    }
    return idx;
  }
}
