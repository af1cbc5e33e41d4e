// OffsetFetch (key 9), versions 1-9.
// v2: topics null = every committed partition, top-level errorCode. v3: throttleTimeMs.
// v5: committedLeaderEpoch. v6: flexible. v7: requireStable (KIP-447): a partition for which a
// transaction holds an uncommitted TxnOffsetCommit answers UNSTABLE_OFFSET_COMMIT (offset -1).
// v8: several groups per request (KIP-709). v9: memberId/memberEpoch (KIP-848; ignored for classic).
// Partitions without a commit answer offset -1 and metadata "" with no error, as Kafka does.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { GroupCoordinator } from '../group/coordinator.ts';
import type { TransactionCoordinator } from '../txn/coordinator.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 9;
export const minVersion = 1;
export const maxVersion = 9;

function offsetsFor(
  groups: GroupCoordinator,
  groupId: string,
  topics: Array<{ name: string; partitionIndexes: number[] }> | null,
  stableIn: TransactionCoordinator | null,
) {
  const byTopic = new Map<
    string,
    Array<{
      partitionIndex: number;
      committedOffset: bigint;
      committedLeaderEpoch: number;
      metadata: string | null;
      errorCode: number;
    }>
  >();
  const add = (topic: string, partition: number) => {
    const c = groups.offsets.get(groupId, topic, partition);
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    if (stableIn?.hasPendingOffset(groupId, topic, partition)) {
      list.push({
        partitionIndex: partition,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT,
      });
      return;
    }
    list.push({
      partitionIndex: partition,
      committedOffset: BigInt(c?.offset ?? -1),
      committedLeaderEpoch: c?.leaderEpoch ?? -1,
      metadata: c ? (c.metadata ?? '') : '',
      errorCode: ErrorCode.NONE,
    });
  };
  if (topics === null) {
    for (const [t, p] of groups.offsets.all(groupId)) add(t, p);
  } else {
    for (const t of topics) {
      if (!byTopic.has(t.name)) byTopic.set(t.name, []);
      for (const p of t.partitionIndexes) add(t.name, p);
    }
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}

export function handle(req: RequestBody<9>, ctx: RequestContext) {
  const { groups } = ctx.broker;
  const stableIn = ctx.version >= 7 && req.requireStable ? ctx.broker.txns : null;
  if (ctx.version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => ({
        groupId: g.groupId,
        errorCode: ErrorCode.NONE,
        topics: offsetsFor(groups, g.groupId, g.topics, stableIn),
      })),
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    topics: offsetsFor(groups, req.groupId, req.topics, stableIn),
  };
}
