// Committed group offsets with metadata. In memory: group -> "topic\0partition" -> offset record.
// Durable (dataDir set): one append-only JSON-lines file, <dataDir>/group-offsets.jsonl, one line per
// commit request (or deletion), replayed and rewritten compacted at open and every 50,000 lines. This is the "simpler durable
// file" the design allows instead of an internal compacted __consumer_offsets topic: same semantics
// (latest value per key wins, tombstones remove), no topic visible to clients. Writes are page-cache
// durable like Kafka's defaults: appended before the commit is answered, fsynced by the OS.

import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

type Line =
  | {
      g: string;
      c: Array<[topic: string, partition: number, offset: number, epoch: number, metadata: string | null, ts: number]>;
    }
  | { g: string; del: Array<[topic: string, partition: number]> }
  | { g: string; drop: true };

const COMPACT_AFTER = 50_000;

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class OffsetStore {
  readonly #groups = new Map<string, Map<string, CommittedOffset>>();
  readonly #file: string | null;
  #handle: FileHandle | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  /** Lines appended since the last rewrite; past COMPACT_AFTER the file is rewritten compacted. */
  #appended = 0;

  readonly #compactAfter: number;

  private constructor(file: string | null, compactAfter: number) {
    this.#file = file;
    this.#compactAfter = compactAfter;
  }

  static async open(dataDir: string | null, options: { compactAfter?: number } = {}): Promise<OffsetStore> {
    const file = dataDir === null ? null : join(dataDir, 'group-offsets.jsonl');
    const s = new OffsetStore(file, options.compactAfter ?? COMPACT_AFTER);
    if (s.#file !== null) {
      const text = await readFile(s.#file, 'utf8').catch(() => '');
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') continue;
        let line: Line;
        try {
          line = JSON.parse(raw) as Line;
        } catch {
          continue; // a torn last line after a crash
        }
        s.#apply(line);
      }
      await s.#rewrite();
    }
    return s;
  }

  /** Rewrites the file with the current values only (atomically) and reopens it for appends. */
  async #rewrite(): Promise<void> {
    const file = this.#file as string;
    const lines: string[] = [];
    for (const [g, offsets] of this.#groups) lines.push(JSON.stringify(this.#commitLine(g, offsets)));
    await this.#handle?.close();
    this.#handle = null;
    await writeFile(`${file}.tmp`, lines.length ? `${lines.join('\n')}\n` : '');
    await rename(`${file}.tmp`, file);
    this.#handle = await open(file, 'a');
    this.#appended = 0;
  }

  #commitLine(g: string, offsets: Map<string, CommittedOffset>): Line {
    const c: Array<[string, number, number, number, string | null, number]> = [];
    for (const [k, o] of offsets) {
      const [topic, p] = k.split('\u0000') as [string, string];
      c.push([topic, Number(p), o.offset, o.leaderEpoch, o.metadata, o.commitTimestamp]);
    }
    return { g, c };
  }

  #apply(line: Line): void {
    if ('drop' in line) {
      this.#groups.delete(line.g);
      return;
    }
    let m = this.#groups.get(line.g);
    if (!m) {
      m = new Map();
      this.#groups.set(line.g, m);
    }
    if ('del' in line) {
      for (const [t, p] of line.del) m.delete(key(t, p));
      return;
    }
    for (const [t, p, offset, leaderEpoch, metadata, commitTimestamp] of line.c) {
      m.set(key(t, p), { offset, leaderEpoch, metadata, commitTimestamp });
    }
  }

  #write(line: Line): Promise<void> {
    this.#apply(line);
    if (this.#file === null) return Promise.resolve();
    const text = `${JSON.stringify(line)}\n`;
    const compact = ++this.#appended >= this.#compactAfter;
    const run = this.#queue
      .then(async () => {
        if (compact)
          await this.#rewrite(); // already holds this line's effect
        else await this.#handle?.write(text);
      })
      .then(() => undefined);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  groupIds(): string[] {
    return [...this.#groups.keys()];
  }

  has(group: string): boolean {
    return this.#groups.has(group);
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.#groups.get(group)?.get(key(topic, partition));
  }

  /** Every committed offset of a group as [topic, partition, value]. */
  all(group: string): Array<[string, number, CommittedOffset]> {
    const out: Array<[string, number, CommittedOffset]> = [];
    for (const [k, o] of this.#groups.get(group) ?? []) {
      const [t, p] = k.split('\u0000') as [string, string];
      out.push([t, Number(p), o]);
    }
    return out;
  }

  commit(group: string, entries: Array<{ topic: string; partition: number } & CommittedOffset>): Promise<void> {
    return this.#write({
      g: group,
      c: entries.map((e) => [e.topic, e.partition, e.offset, e.leaderEpoch, e.metadata, e.commitTimestamp]),
    });
  }

  deleteGroup(group: string): Promise<void> {
    if (!this.#groups.has(group)) return Promise.resolve();
    return this.#write({ g: group, drop: true });
  }

  forgetTopic(topic: string): void {
    for (const [g, m] of this.#groups) {
      const del: Array<[string, number]> = [];
      for (const k of m.keys()) {
        const [t, p] = k.split('\u0000') as [string, string];
        if (t === topic) del.push([t, Number(p)]);
      }
      if (del.length > 0) void this.#write({ g, del });
    }
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#handle?.close();
    this.#handle = null;
  }
}
