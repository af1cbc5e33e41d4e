// Append-only journal files for the durable session store: one JSON object per line, written in
// batches once per event-loop turn (one write(2) per batch) and fsynced on an interval. A torn last
// line (crash mid-write) is ignored on load. Snapshots use the same line format, so one replay
// function reads both.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export type JournalRecord = Record<string, unknown> & { o: string };

export class JournalWriter {
  #fd: number;
  #chunks: string[] = [];
  #scheduled = false;
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  bytes = 0;
  onFlushed: (() => void) | null = null;

  constructor(path: string, fsyncIntervalMs: number) {
    this.#fd = openSync(path, 'a');
    if (fsyncIntervalMs > 0) {
      this.#timer = setInterval(() => this.sync(), fsyncIntervalMs);
      this.#timer.unref();
    }
  }

  append(rec: JournalRecord): void {
    this.#chunks.push(JSON.stringify(rec));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#chunks.length === 0 || this.#fd < 0) return;
    const text = this.#chunks.join('\n') + '\n';
    this.#chunks = [];
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.#fd, buf, off);
    this.bytes += buf.length;
    this.#dirty = true;
    this.onFlushed?.();
  }

  sync(): void {
    this.flush();
    if (this.#dirty && this.#fd >= 0) {
      fsyncSync(this.#fd);
      this.#dirty = false;
    }
  }

  close(): void {
    if (this.#fd < 0) return;
    this.sync();
    if (this.#timer) clearInterval(this.#timer);
    closeSync(this.#fd);
    this.#fd = -1;
  }
}

/** Records of a journal or snapshot file; stops at the first unparsable line (a torn tail). */
export function readRecords(path: string): { records: JournalRecord[]; tornAt: number | null } {
  const text = readFileSync(path, 'utf8');
  const records: JournalRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      return { records, tornAt: i + 1 };
    }
  }
  return { records, tornAt: null };
}
