// Fetch (key 1), versions 4-18.
// v4: isolationLevel, lastStableOffset, abortedTransactions. v5: logStartOffset. v7: fetch sessions
// (KIP-227, state/fetch-sessions.ts): a full fetch with sessionEpoch 0 creates a session, incremental
// fetches (epoch > 0) name only changed partitions plus forgottenTopicsData, and their responses
// list only partitions with records, an error, or a new high watermark / last stable offset / log
// start; FETCH_SESSION_ID_NOT_FOUND and INVALID_FETCH_SESSION_EPOCH are top-level errors with no
// partitions, as Kafka answers them. v9: currentLeaderEpoch (epoch is always 0; a higher one answers
// UNKNOWN_LEADER_EPOCH). v11: rackId, preferredReadReplica (-1). v12: flexible, lastFetchedEpoch,
// divergingEpoch (never set). v13 (KIP-516): topics and forgotten topics by topic id, responses by
// topic id; an unknown id answers UNKNOWN_TOPIC_ID. v14-15: same layout for consumers (replicaState
// is for followers). v16: nodeEndpoints (tagged; empty: this node always leads). v17:
// replicaDirectoryId (followers; ignored). v18 (KIP-1166): tagged highWatermark (followers; ignored).
// isolationLevel 1 (read_committed, KIP-98): data is served only below the last stable offset (the
// first offset of a transaction still open in the partition), batches at or above it are cut off, and
// abortedTransactions lists the aborted transactions overlapping the data returned, so the consumer
// drops their records; lastStableOffset is reported at every isolation level, as Kafka does.
// Long poll: when fewer than minBytes are available the request waits up to maxWaitMs and wakes on
// appends to any requested partition. Reads return whole batches starting with the one holding
// fetchOffset, bounded by partitionMaxBytes and the remaining maxBytes, but always at least one batch
// for a partition that has data and the first such partition.
// Client quirk: @platformatic/kafka 1.x fills the v12 topic name with the topic id as dashed hex
// (it only ever fetches by id); a name of that shape that is no topic is looked up as an id, and the
// answer echoes the name it was asked with.
// Authorization (SASL on, ../acl/authorizer.ts): READ on the topic, else TOPIC_AUTHORIZATION_FAILED.

import { BATCH_LENGTH, ErrorCode, LOG_OVERHEAD, type RequestBody, readInt64 } from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import { LogError } from '../log/index.ts';
import type { ClusterState, Partition, Topic } from '../state/cluster.ts';
import { type FetchSession, INITIAL_EPOCH, nextEpoch, type SessionPartition } from '../state/fetch-sessions.ts';
import type { AbortedTxn } from '../txn/partition-txns.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 1;
export const minVersion = 4;
export const maxVersion = 18;

const EMPTY = Buffer.alloc(0);
/** A cached value no response can carry: the partition goes out in the next response. */
const UNSENT = -2n;

interface PartitionOut {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: AbortedTxn[] | null;
  preferredReadReplica: number;
  records: Buffer;
}

interface TopicOut {
  topic: string;
  topicId: string;
  partitions: PartitionOut[];
}

const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function topicByDashedId(cluster: ClusterState, name: string): Topic | undefined {
  if (!DASHED_UUID.test(name)) return undefined;
  return cluster.topicById(Buffer.from(name.replaceAll('-', ''), 'hex').toString('base64url'));
}

const keyOf = (topic: string, topicId: string, partition: number) => `${topicId || topic}\0${partition}`;

/** The partitions a request names, as session entries (not yet sent). */
function requested(req: RequestBody<1>): SessionPartition[] {
  const out: SessionPartition[] = [];
  for (const t of req.topics) {
    for (const fp of t.partitions) {
      out.push({
        topic: t.topic,
        topicId: t.topicId,
        partition: fp.partition,
        fetchOffset: fp.fetchOffset,
        partitionMaxBytes: fp.partitionMaxBytes,
        currentLeaderEpoch: fp.currentLeaderEpoch,
        highWatermark: UNSENT,
        lastStableOffset: UNSENT,
        logStartOffset: UNSENT,
      });
    }
  }
  return out;
}

function resolve(cluster: ClusterState, byId: boolean, w: SessionPartition): Topic | undefined {
  if (byId) return cluster.topicById(w.topicId);
  return cluster.topics.get(w.topic) ?? topicByDashedId(cluster, w.topic);
}

async function readOnce(
  req: RequestBody<1>,
  ctx: RequestContext,
  wanted: readonly SessionPartition[],
  watch: Partition[],
) {
  const { cluster } = ctx.broker;
  const byId = ctx.version >= 13;
  let budget = req.maxBytes;
  let bytes = 0;
  let errors = false;
  const committed = req.isolationLevel === 1;
  const noAborted: AbortedTxn[] | null = committed ? [] : null;
  const outs: PartitionOut[] = [];
  const denied = new Map<string, boolean>();
  for (const fp of wanted) {
    const topic = resolve(cluster, byId, fp);
    const p = topic?.partitions[fp.partition];
    const out: PartitionOut = {
      partitionIndex: fp.partition,
      errorCode: ErrorCode.NONE,
      highWatermark: -1n,
      lastStableOffset: -1n,
      logStartOffset: -1n,
      abortedTransactions: noAborted,
      preferredReadReplica: -1,
      records: EMPTY,
    };
    outs.push(out);
    if (!readable(ctx, topic?.name ?? fp.topic, denied)) {
      out.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
      errors = true;
      continue;
    }
    if (p === undefined) {
      out.errorCode = byId && topic === undefined ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      errors = true;
      continue;
    }
    if (fp.currentLeaderEpoch > 0) {
      out.errorCode = ErrorCode.UNKNOWN_LEADER_EPOCH;
      errors = true;
      continue;
    }
    watch.push(p);
    const log = p.log;
    const hw = log.highWatermark;
    out.highWatermark = BigInt(hw);
    const lso = p.txns.lastStableOffset(hw);
    out.lastStableOffset = BigInt(lso);
    out.logStartOffset = BigInt(log.logStartOffset);
    const offset = Number(fp.fetchOffset);
    if (offset < log.logStartOffset || offset > hw) {
      out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
      errors = true;
      continue;
    }
    const end = committed ? lso : hw;
    if (offset >= end || (budget <= 0 && bytes > 0)) continue;
    try {
      let data = await log.read(offset, Math.max(1, Math.min(fp.partitionMaxBytes, budget)));
      if (committed) {
        data = cutAt(data, lso);
        if (data.length === 0) continue;
        const aborted = p.txns.abortedIn(offset, lso);
        if (aborted.length > 0) out.abortedTransactions = aborted;
      }
      // only the first partition with data may exceed maxBytes (its first batch); later ones wait
      if (bytes > 0 && data.length > budget) continue;
      out.records = data;
      bytes += data.length;
      budget -= data.length;
    } catch (e) {
      if (!(e instanceof LogError)) throw e;
      out.errorCode = e.kafkaErrorCode < 0 ? ErrorCode.UNKNOWN_SERVER_ERROR : e.kafkaErrorCode;
      errors = true;
    }
  }
  return { outs, bytes, errors };
}

/** READ on the topic (checked once per topic and request; always true without SASL). */
function readable(ctx: RequestContext, topic: string, seen: Map<string, boolean>): boolean {
  let ok = seen.get(topic);
  if (ok === undefined) {
    ok = authorizeTopic(ctx, Operation.READ, topic);
    seen.set(topic, ok);
  }
  return ok;
}

/** Groups partition answers by topic in request order; with a session, only news (and remembers it). */
function respond(
  wanted: readonly SessionPartition[],
  outs: readonly PartitionOut[],
  session: FetchSession | undefined,
  incremental: boolean,
): TopicOut[] {
  const responses: TopicOut[] = [];
  let last: TopicOut | undefined;
  for (let i = 0; i < wanted.length; i++) {
    const w = wanted[i]!;
    const o = outs[i]!;
    if (incremental) {
      const news =
        o.records.length > 0 ||
        o.errorCode !== ErrorCode.NONE ||
        o.highWatermark !== w.highWatermark ||
        o.lastStableOffset !== w.lastStableOffset ||
        o.logStartOffset !== w.logStartOffset;
      if (!news) continue;
    }
    if (session !== undefined) {
      w.highWatermark = o.highWatermark;
      w.lastStableOffset = o.lastStableOffset;
      w.logStartOffset = o.logStartOffset;
    }
    if (last === undefined || last.topic !== w.topic || last.topicId !== w.topicId) {
      last = { topic: w.topic, topicId: w.topicId, partitions: [] };
      responses.push(last);
    }
    last.partitions.push(o);
  }
  return responses;
}

/** The batches of `data` that start below `limit` (read_committed stops at the LSO). */
function cutAt(data: Buffer, limit: number): Buffer {
  let pos = 0;
  while (pos + LOG_OVERHEAD <= data.length && readInt64(data, pos) < limit) {
    pos += LOG_OVERHEAD + data.readInt32BE(pos + BATCH_LENGTH);
  }
  return pos >= data.length ? data : data.subarray(0, pos);
}

/** One long-poll wait, ended by the first of: timeout, an append to a watched partition, disconnect. */
interface LongPoll {
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal;
  cancels: Array<() => void>;
  resolve: () => void;
  end: () => void;
}

// a module-level function bound per wait: a named closure per request would cost a keepNames wrapper
function endLongPoll(w: LongPoll): void {
  clearTimeout(w.timer);
  w.signal.removeEventListener('abort', w.end);
  for (const c of w.cancels) c();
  w.resolve();
}

function sessionError(errorCode: number) {
  return { throttleTimeMs: 0, errorCode, sessionId: 0, responses: [] };
}

/** Applies an incremental request to its session: new and changed partitions, forgotten ones. */
function update(session: FetchSession, req: RequestBody<1>): void {
  for (const w of requested(req)) {
    const k = keyOf(w.topic, w.topicId, w.partition);
    const cached = session.partitions.get(k);
    if (cached === undefined) session.partitions.set(k, w);
    else {
      cached.fetchOffset = w.fetchOffset;
      cached.partitionMaxBytes = w.partitionMaxBytes;
      cached.currentLeaderEpoch = w.currentLeaderEpoch;
    }
  }
  for (const f of req.forgottenTopicsData) {
    for (const p of f.partitions) session.partitions.delete(keyOf(f.topic, f.topicId, p));
  }
}

export async function handle(req: RequestBody<1>, ctx: RequestContext) {
  const cache = ctx.broker.fetchSessions;
  let session: FetchSession | undefined;
  let incremental = false;
  let wanted: SessionPartition[];
  if (ctx.version >= 7 && req.sessionEpoch > INITIAL_EPOCH) {
    session = cache.get(req.sessionId);
    if (session === undefined) return sessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    if (session.epoch !== req.sessionEpoch) return sessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    update(session, req);
    session.epoch = nextEpoch(session.epoch);
    incremental = true;
    wanted = [...session.partitions.values()];
  } else {
    if (ctx.version >= 7 && req.sessionId !== 0) cache.remove(req.sessionId);
    wanted = requested(req);
    if (ctx.version >= 7 && req.sessionEpoch === INITIAL_EPOCH && wanted.length > 0) {
      session = cache.create();
      if (session !== undefined)
        for (const w of wanted) session.partitions.set(keyOf(w.topic, w.topicId, w.partition), w);
    }
  }
  const sessionId = session?.id ?? 0;
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const signal = ctx.connection.closedSignal;
  for (;;) {
    const watch: Partition[] = [];
    const r = await readOnce(req, ctx, wanted, watch);
    const left = deadline - Date.now();
    if (r.bytes >= Math.max(1, req.minBytes) || r.errors || left <= 0 || signal.aborted || watch.length === 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        sessionId,
        responses: respond(wanted, r.outs, session, incremental),
      };
    }
    await new Promise<void>((resolve) => {
      const w: LongPoll = { timer: undefined, signal, cancels: [], resolve, end: resolve };
      w.end = endLongPoll.bind(null, w);
      w.timer = setTimeout(w.end, left);
      signal.addEventListener('abort', w.end);
      for (const p of watch) w.cancels.push(p.onAppend(w.end));
    });
  }
}
