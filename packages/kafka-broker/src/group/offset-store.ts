// Committed group offsets with metadata. In memory: group -> "topic\0partition" -> offset record.
// Durably they live where Kafka keeps them: the internal, compacted topic __consumer_offsets
// (OFFSETS_PARTITIONS partitions; a group's partition is abs(javaHashCode(groupId)) % partitions, as
// Kafka picks it). Each commit appends one batch to the group's partition, one record per offset:
//
//   key   = OffsetCommitKey v1:   int16 version=1, string group, string topic, int32 partition
//   value = OffsetCommitValue v3: int16 version=3, int64 offset, int32 leaderEpoch, string metadata,
//                                 int64 commitTimestamp
//   (strings: int16 length + UTF-8; a null metadata is length -1, where Kafka would store "")
//
// Group metadata (key version 2, group-record.ts) is kept beside the offsets: the latest record per
// group is loaded at open (groupRecord()) and writeGroup() appends a new one or a tombstone.
// Deleting a group or a topic appends tombstones (null value) for its keys. At open every partition
// is read from its log start to its end (latest value per key wins); compaction is the log's own,
// run by cluster maintenance because the topic has cleanup.policy=compact. Other record kinds a
// Kafka-written log might hold are skipped. A group-offsets.jsonl
// left by an older broker version is imported once into the topic and renamed *.imported.

import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecordBatch, encodeRecordBatch, type RecordInput, scanBatches } from '@seaway/kafka-protocol';
import type { Partition } from '../state/cluster.ts';
import { decodeGroupValue, encodeGroupKey, encodeGroupValue, type GroupRecord } from './group-record.ts';

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

export const OFFSETS_TOPIC = '__consumer_offsets';
/** Kafka's offsets.topic.num.partitions is 50; one node with a few groups needs far fewer. */
export const OFFSETS_PARTITIONS = 10;
/** Topic configs of __consumer_offsets (Kafka's offsets.topic.segment.bytes is 100 MiB). */
export const OFFSETS_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.bytes': String(16 * 1024 * 1024),
};

const NOOP = () => {};
const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Java's String.hashCode over UTF-16 code units, made non-negative like Kafka's Utils.abs. */
export function offsetsPartitionFor(groupId: string, partitions = OFFSETS_PARTITIONS): number {
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(31, h) + groupId.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}

function encodeKey(group: string, topic: string, partition: number): Buffer {
  const g = Buffer.from(group);
  const t = Buffer.from(topic);
  const b = Buffer.allocUnsafe(2 + 2 + g.length + 2 + t.length + 4);
  let p = b.writeInt16BE(1, 0);
  p = b.writeInt16BE(g.length, p);
  p += g.copy(b, p);
  p = b.writeInt16BE(t.length, p);
  p += t.copy(b, p);
  b.writeInt32BE(partition, p);
  return b;
}

function encodeValue(o: CommittedOffset): Buffer {
  const m = o.metadata === null ? null : Buffer.from(o.metadata);
  const b = Buffer.allocUnsafe(2 + 8 + 4 + 2 + (m?.length ?? 0) + 8);
  let p = b.writeInt16BE(3, 0);
  p = b.writeBigInt64BE(BigInt(o.offset), p);
  p = b.writeInt32BE(o.leaderEpoch, p);
  p = b.writeInt16BE(m === null ? -1 : m.length, p);
  if (m !== null) p += m.copy(b, p);
  b.writeBigInt64BE(BigInt(o.commitTimestamp), p);
  return b;
}

function readString(b: Buffer, p: number): [string | null, number] {
  const n = b.readInt16BE(p);
  if (n < 0) return [null, p + 2];
  return [b.toString('utf8', p + 2, p + 2 + n), p + 2 + n];
}

/** An offset commit key, a group metadata key (partition -1), or undefined for other record kinds. */
function decodeKey(b: Buffer): { group: string; topic: string; partition: number } | undefined {
  const version = b.readInt16BE(0);
  if (version === 2) return { group: readString(b, 2)[0] ?? '', topic: '', partition: -1 };
  if (version !== 0 && version !== 1) return undefined;
  const [group, p1] = readString(b, 2);
  const [topic, p2] = readString(b, p1);
  return { group: group ?? '', topic: topic ?? '', partition: b.readInt32BE(p2) };
}

/** OffsetCommitValue versions 0-3 (v1's expireTimestamp is skipped; no leader epoch before v3). */
function decodeValue(b: Buffer): CommittedOffset {
  const version = b.readInt16BE(0);
  const offset = Number(b.readBigInt64BE(2));
  let p = 10;
  let leaderEpoch = -1;
  if (version >= 3) {
    leaderEpoch = b.readInt32BE(p);
    p += 4;
  }
  const [metadata, p2] = readString(b, p);
  return { offset, leaderEpoch, metadata, commitTimestamp: Number(b.readBigInt64BE(p2)) };
}

type LegacyLine =
  | { g: string; c: Array<[string, number, number, number, string | null, number]> }
  | { g: string; del: Array<[string, number]> }
  | { g: string; drop: true };

export class OffsetStore {
  readonly #groups = new Map<string, Map<string, CommittedOffset>>();
  readonly #groupRecords = new Map<string, GroupRecord>();
  readonly #partitions: readonly Partition[];
  /** Appends not yet settled; close() waits for them. */
  readonly #pending = new Set<Promise<unknown>>();

  private constructor(partitions: readonly Partition[]) {
    this.#partitions = partitions;
  }

  /**
   * Loads the committed offsets from the partitions of __consumer_offsets. `dataDir` is only read for
   * a group-offsets.jsonl of an older version, imported once.
   */
  static async open(partitions: readonly Partition[], dataDir: string | null = null): Promise<OffsetStore> {
    const s = new OffsetStore(partitions);
    for (const p of partitions) await s.#load(p);
    if (dataDir !== null) await s.#importLegacy(join(dataDir, 'group-offsets.jsonl'));
    return s;
  }

  async #load(p: Partition): Promise<void> {
    const log = p.log;
    let offset = log.logStartOffset;
    while (offset < log.highWatermark) {
      const buf = await log.read(offset, 1 << 20);
      if (buf.length === 0) break;
      for (const b of scanBatches(buf).batches) {
        for (const r of decodeRecordBatch(buf, b.pos).records) {
          if (r.offset < offset || r.key === null) continue;
          const k = decodeKey(r.key);
          if (!k) continue;
          if (k.partition === -1) {
            if (r.value === null) this.#groupRecords.delete(k.group);
            else this.#groupRecords.set(k.group, decodeGroupValue(r.value));
          } else if (r.value === null) this.#groups.get(k.group)?.delete(key(k.topic, k.partition));
          else this.#set(k.group, k.topic, k.partition, decodeValue(r.value));
        }
        offset = b.header.baseOffset + b.header.lastOffsetDelta + 1;
      }
    }
    // a group whose every offset was tombstoned is gone
    for (const [g, m] of this.#groups) if (m.size === 0) this.#groups.delete(g);
  }

  async #importLegacy(file: string): Promise<void> {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const legacy = new Map<string, Map<string, CommittedOffset>>();
    for (const raw of text.split('\n')) {
      let line: LegacyLine;
      try {
        line = JSON.parse(raw) as LegacyLine;
      } catch {
        continue; // blank or torn
      }
      if ('drop' in line) legacy.delete(line.g);
      else if ('del' in line) for (const [t, p] of line.del) legacy.get(line.g)?.delete(key(t, p));
      else {
        const m = legacy.get(line.g) ?? new Map<string, CommittedOffset>();
        legacy.set(line.g, m);
        for (const [t, p, offset, leaderEpoch, metadata, commitTimestamp] of line.c)
          m.set(key(t, p), { offset, leaderEpoch, metadata, commitTimestamp });
      }
    }
    for (const [g, m] of legacy) {
      if (this.#groups.has(g) || m.size === 0) continue; // the topic is newer
      await this.commit(
        g,
        [...m].map(([k, o]) => {
          const [topic, p] = k.split('\u0000') as [string, string];
          return { topic, partition: Number(p), ...o };
        }),
      );
    }
    await rename(file, `${file}.imported`);
  }

  #set(group: string, topic: string, partition: number, o: CommittedOffset): void {
    let m = this.#groups.get(group);
    if (!m) {
      m = new Map();
      this.#groups.set(group, m);
    }
    m.set(key(topic, partition), o);
  }

  /** Appends records to the group's partition; resolves once the log holds them. */
  #append(group: string, records: RecordInput[]): Promise<void> {
    const p = this.#partitions[offsetsPartitionFor(group, this.#partitions.length)]!;
    const run = p.log.append(encodeRecordBatch(records)).then(() => p.notifyAppend());
    const settled = run.then(NOOP, NOOP);
    this.#pending.add(settled);
    settled.then(() => this.#pending.delete(settled));
    return run;
  }

  /** Groups with committed offsets or stored metadata. */
  groupIds(): string[] {
    return [...new Set([...this.#groups.keys(), ...this.#groupRecords.keys()])];
  }

  /** The group's metadata as last written (loaded at open), if any. */
  groupRecord(group: string): GroupRecord | undefined {
    return this.#groupRecords.get(group);
  }

  /** Stores a group's metadata, or removes it (tombstone) with null. */
  writeGroup(group: string, record: GroupRecord | null): Promise<void> {
    if (record === null) {
      if (!this.#groupRecords.delete(group)) return Promise.resolve();
    } else this.#groupRecords.set(group, record);
    return this.#append(group, [
      { key: encodeGroupKey(group), value: record === null ? null : encodeGroupValue(record), timestamp: Date.now() },
    ]);
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
    const records: RecordInput[] = [];
    for (const e of entries) {
      const o = {
        offset: e.offset,
        leaderEpoch: e.leaderEpoch,
        metadata: e.metadata,
        commitTimestamp: e.commitTimestamp,
      };
      this.#set(group, e.topic, e.partition, o);
      records.push({
        key: encodeKey(group, e.topic, e.partition),
        value: encodeValue(o),
        timestamp: e.commitTimestamp,
      });
    }
    if (records.length === 0) return Promise.resolve();
    return this.#append(group, records);
  }

  /** Removes some of a group's offsets (OffsetDelete): a tombstone per key it had. */
  deleteOffsets(group: string, partitions: Array<{ topic: string; partition: number }>): Promise<void> {
    const m = this.#groups.get(group);
    const records: RecordInput[] = [];
    for (const { topic, partition } of partitions) {
      if (m?.delete(key(topic, partition))) records.push({ key: encodeKey(group, topic, partition), value: null });
    }
    return records.length === 0 ? Promise.resolve() : this.#append(group, records);
  }

  /** Removes the group's offsets: a tombstone per key. */
  deleteGroup(group: string): Promise<void> {
    const m = this.#groups.get(group);
    if (!m) return Promise.resolve();
    this.#groups.delete(group);
    const records: RecordInput[] = [];
    for (const k of m.keys()) {
      const [t, p] = k.split('\u0000') as [string, string];
      records.push({ key: encodeKey(group, t, Number(p)), value: null });
    }
    return records.length === 0 ? Promise.resolve() : this.#append(group, records);
  }

  /** A deleted topic's offsets go from every group (tombstones); resolves when they are appended. */
  forgetTopic(topic: string): Promise<unknown> {
    const writes: Array<Promise<void>> = [];
    for (const [g, m] of this.#groups) {
      const records: RecordInput[] = [];
      for (const k of [...m.keys()]) {
        const [t, p] = k.split('\u0000') as [string, string];
        if (t !== topic) continue;
        m.delete(k);
        records.push({ key: encodeKey(g, t, Number(p)), value: null });
      }
      if (records.length > 0) writes.push(this.#append(g, records));
    }
    return Promise.allSettled(writes);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}
