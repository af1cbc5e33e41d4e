// Fetch (key 1), versions 4-12 (topics by name; v13+ uses topic ids and is not advertised).
// v4: isolationLevel, lastStableOffset, abortedTransactions. v5: logStartOffset. v7: fetch sessions
// (KIP-227): this broker never creates one (answers sessionId 0), so every fetch is a full fetch and
// the response lists every requested partition. v9: currentLeaderEpoch (epoch is always 0).
// v11: rackId, preferredReadReplica (-1). v12: flexible, lastFetchedEpoch, divergingEpoch (never set).
// Long poll: when fewer than minBytes are available the request waits up to maxWaitMs and wakes on
// appends to any requested partition. Reads return whole batches starting with the one holding
// fetchOffset, bounded by partitionMaxBytes and the remaining maxBytes, but always at least one batch
// for a partition that has data and the first such partition.
// Client quirk: @platformatic/kafka 1.x fills the v12 topic name with the topic id as dashed hex
// (it only ever fetches by id); a name of that shape that is no topic is looked up as an id, and the
// answer echoes the name it was asked with.
// Authorization (SASL on, ../acl/authorizer.ts): READ on the topic, else TOPIC_AUTHORIZATION_FAILED.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeTopic, Operation } from '../acl/authorizer.ts';
import { LogError } from '../log/index.ts';
import type { ClusterState, Partition, Topic } from '../state/cluster.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 1;
export const minVersion = 4;
export const maxVersion = 12;

const EMPTY = Buffer.alloc(0);

interface PartitionOut {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: [] | null;
  preferredReadReplica: number;
  records: Buffer;
}

const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function topicByDashedId(cluster: ClusterState, name: string): Topic | undefined {
  if (!DASHED_UUID.test(name)) return undefined;
  return cluster.topicById(Buffer.from(name.replaceAll('-', ''), 'hex').toString('base64url'));
}

async function readOnce(req: RequestBody<1>, ctx: RequestContext, watch: Partition[]) {
  const { cluster } = ctx.broker;
  let budget = req.maxBytes;
  let bytes = 0;
  let errors = false;
  const aborted = req.isolationLevel === 1 ? ([] as []) : null;
  const responses = [];
  for (const t of req.topics) {
    const topic = cluster.topics.get(t.topic) ?? topicByDashedId(cluster, t.topic);
    const partitions: PartitionOut[] = [];
    const denied = !authorizeTopic(ctx, Operation.READ, topic?.name ?? t.topic);
    for (const fp of t.partitions) {
      const p = topic?.partitions[fp.partition];
      const out: PartitionOut = {
        partitionIndex: fp.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
        abortedTransactions: aborted,
        preferredReadReplica: -1,
        records: EMPTY,
      };
      partitions.push(out);
      if (denied) {
        out.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        errors = true;
        continue;
      }
      if (p === undefined) {
        out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
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
      out.lastStableOffset = BigInt(hw);
      out.logStartOffset = BigInt(log.logStartOffset);
      const offset = Number(fp.fetchOffset);
      if (offset < log.logStartOffset || offset > hw) {
        out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
        errors = true;
        continue;
      }
      if (offset === hw || (budget <= 0 && bytes > 0)) continue;
      try {
        const data = await log.read(offset, Math.max(1, Math.min(fp.partitionMaxBytes, budget)));
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
    responses.push({ topic: t.topic, partitions });
  }
  return { responses, bytes, errors };
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

export async function handle(req: RequestBody<1>, ctx: RequestContext) {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const signal = ctx.connection.closedSignal;
  for (;;) {
    const watch: Partition[] = [];
    const r = await readOnce(req, ctx, watch);
    const left = deadline - Date.now();
    if (r.bytes >= Math.max(1, req.minBytes) || r.errors || left <= 0 || signal.aborted || watch.length === 0) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: r.responses };
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
