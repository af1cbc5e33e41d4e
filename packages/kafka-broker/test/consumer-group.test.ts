// KIP-848 consumer groups at the protocol level (ConsumerGroupHeartbeat, ConsumerGroupDescribe):
// join with server-side assignment (uniform, range), incremental reassignment once the previous owner
// acknowledges its revocation, epoch fencing, leave; and OffsetDelete for both kinds of groups.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode } from '@seaway/kafka-protocol';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

let broker: KafkaBroker;
let c: RawClient;
before(async () => {
  broker = await startTestBroker();
  c = await RawClient.open(broker.port);
});
after(async () => {
  c.close();
  await broker.close();
});

async function topic(partitions: number): Promise<{ name: string; id: string }> {
  const name = unique('kip848');
  const r = await c.send(19, 7, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1 }],
    timeoutMs: 1000,
  });
  return { name, id: r.body.topics[0].topicId as string };
}

type Owned = Array<{ topicId: string; partitions: number[] }> | null;
const hb = async (
  groupId: string,
  memberId: string,
  memberEpoch: number,
  extra: { topics?: string[]; owned?: Owned; assignor?: string } = {},
) =>
  (
    await c.send(68, 1, {
      groupId,
      memberId,
      memberEpoch,
      rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
      subscribedTopicNames: extra.topics ?? null,
      serverAssignor: extra.assignor ?? null,
      topicPartitions: extra.owned ?? (memberEpoch === 0 ? [] : null),
    })
  ).body;
const parts = (body: { assignment: { topicPartitions: Array<{ partitions: number[] }> } | null }) =>
  body.assignment?.topicPartitions.flatMap((t) => t.partitions).sort() ?? null;

test('a second member gets its partitions once the first acknowledges revoking them', async () => {
  const t = await topic(4);
  const groupId = unique('cg');
  const a = await hb(groupId, 'member-a', 0, { topics: [t.name] });
  assert.equal(a.errorCode, ErrorCode.NONE);
  assert.equal(a.memberEpoch, 1);
  assert.deepEqual(parts(a), [0, 1, 2, 3]);
  const b = await hb(groupId, 'member-b', 0, { topics: [t.name] });
  assert.equal(b.memberEpoch, 2);
  assert.deepEqual(parts(b), []); // everything is still a's
  const a2 = await hb(groupId, 'member-a', 1);
  assert.equal(a2.memberEpoch, 1); // keeps its epoch until it has revoked
  const kept = parts(a2) as number[];
  assert.equal(kept.length, 2);
  const a3 = await hb(groupId, 'member-a', 1, { owned: [{ topicId: t.id, partitions: kept }] });
  assert.equal(a3.memberEpoch, 2);
  const b2 = await hb(groupId, 'member-b', 2);
  assert.deepEqual(
    parts(b2),
    [0, 1, 2, 3].filter((p) => !kept.includes(p)),
  );
  assert.equal((await hb(groupId, 'member-b', 7)).errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
  assert.equal((await hb(groupId, 'nobody', 2)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);

  const d = (await c.send(69, 0, { groupIds: [groupId, unique('none')], includeAuthorizedOperations: false })).body
    .groups;
  assert.equal(d[0].errorCode, ErrorCode.NONE);
  assert.equal(d[0].groupState, 'Stable');
  assert.equal(d[0].assignorName, 'uniform');
  assert.deepEqual(
    d[0].members.map((m: { memberId: string; memberEpoch: number }) => [m.memberId, m.memberEpoch]).sort(),
    [
      ['member-a', 2],
      ['member-b', 2],
    ],
  );
  assert.equal(d[1].errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

  const left = await hb(groupId, 'member-b', -1);
  assert.equal(left.memberEpoch, -1);
  const listed = await c.send(16, 5, { statesFilter: [], typesFilter: ['consumer'] });
  assert.ok(listed.body.groups.some((g: { groupId: string; groupType: string }) => g.groupId === groupId));
});

test('the range assignor gives contiguous ranges by member id', async () => {
  const t = await topic(5);
  const groupId = unique('cg-range');
  await hb(groupId, 'm1', 0, { topics: [t.name], assignor: 'range' });
  const m2 = await hb(groupId, 'm2', 0, { topics: [t.name], assignor: 'range' });
  assert.equal(m2.errorCode, ErrorCode.NONE);
  const m1 = await hb(groupId, 'm1', 1);
  assert.deepEqual(parts(m1), [0, 1, 2]);
  await hb(groupId, 'm1', 1, { owned: [{ topicId: t.id, partitions: [0, 1, 2] }] });
  assert.deepEqual(parts(await hb(groupId, 'm2', 2)), [3, 4]);
  assert.equal(
    (await hb(unique('g'), 'x', 0, { topics: [t.name], assignor: 'magic' })).errorCode,
    ErrorCode.UNSUPPORTED_ASSIGNOR,
  );
});

test('classic groups are not consumer groups: ConsumerGroupDescribe answers GROUP_ID_NOT_FOUND', async () => {
  const groupId = unique('classic');
  const first = await c.send(11, 3, {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
  });
  assert.equal(first.body.errorCode, ErrorCode.NONE);
  const d = (await c.send(69, 0, { groupIds: [groupId], includeAuthorizedOperations: false })).body.groups[0];
  assert.equal(d.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.equal((await hb(groupId, 'm', 0, { topics: ['x'] })).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
});

test("OffsetDelete removes a consumer group's offsets, even of subscribed topics (as Kafka 4.1)", async () => {
  const t = await topic(1);
  const other = await topic(1);
  const groupId = unique('cg-del');
  await hb(groupId, 'm', 0, { topics: [t.name] });
  const commit = await c.send(8, 9, {
    groupId,
    generationIdOrMemberEpoch: 1,
    memberId: 'm',
    topics: [t.name, other.name].map((name) => ({ name, partitions: [{ partitionIndex: 0, committedOffset: 3n }] })),
  });
  assert.deepEqual(
    commit.body.topics.map((x: { partitions: Array<{ errorCode: number }> }) => x.partitions[0]?.errorCode),
    [0, 0],
  );
  const stale = await c.send(8, 9, {
    groupId,
    generationIdOrMemberEpoch: 0,
    memberId: 'm',
    topics: [{ name: t.name, partitions: [{ partitionIndex: 0, committedOffset: 4n }] }],
  });
  assert.equal(stale.body.topics[0].partitions[0].errorCode, ErrorCode.STALE_MEMBER_EPOCH);
  const del = await c.send(47, 0, {
    groupId,
    topics: [t.name, other.name, 'no-such-topic'].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })),
  });
  assert.equal(del.body.errorCode, ErrorCode.NONE);
  assert.deepEqual(
    del.body.topics.map((x: { partitions: Array<{ errorCode: number }> }) => x.partitions[0]?.errorCode),
    [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
  );
  const fetched = await c.send(9, 9, { groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }] });
  assert.deepEqual(
    fetched.body.groups[0].topics.map((x: { name: string }) => x.name),
    [t.name],
  );
  assert.equal(
    (await c.send(47, 0, { groupId: unique('none'), topics: [] })).body.errorCode,
    ErrorCode.GROUP_ID_NOT_FOUND,
  );
});

test('OffsetDelete refuses topics a classic group member subscribes to', async () => {
  const t = await topic(1);
  const other = await topic(1);
  const groupId = unique('classic-del');
  const name = Buffer.from(t.name);
  // ConsumerProtocolSubscription v0: int16 version, one topic, empty user data
  const subscription = Buffer.concat([
    Buffer.from([0, 0, 0, 0, 0, 1, 0, name.length]),
    name,
    Buffer.from([0, 0, 0, 0]),
  ]);
  const joined = await c.send(11, 3, {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription }],
  });
  const memberId = joined.body.memberId as string;
  await c.send(14, 3, { groupId, generationId: 1, memberId, assignments: [] });
  await c.send(8, 9, {
    groupId,
    generationIdOrMemberEpoch: 1,
    memberId,
    topics: [t.name, other.name].map((n) => ({ name: n, partitions: [{ partitionIndex: 0, committedOffset: 3n }] })),
  });
  const del = await c.send(47, 0, {
    groupId,
    topics: [t.name, other.name].map((n) => ({ name: n, partitions: [{ partitionIndex: 0 }] })),
  });
  assert.deepEqual(
    del.body.topics.map((x: { partitions: Array<{ errorCode: number }> }) => x.partitions[0]?.errorCode),
    [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE],
  );
});
