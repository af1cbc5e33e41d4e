// TxnOffsetCommit (key 28), versions 0-5.
// v0-1: transactionalId, groupId, producerId/epoch, offsets. v2: committedLeaderEpoch, PRODUCER_FENCED
// where v0-1 get INVALID_PRODUCER_EPOCH. v3 (KIP-447): generationId, memberId, groupInstanceId, so the
// group coordinator can reject a zombie member (checked as OffsetCommit does, when memberId is set);
// flexible. v4: same layout (KIP-890 error codes). The offsets wait in the transaction coordinator
// and reach the group offset store when the transaction commits (an abort drops them): until then
// OffsetFetch shows the previous commit. Without AddOffsetsToTxn for the group first:
// INVALID_TXN_STATE, except v5 (transaction.version 2, KIP-890 part 2), where the group joins the
// transaction here as AddOffsetsToTxn would. Metadata over 4096 bytes: OFFSET_METADATA_TOO_LARGE.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { offsetsPartitionFor } from '../group/offset-store.ts';
import type { PendingOffset } from '../txn/txn-log.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 28;
export const minVersion = 0;
export const maxVersion = 5;

const MAX_METADATA = 4096;

export async function handle(req: RequestBody<28>, ctx: RequestContext) {
  const { cluster, groups, txns } = ctx.broker;
  let code: number = ErrorCode.NONE;
  if (req.groupId === '') code = ErrorCode.INVALID_GROUP_ID;
  else if (ctx.version >= 3 && req.memberId !== '') {
    code = groups.commitAllowed(req.groupId, req.memberId, req.groupInstanceId ?? null, req.generationId);
  }
  const now = Date.now();
  const entries: PendingOffset[] = [];
  const perPartition = new Map<string, number>();
  for (const t of req.topics) {
    for (const p of t.partitions) {
      let c: number = ErrorCode.NONE;
      if (!cluster.partition(t.name, p.partitionIndex)) c = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.committedMetadata !== null && p.committedMetadata.length > MAX_METADATA) {
        c = ErrorCode.OFFSET_METADATA_TOO_LARGE;
      } else {
        entries.push({
          group: req.groupId,
          topic: t.name,
          partition: p.partitionIndex,
          offset: Number(p.committedOffset),
          leaderEpoch: p.committedLeaderEpoch,
          metadata: p.committedMetadata,
          commitTimestamp: now,
        });
      }
      if (c !== ErrorCode.NONE) perPartition.set(`${t.name}\0${p.partitionIndex}`, c);
    }
  }
  if (code === ErrorCode.NONE && entries.length > 0 && ctx.version >= 5) {
    // transaction.version 2: no AddOffsetsToTxn before; the group joins the transaction here
    code = await txns.addOffsets(
      req.transactionalId,
      Number(req.producerId),
      req.producerEpoch,
      req.groupId,
      offsetsPartitionFor(req.groupId),
    );
  }
  if (code === ErrorCode.NONE && entries.length > 0) {
    code = await txns.txnOffsetCommit(
      req.transactionalId,
      Number(req.producerId),
      req.producerEpoch,
      req.groupId,
      entries,
    );
    if (code === ErrorCode.PRODUCER_FENCED && ctx.version < 2) code = ErrorCode.INVALID_PRODUCER_EPOCH;
  }
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: perPartition.get(`${t.name}\0${p.partitionIndex}`) ?? code,
      })),
    })),
  };
}
