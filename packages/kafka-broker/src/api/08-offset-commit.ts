// OffsetCommit (key 8), versions 2-9.
// v2-4: retentionTimeMs (ignored: offsets are kept until the group is deleted). v3: throttleTimeMs.
// v5: retention removed. v6: committedLeaderEpoch. v7: groupInstanceId. v8: flexible.
// v9: generationIdOrMemberEpoch is a member epoch for KIP-848 groups; classic groups use it as the
// generation. A commit with generation -1 and no member id is a standalone commit (groups without
// members, e.g. kafka-consumer-groups --reset-offsets). Metadata over 4096 bytes: OFFSET_METADATA_TOO_LARGE.
// Group checks are the coordinator's commitAllowed(): as Kafka, a commit from the current generation
// is accepted while the group prepares a rebalance, REBALANCE_IN_PROGRESS only in CompletingRebalance.
// Authorization (SASL on, ../acl/authorizer.ts): READ on the group (GROUP_AUTHORIZATION_FAILED) and the topic.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { authorizeGroup, authorizeTopic, Operation } from '../acl/authorizer.ts';
import type { CommittedOffset } from '../group/offset-store.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 8;
export const minVersion = 2;
export const maxVersion = 9;

const MAX_METADATA = 4096;

export async function handle(req: RequestBody<8>, ctx: RequestContext) {
  const { groups, cluster } = ctx.broker;
  const allowed =
    req.groupId === ''
      ? ErrorCode.INVALID_GROUP_ID
      : !authorizeGroup(ctx, Operation.READ, req.groupId)
        ? ErrorCode.GROUP_AUTHORIZATION_FAILED
        : groups.commitAllowed(req.groupId, req.memberId, req.groupInstanceId, req.generationIdOrMemberEpoch);
  const now = Date.now();
  const entries: Array<{ topic: string; partition: number } & CommittedOffset> = [];
  const topics = req.topics.map((t) => {
    const topic = cluster.topics.get(t.name);
    const topicDenied = !authorizeTopic(ctx, Operation.READ, t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p) => {
        let errorCode = allowed === ErrorCode.NONE && topicDenied ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : allowed;
        if (errorCode === ErrorCode.NONE) {
          if (!topic?.partitions[p.partitionIndex]) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          else if (p.committedMetadata !== null && p.committedMetadata.length > MAX_METADATA) {
            errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
          } else {
            entries.push({
              topic: t.name,
              partition: p.partitionIndex,
              offset: Number(p.committedOffset),
              leaderEpoch: p.committedLeaderEpoch,
              metadata: p.committedMetadata,
              commitTimestamp: now,
            });
          }
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    };
  });
  if (entries.length > 0) await groups.offsets.commit(req.groupId, entries);
  return { throttleTimeMs: 0, topics };
}
