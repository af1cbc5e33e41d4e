// Records of the internal, compacted topic __transaction_state, in Kafka's layout:
//
//   key   = TransactionLogKey v0:   int16 version=0, string transactionalId
//   value = TransactionLogValue v0: int16 version=0, int64 producerId, int16 producerEpoch,
//           int32 transactionTimeoutMs, int8 status, [topic string, [int32 partition]] partitions,
//           int64 lastUpdateTimestampMs, int64 startTimestampMs
//   (strings: int16 length + UTF-8; arrays: int32 count)
//
// Seaway appends one field after Kafka's: the offsets a transaction commits for consumer groups
// (TxnOffsetCommit), as int32 count of {group, topic, int32 partition, int64 offset, int32
// leaderEpoch, nullable metadata}. Kafka keeps them as transactional records in __consumer_offsets;
// here they ride on the PrepareCommit record so a restart between PrepareCommit and CompleteCommit
// still commits them. A Kafka reader ignores trailing bytes of a v0 value; a v0 value without them
// (Kafka-written) decodes with no offsets.

import type { CommittedOffset } from '../group/offset-store.ts';

export const TXN_TOPIC = '__transaction_state';
/** Kafka's transaction.state.log.num.partitions is 50; one node needs far fewer. */
export const TXN_PARTITIONS = 10;
export const TXN_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.bytes': String(16 * 1024 * 1024),
};

/** Kafka's TransactionState ids (the int8 status of TransactionLogValue). */
export const TXN_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;
export type TxnStateName = (typeof TXN_STATES)[number];

export interface PendingOffset extends CommittedOffset {
  group: string;
  topic: string;
  partition: number;
}

export interface TxnLogValue {
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  partitions: Array<{ topic: string; partitions: number[] }>;
  updateMs: number;
  startMs: number;
  offsets: PendingOffset[];
}

/** Java's String.hashCode made non-negative, modulo the partition count, as Kafka picks it. */
export function txnPartitionFor(transactionalId: string, partitions = TXN_PARTITIONS): number {
  let h = 0;
  for (let i = 0; i < transactionalId.length; i++) h = (Math.imul(31, h) + transactionalId.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}

class Out {
  readonly parts: Buffer[] = [];
  i16(v: number) {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    this.parts.push(b);
  }
  i32(v: number) {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v);
    this.parts.push(b);
  }
  i64(v: number) {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(v));
    this.parts.push(b);
  }
  i8(v: number) {
    this.parts.push(Buffer.from([v & 0xff]));
  }
  str(s: string | null) {
    if (s === null) return this.i16(-1);
    const b = Buffer.from(s);
    this.i16(b.length);
    this.parts.push(b);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class In {
  p = 0;
  constructor(readonly b: Buffer) {}
  get left() {
    return this.b.length - this.p;
  }
  i8() {
    return this.b.readInt8(this.p++);
  }
  i16() {
    const v = this.b.readInt16BE(this.p);
    this.p += 2;
    return v;
  }
  i32() {
    const v = this.b.readInt32BE(this.p);
    this.p += 4;
    return v;
  }
  i64() {
    const v = Number(this.b.readBigInt64BE(this.p));
    this.p += 8;
    return v;
  }
  str(): string | null {
    const n = this.i16();
    if (n < 0) return null;
    const s = this.b.toString('utf8', this.p, this.p + n);
    this.p += n;
    return s;
  }
}

export function encodeTxnKey(transactionalId: string): Buffer {
  const o = new Out();
  o.i16(0);
  o.str(transactionalId);
  return o.done();
}

/** The transactional id of a key, or undefined for a key version this broker does not know. */
export function decodeTxnKey(b: Buffer): string | undefined {
  const r = new In(b);
  if (r.i16() !== 0) return undefined;
  return r.str() ?? undefined;
}

export function encodeTxnValue(v: TxnLogValue): Buffer {
  const o = new Out();
  o.i16(0);
  o.i64(v.producerId);
  o.i16(v.producerEpoch);
  o.i32(v.timeoutMs);
  o.i8(TXN_STATES.indexOf(v.state));
  o.i32(v.partitions.length);
  for (const t of v.partitions) {
    o.str(t.topic);
    o.i32(t.partitions.length);
    for (const p of t.partitions) o.i32(p);
  }
  o.i64(v.updateMs);
  o.i64(v.startMs);
  if (v.offsets.length > 0) {
    o.i32(v.offsets.length);
    for (const x of v.offsets) {
      o.str(x.group);
      o.str(x.topic);
      o.i32(x.partition);
      o.i64(x.offset);
      o.i32(x.leaderEpoch);
      o.str(x.metadata);
    }
  }
  return o.done();
}

export function decodeTxnValue(b: Buffer): TxnLogValue {
  const r = new In(b);
  const version = r.i16();
  if (version !== 0) throw new Error(`TransactionLogValue version ${version} is not supported`);
  const producerId = r.i64();
  const producerEpoch = r.i16();
  const timeoutMs = r.i32();
  const state = TXN_STATES[r.i8()] ?? 'Dead';
  const partitions: TxnLogValue['partitions'] = [];
  for (let n = r.i32(); n > 0; n--) {
    const topic = r.str() ?? '';
    const ps: number[] = [];
    for (let k = r.i32(); k > 0; k--) ps.push(r.i32());
    partitions.push({ topic, partitions: ps });
  }
  const updateMs = r.i64();
  const startMs = r.i64();
  const offsets: PendingOffset[] = [];
  if (r.left >= 4) {
    for (let n = r.i32(); n > 0; n--) {
      const group = r.str() ?? '';
      const topic = r.str() ?? '';
      const partition = r.i32();
      const offset = r.i64();
      const leaderEpoch = r.i32();
      const metadata = r.str();
      offsets.push({ group, topic, partition, offset, leaderEpoch, metadata, commitTimestamp: updateMs });
    }
  }
  return { producerId, producerEpoch, timeoutMs, state, partitions, updateMs, startMs, offsets };
}

/** The coordinator's state of one transactional id. */
export interface TxnMetadata {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  lastProducerId: number;
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  /** topic -> partitions in the current transaction */
  partitions: Map<string, Set<number>>;
  /** consumer groups added with AddOffsetsToTxn */
  groups: Set<string>;
  /** "group\0topic\0partition" -> offset to commit with the transaction */
  offsets: Map<string, PendingOffset>;
  startMs: number;
  updateMs: number;
  chain: Promise<unknown>;
}

/** The state a loaded record describes; `old` is the previous record's state for the same id. */
export function metadataFrom(transactionalId: string, v: TxnLogValue, old: TxnMetadata | undefined): TxnMetadata {
  const partitions = new Map<string, Set<number>>();
  for (const t of v.partitions) partitions.set(t.topic, new Set(t.partitions));
  const offsets = new Map<string, PendingOffset>();
  for (const o of v.offsets) offsets.set(`${o.group}\0${o.topic}\0${o.partition}`, o);
  const bumped = old !== undefined && (old.producerId !== v.producerId || old.producerEpoch !== v.producerEpoch);
  return {
    transactionalId,
    producerId: v.producerId,
    producerEpoch: v.producerEpoch,
    lastProducerId: bumped ? old.producerId : (old?.lastProducerId ?? -1),
    lastProducerEpoch: bumped ? old.producerEpoch : (old?.lastProducerEpoch ?? -1),
    timeoutMs: v.timeoutMs,
    state: v.state,
    partitions,
    groups: new Set(v.offsets.map((o) => o.group)),
    offsets,
    startMs: v.startMs,
    updateMs: v.updateMs,
    chain: Promise.resolve(),
  };
}
