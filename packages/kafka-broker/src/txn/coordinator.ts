// The transaction coordinator (KIP-98, KIP-447; KIP-890 part 1 as far as Kafka 4.1 clients use it):
// one TxnMetadata per transactional id, with its state kept where Kafka keeps it, in the internal
// compacted topic __transaction_state (txn-log.ts; a transactional id's partition is
// abs(javaHashCode(id)) % 10), created on the first transactional InitProducerId as Kafka does.
// Every state change is appended there before it is answered, so a SIGKILL loses nothing a client
// was told.
//
// States (Kafka's names): Empty -> Ongoing (first AddPartitionsToTxn / AddOffsetsToTxn) ->
// PrepareCommit | PrepareAbort (EndTxn, timeout, fencing) -> CompleteCommit | CompleteAbort -> Ongoing...
// Ending a transaction is done before EndTxn is answered (Kafka answers after PrepareX and writes
// markers afterwards, answering CONCURRENT_TRANSACTIONS meanwhile; the client cannot tell the
// difference except for latency): PrepareX is persisted (with the group offsets to commit), the
// offsets are committed to the group offset store, a COMMIT/ABORT control batch is appended to
// every data partition the producer wrote to in the transaction, then CompleteX is persisted.
// At start a transaction found in PrepareX is completed the same way; one found Ongoing is left to
// its timeout.
//
// Fencing: InitProducerId for a transactional id bumps the epoch (aborting an open transaction
// first, itself with a bumped epoch, as Kafka does: the epoch moves by 2); every later request with
// an older epoch gets PRODUCER_FENCED (INVALID_PRODUCER_EPOCH for versions before KIP-588, mapped by
// the handlers) and a produce INVALID_PRODUCER_EPOCH. A transaction open longer than its
// transaction.timeout.ms is aborted with a bumped epoch (checked every second).
//
// Requests for one transactional id run one after another (a promise chain per id).
// Record layouts and TxnMetadata live in txn-log.ts, per-partition state and markers in
// partition-txns.ts.

import { decodeRecordBatch, ErrorCode, encodeRecordBatch, scanBatches } from '@seaway/kafka-protocol';
import type { ResolvedOptions } from '../config.ts';
import type { ClusterState, Partition } from '../state/cluster.ts';
import { writeMarker } from './partition-txns.ts';
import {
  decodeTxnKey,
  decodeTxnValue,
  encodeTxnKey,
  encodeTxnValue,
  metadataFrom,
  type PendingOffset,
  TXN_PARTITIONS,
  TXN_TOPIC,
  TXN_TOPIC_CONFIGS,
  type TxnMetadata,
  txnPartitionFor,
} from './txn-log.ts';

/** Kafka's transaction.max.timeout.ms default. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;
const TIMEOUT_CHECK_MS = 1000;
const MAX_EPOCH = 32766;

/** Commits offsets of a consumer group (the group offset store's commit). */
export type CommitGroupOffsets = (
  group: string,
  entries: Array<{
    topic: string;
    partition: number;
    offset: number;
    leaderEpoch: number;
    metadata: string | null;
    commitTimestamp: number;
  }>,
) => Promise<void>;

export interface PartitionRef {
  topic: string;
  partitions: number[];
}

export interface InitResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

const ok = ErrorCode.NONE;

export class TransactionCoordinator {
  readonly txns = new Map<string, TxnMetadata>();
  readonly #byProducerId = new Map<number, TxnMetadata>();
  readonly #cluster: ClusterState;
  readonly #opts: ResolvedOptions;
  #log: readonly Partition[];
  readonly #commitOffsets: CommitGroupOffsets;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    opts: ResolvedOptions,
    cluster: ClusterState,
    log: readonly Partition[],
    commit: CommitGroupOffsets,
  ) {
    this.#opts = opts;
    this.#cluster = cluster;
    this.#log = log;
    this.#commitOffsets = commit;
  }

  /** Loads __transaction_state if it exists, rebuilds partition state, finishes prepared ends. */
  static async open(
    opts: ResolvedOptions,
    cluster: ClusterState,
    commit: CommitGroupOffsets,
  ): Promise<TransactionCoordinator> {
    const topic = cluster.topics.get(TXN_TOPIC);
    const c = new TransactionCoordinator(opts, cluster, topic?.partitions ?? [], commit);
    for (const p of c.#log) await c.#load(p);
    if (c.txns.size > 0) {
      for (const t of cluster.topics.values()) {
        if (t.internal) continue;
        for (const p of t.partitions) await p.txns.rebuild(p.log);
      }
    }
    for (const txn of c.txns.values()) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort')
        await c.#complete(txn, txn.state === 'PrepareCommit');
    }
    c.#timer = setInterval(() => void c.abortTimedOut(), TIMEOUT_CHECK_MS);
    c.#timer.unref();
    return c;
  }

  async #ensureLog(): Promise<void> {
    if (this.#log.length > 0) return;
    const topic = await this.#cluster.createTopic(TXN_TOPIC, TXN_PARTITIONS, { ...TXN_TOPIC_CONFIGS });
    this.#log = topic.partitions;
  }

  async #load(p: Partition): Promise<void> {
    let offset = p.log.logStartOffset;
    while (offset < p.log.highWatermark) {
      const buf = await p.log.read(offset, 1 << 20);
      if (buf.length === 0) break;
      for (const b of scanBatches(buf).batches) {
        for (const r of decodeRecordBatch(buf, b.pos).records) {
          if (r.offset < offset || r.key === null) continue;
          const id = decodeTxnKey(r.key);
          if (id === undefined) continue;
          const old = this.txns.get(id);
          if (old) this.#byProducerId.delete(old.producerId);
          if (r.value === null) {
            this.txns.delete(id);
            continue;
          }
          const txn = metadataFrom(id, decodeTxnValue(r.value), old);
          this.txns.set(id, txn);
          this.#byProducerId.set(txn.producerId, txn);
        }
        offset = b.header.baseOffset + b.header.lastOffsetDelta + 1;
      }
    }
  }

  /** Runs fn after every earlier request of this transactional id. */
  #serial<T>(txn: TxnMetadata, fn: () => Promise<T> | T): Promise<T> {
    const run = txn.chain.then(fn);
    txn.chain = run.catch(() => undefined);
    return run;
  }

  async #persist(txn: TxnMetadata): Promise<void> {
    txn.updateMs = Date.now();
    const value = encodeTxnValue({
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      timeoutMs: txn.timeoutMs,
      state: txn.state,
      partitions: [...txn.partitions].map(([topic, ps]) => ({ topic, partitions: [...ps] })),
      updateMs: txn.updateMs,
      startMs: txn.startMs,
      offsets: txn.state === 'PrepareCommit' ? [...txn.offsets.values()] : [],
    });
    const p = this.#log[txnPartitionFor(txn.transactionalId, this.#log.length)]!;
    await p.log.append(encodeRecordBatch([{ key: encodeTxnKey(txn.transactionalId), value, timestamp: txn.updateMs }]));
    p.notifyAppend();
  }

  /** The transaction a transactional batch of this producer belongs to (Produce checks epoch and partition). */
  checkProduce(producerId: number, epoch: number, topic: string, partition: number): number {
    const txn = this.#byProducerId.get(producerId);
    if (txn === undefined) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== txn.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (txn.state !== 'Ongoing' || !txn.partitions.get(topic)?.has(partition)) return ErrorCode.INVALID_TXN_STATE;
    return ok;
  }

  #check(txn: TxnMetadata | undefined, producerId: number, epoch: number): number {
    if (txn === undefined || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== txn.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    return ok;
  }

  #setProducer(txn: TxnMetadata, producerId: number, epoch: number): void {
    if (producerId !== txn.producerId) {
      this.#byProducerId.delete(txn.producerId);
      this.#byProducerId.set(producerId, txn);
    }
    txn.lastProducerId = txn.producerId;
    txn.lastProducerEpoch = txn.producerEpoch;
    txn.producerId = producerId;
    txn.producerEpoch = epoch;
  }

  /** InitProducerId with a transactional id (KIP-98; KIP-360 when producerId/epoch are given). */
  initProducerId(transactionalId: string, timeoutMs: number, producerId: number, epoch: number): Promise<InitResult> {
    if (timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS) {
      return Promise.resolve({ errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1, producerEpoch: -1 });
    }
    let txn = this.txns.get(transactionalId);
    if (txn === undefined) {
      const now = Date.now();
      txn = {
        transactionalId,
        producerId: this.#cluster.allocateProducerId(),
        producerEpoch: 0,
        lastProducerId: -1,
        lastProducerEpoch: -1,
        timeoutMs,
        state: 'Empty',
        partitions: new Map(),
        groups: new Set(),
        offsets: new Map(),
        startMs: -1,
        updateMs: now,
        chain: Promise.resolve(),
      };
      this.txns.set(transactionalId, txn);
      this.#byProducerId.set(txn.producerId, txn);
      const created = txn;
      return this.#serial(created, async () => {
        await this.#ensureLog();
        await this.#persist(created);
        return { errorCode: ok, producerId: created.producerId, producerEpoch: created.producerEpoch };
      });
    }
    const t = txn;
    return this.#serial(t, async (): Promise<InitResult> => {
      if (producerId >= 0) {
        // a retry of a bump that already happened answers the current id and epoch
        const retried =
          (producerId === t.lastProducerId || producerId === t.producerId) &&
          epoch === t.lastProducerEpoch &&
          epoch !== t.producerEpoch &&
          t.state !== 'Ongoing';
        if (retried) return { errorCode: ok, producerId: t.producerId, producerEpoch: t.producerEpoch };
        if (producerId !== t.producerId || epoch !== t.producerEpoch) {
          return { errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1, producerEpoch: -1 };
        }
      }
      if (t.state === 'PrepareCommit' || t.state === 'PrepareAbort') {
        return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1, producerEpoch: -1 };
      }
      if (t.state === 'Ongoing') await this.#abortFenced(t);
      if (t.producerEpoch >= MAX_EPOCH) this.#setProducer(t, this.#cluster.allocateProducerId(), 0);
      else this.#setProducer(t, t.producerId, t.producerEpoch + 1);
      t.timeoutMs = timeoutMs;
      t.state = 'Empty';
      t.startMs = -1;
      await this.#persist(t);
      return { errorCode: ok, producerId: t.producerId, producerEpoch: t.producerEpoch };
    });
  }

  /** Aborts an open transaction with the epoch bumped, so its producer is fenced. */
  async #abortFenced(txn: TxnMetadata): Promise<void> {
    if (txn.producerEpoch < MAX_EPOCH) this.#setProducer(txn, txn.producerId, txn.producerEpoch + 1);
    await this.#end(txn, false);
  }

  #begin(txn: TxnMetadata): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    txn.startMs = Date.now();
    txn.partitions = new Map();
    txn.groups = new Set();
    txn.offsets = new Map();
  }

  /** AddPartitionsToTxn: the error code per partition. */
  addPartitions(
    transactionalId: string,
    producerId: number,
    epoch: number,
    topics: readonly PartitionRef[],
    verifyOnly = false,
  ): Promise<Map<string, Map<number, number>>> {
    const txn = this.txns.get(transactionalId);
    const all = (code: number) => {
      const m = new Map<string, Map<number, number>>();
      for (const t of topics) {
        const pm = m.get(t.topic) ?? new Map<number, number>();
        for (const p of t.partitions) pm.set(p, code);
        m.set(t.topic, pm);
      }
      return m;
    };
    const bad = this.#check(txn, producerId, epoch);
    if (bad !== ok || txn === undefined) return Promise.resolve(all(bad));
    return this.#serial(txn, async () => {
      const again = this.#check(txn, producerId, epoch);
      if (again !== ok) return all(again);
      if (verifyOnly) {
        const m = all(ok);
        for (const [topic, pm] of m)
          for (const p of pm.keys())
            if (txn.state !== 'Ongoing' || !txn.partitions.get(topic)?.has(p))
              pm.set(p, ErrorCode.TRANSACTION_ABORTABLE);
        return m;
      }
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return all(ErrorCode.CONCURRENT_TRANSACTIONS);
      const missing = all(ok);
      let anyMissing = false;
      for (const [topic, pm] of missing) {
        for (const p of pm.keys()) {
          if (this.#cluster.partition(topic, p) === undefined) {
            pm.set(p, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            anyMissing = true;
          }
        }
      }
      if (anyMissing) {
        for (const pm of missing.values())
          for (const [p, code] of pm) if (code === ok) pm.set(p, ErrorCode.OPERATION_NOT_ATTEMPTED);
        return missing;
      }
      const wasOngoing = txn.state === 'Ongoing';
      this.#begin(txn);
      let changed = !wasOngoing;
      for (const t of topics) {
        let set = txn.partitions.get(t.topic);
        if (!set) {
          set = new Set();
          txn.partitions.set(t.topic, set);
        }
        for (const p of t.partitions) {
          if (!set.has(p)) {
            set.add(p);
            changed = true;
          }
        }
      }
      if (changed) await this.#persist(txn);
      return missing;
    });
  }

  /** AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction. */
  addOffsets(
    transactionalId: string,
    producerId: number,
    epoch: number,
    group: string,
    offsetsPartition: number,
  ): Promise<number> {
    const txn = this.txns.get(transactionalId);
    const bad = this.#check(txn, producerId, epoch);
    if (bad !== ok || txn === undefined) return Promise.resolve(bad);
    return this.#serial(txn, async () => {
      const again = this.#check(txn, producerId, epoch);
      if (again !== ok) return again;
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return ErrorCode.CONCURRENT_TRANSACTIONS;
      this.#begin(txn);
      txn.groups.add(group);
      let set = txn.partitions.get('__consumer_offsets');
      if (!set) {
        set = new Set();
        txn.partitions.set('__consumer_offsets', set);
      }
      set.add(offsetsPartition);
      await this.#persist(txn);
      return ok;
    });
  }

  /** TxnOffsetCommit: offsets held until the transaction commits; one error code for the request. */
  txnOffsetCommit(
    transactionalId: string,
    producerId: number,
    epoch: number,
    group: string,
    entries: readonly PendingOffset[],
  ): Promise<number> {
    const txn = this.txns.get(transactionalId);
    const bad = this.#check(txn, producerId, epoch);
    if (bad !== ok || txn === undefined) return Promise.resolve(bad);
    return this.#serial(txn, () => {
      const again = this.#check(txn, producerId, epoch);
      if (again !== ok) return again;
      if (txn.state !== 'Ongoing' || !txn.groups.has(group)) return ErrorCode.INVALID_TXN_STATE;
      for (const e of entries) txn.offsets.set(`${group}\0${e.topic}\0${e.partition}`, e);
      return ok;
    });
  }

  /**
   * EndTxn: commit or abort the open transaction. `bumpEpoch` (EndTxn v5, transaction.version 2, KIP-890
   * part 2): the epoch goes up by one before the markers are written with it, so a late write of the
   * ended transaction is fenced; the client takes the new epoch from the answer. At the highest epoch
   * the markers go out with it and the producer gets a new id at epoch 0. A retry of that EndTxn (the
   * previous epoch, the transaction already complete the same way) answers NONE.
   */
  endTxn(
    transactionalId: string,
    producerId: number,
    epoch: number,
    commit: boolean,
    bumpEpoch = false,
  ): Promise<number> {
    const txn = this.txns.get(transactionalId);
    const retried = () =>
      bumpEpoch &&
      txn !== undefined &&
      producerId === txn.lastProducerId &&
      epoch === txn.lastProducerEpoch &&
      txn.state === (commit ? 'CompleteCommit' : 'CompleteAbort');
    if (retried()) return Promise.resolve(ok);
    const bad = this.#check(txn, producerId, epoch);
    if (bad !== ok || txn === undefined) return Promise.resolve(bad);
    return this.#serial(txn, async () => {
      if (retried()) return ok;
      const again = this.#check(txn, producerId, epoch);
      if (again !== ok) return again;
      switch (txn.state) {
        case 'Ongoing':
          if (bumpEpoch && txn.producerEpoch < MAX_EPOCH) this.#setProducer(txn, txn.producerId, txn.producerEpoch + 1);
          await this.#end(txn, commit);
          if (bumpEpoch && txn.lastProducerEpoch !== epoch) {
            // the epoch could not go up: a new producer id
            this.#setProducer(txn, this.#cluster.allocateProducerId(), 0);
            txn.lastProducerId = producerId;
            txn.lastProducerEpoch = epoch;
            await this.#persist(txn);
          }
          return ok;
        case 'CompleteCommit':
          return commit ? ok : ErrorCode.INVALID_TXN_STATE;
        case 'CompleteAbort':
          return commit ? ErrorCode.INVALID_TXN_STATE : ok;
        case 'PrepareCommit':
        case 'PrepareAbort':
          return ErrorCode.CONCURRENT_TRANSACTIONS;
        default:
          return ErrorCode.INVALID_TXN_STATE;
      }
    });
  }

  async #end(txn: TxnMetadata, commit: boolean): Promise<void> {
    txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    await this.#persist(txn);
    await this.#complete(txn, commit);
  }

  /** From PrepareX: group offsets, markers, then CompleteX. */
  async #complete(txn: TxnMetadata, commit: boolean): Promise<void> {
    if (commit) {
      const byGroup = new Map<string, PendingOffset[]>();
      for (const o of txn.offsets.values()) {
        const list = byGroup.get(o.group) ?? [];
        list.push({ ...o, commitTimestamp: Date.now() });
        byGroup.set(o.group, list);
      }
      for (const [group, list] of byGroup) await this.#commitOffsets(group, list);
    }
    const writes: Array<Promise<void>> = [];
    for (const [topic, ps] of txn.partitions) {
      for (const index of ps) {
        const p = this.#cluster.partition(topic, index);
        if (p === undefined || this.#cluster.topics.get(topic)?.internal) continue;
        writes.push(writeMarker(p, txn.producerId, txn.producerEpoch, commit));
      }
    }
    await Promise.all(writes);
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    txn.partitions = new Map();
    txn.groups = new Set();
    txn.offsets = new Map();
    await this.#persist(txn);
  }

  /** Aborts transactions open longer than their timeout (fencing their producer). */
  async abortTimedOut(now = Date.now()): Promise<void> {
    for (const txn of this.txns.values()) {
      if (this.#closed) return;
      if (txn.state !== 'Ongoing' || now - txn.startMs <= txn.timeoutMs) continue;
      await this.#serial(txn, async () => {
        if (txn.state !== 'Ongoing' || Date.now() - txn.startMs <= txn.timeoutMs) return;
        this.#opts.log('info', `aborting transaction ${txn.transactionalId}: open longer than ${txn.timeoutMs} ms`);
        await this.#abortFenced(txn);
      }).catch((e: Error) => this.#opts.log('warn', `cannot abort ${txn.transactionalId}: ${e.message}`));
    }
  }

  /** A transaction holds an offset for this group partition that is not committed yet (KIP-447). */
  hasPendingOffset(group: string, topic: string, partition: number): boolean {
    const key = `${group}\0${topic}\0${partition}`;
    for (const t of this.txns.values()) if (t.offsets.size > 0 && t.offsets.has(key)) return true;
    return false;
  }

  /** The transaction state of a producer id, for DescribeProducers' coordinator fields. */
  byProducerId(producerId: number): TxnMetadata | undefined {
    return this.#byProducerId.get(producerId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.txns.values()].map((t) => t.chain));
  }
}
