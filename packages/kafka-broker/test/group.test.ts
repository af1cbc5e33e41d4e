// The classic group coordinator at the protocol level: MEMBER_ID_REQUIRED, join/sync, heartbeat
// errors, rebalance on a new member, session expiry, commit checks, describe/list/delete groups.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode } from '@seaway/kafka-protocol';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

let broker: KafkaBroker;
before(async () => {
  broker = await startTestBroker({ groupMinSessionTimeoutMs: 100 });
});
after(() => broker.close());

const protocols = [{ name: 'range', metadata: Buffer.from('meta') }];
const join = (c: RawClient, groupId: string, memberId: string, sessionTimeoutMs = 10_000) =>
  c.send(11, 9, {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: 5000,
    memberId,
    protocolType: 'consumer',
    protocols,
    reason: null,
  });
const sync = (
  c: RawClient,
  groupId: string,
  generationId: number,
  memberId: string,
  assignments: Array<{ memberId: string; assignment: Buffer }> = [],
) => c.send(14, 5, { groupId, generationId, memberId, protocolType: 'consumer', protocolName: 'range', assignments });
const heartbeat = async (c: RawClient, groupId: string, generationId: number, memberId: string) =>
  (await c.send(12, 4, { groupId, generationId, memberId })).body.errorCode as number;
const describeGroup = async (c: RawClient, groupId: string) =>
  (await c.send(15, 5, { groups: [groupId] })).body.groups[0];

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('JoinGroup v4+ without a member id answers MEMBER_ID_REQUIRED with an id to join with', async () => {
  const c = await RawClient.open(broker.port);
  const groupId = unique('g');
  const first = await join(c, groupId, '');
  assert.equal(first.body.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.ok(first.body.memberId.length > 0);
  const second = await join(c, groupId, first.body.memberId);
  assert.equal(second.body.errorCode, ErrorCode.NONE);
  assert.equal(second.body.generationId, 1);
  assert.equal(second.body.leader, first.body.memberId);
  assert.equal(second.body.protocolName, 'range');
  assert.deepEqual(
    second.body.members.map((m: { memberId: string }) => m.memberId),
    [first.body.memberId],
  );
  const s = await sync(c, groupId, 1, first.body.memberId, [
    { memberId: first.body.memberId, assignment: Buffer.from('mine') },
  ]);
  assert.equal(s.body.errorCode, ErrorCode.NONE);
  assert.equal(s.body.assignment.toString(), 'mine');
  assert.equal((await describeGroup(c, groupId)).groupState, 'Stable');
  c.close();
});

test('JoinGroup v3 without a member id joins directly; unknown member ids are refused', async () => {
  const c = await RawClient.open(broker.port);
  const groupId = unique('g');
  const r = await c.send(11, 3, {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5000,
    memberId: '',
    protocolType: 'consumer',
    protocols,
  });
  assert.equal(r.body.errorCode, ErrorCode.NONE);
  assert.equal(r.body.generationId, 1);
  const bad = await join(c, groupId, 'who-is-this');
  assert.equal(bad.body.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  const other = await c.send(11, 3, {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5000,
    memberId: '',
    protocolType: 'connect',
    protocols,
  });
  assert.equal(other.body.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  c.close();
});

test('heartbeats answer ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, and REBALANCE_IN_PROGRESS when a member joins', async () => {
  const a = await RawClient.open(broker.port);
  const b = await RawClient.open(broker.port);
  const groupId = unique('g');
  const idA = (await join(a, groupId, '')).body.memberId;
  await join(a, groupId, idA);
  await sync(a, groupId, 1, idA);
  assert.equal(await heartbeat(a, groupId, 1, idA), ErrorCode.NONE);
  assert.equal(await heartbeat(a, groupId, 7, idA), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(await heartbeat(a, groupId, 1, 'nobody'), ErrorCode.UNKNOWN_MEMBER_ID);
  const idB = (await join(b, groupId, '')).body.memberId;
  const joinB = join(b, groupId, idB); // waits for the rebalance
  assert.equal(
    await until(
      'rebalance',
      () => heartbeat(a, groupId, 1, idA),
      (e) => e !== ErrorCode.NONE,
    ),
    ErrorCode.REBALANCE_IN_PROGRESS,
  );
  const commit = await a.send(8, 9, { groupId, generationIdOrMemberEpoch: 1, memberId: idA, topics: [] });
  assert.equal(commit.body.topics.length, 0);
  const [rejoinA, joinedB] = await Promise.all([join(a, groupId, idA), joinB]);
  assert.equal(rejoinA.body.generationId, 2);
  assert.equal(joinedB.body.generationId, 2);
  assert.equal(rejoinA.body.leader, idA);
  assert.equal(rejoinA.body.members.length, 2);
  assert.equal(joinedB.body.members.length, 0);
  const [sa, sb] = await Promise.all([
    sync(b, groupId, 2, idB),
    sync(a, groupId, 2, idA, [
      { memberId: idA, assignment: Buffer.from('A') },
      { memberId: idB, assignment: Buffer.from('B') },
    ]),
  ]);
  assert.equal(sa.body.assignment.toString(), 'B');
  assert.equal(sb.body.assignment.toString(), 'A');
  a.close();
  b.close();
});

test('a member that stops heartbeating is removed after its session timeout and the group rebalances', async () => {
  const a = await RawClient.open(broker.port);
  const b = await RawClient.open(broker.port);
  const groupId = unique('g');
  const idA = (await join(a, groupId, '', 10_000)).body.memberId;
  await join(a, groupId, idA, 10_000);
  await sync(a, groupId, 1, idA);
  const idB = (await join(b, groupId, '', 300)).body.memberId;
  const joinB = join(b, groupId, idB, 300);
  await until(
    'rebalance',
    () => heartbeat(a, groupId, 1, idA),
    (e) => e === ErrorCode.REBALANCE_IN_PROGRESS,
  );
  const [ja, jb] = await Promise.all([join(a, groupId, idA, 10_000), joinB]);
  assert.equal(ja.body.generationId, 2);
  assert.equal(jb.body.generationId, 2);
  await Promise.all([sync(a, groupId, 2, idA), sync(b, groupId, 2, idB)]);
  // b goes silent; a keeps heartbeating until the coordinator asks it to rejoin
  await until(
    'b expired',
    () => heartbeat(a, groupId, 2, idA),
    (e) => e === ErrorCode.REBALANCE_IN_PROGRESS,
  );
  const rejoin = await join(a, groupId, idA, 10_000);
  assert.equal(rejoin.body.generationId, 3);
  assert.deepEqual(
    rejoin.body.members.map((m: { memberId: string }) => m.memberId),
    [idA],
  );
  a.close();
  b.close();
});

test('commits check member and generation; standalone commits need an empty group', async () => {
  const c = await RawClient.open(broker.port);
  const topic = unique('t');
  await c.send(19, 7, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
  const groupId = unique('g');
  const commit = async (generation: number, memberId: string, name = topic) =>
    (
      await c.send(8, 9, {
        groupId,
        generationIdOrMemberEpoch: generation,
        memberId,
        topics: [{ name, partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: 'md' }] }],
      })
    ).body.topics[0].partitions[0].errorCode as number;
  assert.equal(await commit(-1, ''), ErrorCode.NONE);
  assert.equal(await commit(-1, '', 'no-such-topic'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const fetched = await c.send(9, 9, { groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }] });
  assert.deepEqual(
    fetched.body.groups[0].topics.map(
      (t: { name: string; partitions: Array<{ committedOffset: bigint; metadata: string }> }) => [
        t.name,
        t.partitions[0]?.committedOffset,
        t.partitions[0]?.metadata,
      ],
    ),
    [[topic, 5n, 'md']],
  );
  const old = await c.send(9, 1, { groupId, topics: [{ name: topic, partitionIndexes: [0, 3] }] });
  assert.deepEqual(
    old.body.topics[0].partitions.map((p: { committedOffset: bigint }) => p.committedOffset),
    [5n, -1n],
  );
  const id = (await join(c, groupId, '')).body.memberId;
  await join(c, groupId, id);
  await sync(c, groupId, 1, id);
  assert.equal(await commit(-1, ''), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(await commit(1, 'stranger'), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(await commit(0, id), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(await commit(1, id), ErrorCode.NONE);
  c.close();
});

test('DeleteGroups refuses a group with members, deletes it once empty, and ListGroups follows', async () => {
  const c = await RawClient.open(broker.port);
  const groupId = unique('g');
  const id = (await join(c, groupId, '')).body.memberId;
  await join(c, groupId, id);
  await sync(c, groupId, 1, id);
  const del = async () => (await c.send(42, 2, { groupsNames: [groupId] })).body.results[0].errorCode as number;
  assert.equal(await del(), ErrorCode.NON_EMPTY_GROUP);
  const listed = await c.send(16, 5, { statesFilter: ['stable'], typesFilter: [] });
  assert.ok(
    listed.body.groups.some(
      (g: { groupId: string; groupState: string }) => g.groupId === groupId && g.groupState === 'Stable',
    ),
  );
  const left = await c.send(13, 5, { groupId, members: [{ memberId: id, groupInstanceId: null, reason: 'test' }] });
  assert.equal(left.body.members[0].errorCode, ErrorCode.NONE);
  assert.equal((await describeGroup(c, groupId)).groupState, 'Empty');
  assert.equal(await del(), ErrorCode.NONE);
  assert.equal((await describeGroup(c, groupId)).groupState, 'Dead');
  assert.equal(await del(), ErrorCode.GROUP_ID_NOT_FOUND);
  c.close();
});

const commitOne = async (c: RawClient, groupId: string, topic: string, generation: number, memberId: string) =>
  (
    await c.send(8, 9, {
      groupId,
      generationIdOrMemberEpoch: generation,
      memberId,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 7n }] }],
    })
  ).body.topics[0].partitions[0].errorCode as number;

test('commits of the current generation are accepted while preparing a rebalance, refused while completing it', async () => {
  const a = await RawClient.open(broker.port);
  const b = await RawClient.open(broker.port);
  const topic = unique('t');
  await a.send(19, 7, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
  const groupId = unique('g');
  const idA = (await join(a, groupId, '')).body.memberId;
  await join(a, groupId, idA);
  await sync(a, groupId, 1, idA);
  const idB = (await join(b, groupId, '')).body.memberId;
  const joinB = join(b, groupId, idB);
  await until(
    'rebalance',
    () => heartbeat(a, groupId, 1, idA),
    (e) => e === ErrorCode.REBALANCE_IN_PROGRESS,
  );
  assert.equal((await describeGroup(a, groupId)).groupState, 'PreparingRebalance');
  assert.equal(await commitOne(a, groupId, topic, 1, idA), ErrorCode.NONE);
  assert.equal(await commitOne(a, groupId, topic, 0, idA), ErrorCode.ILLEGAL_GENERATION);
  await Promise.all([join(a, groupId, idA), joinB]);
  assert.equal((await describeGroup(a, groupId)).groupState, 'CompletingRebalance');
  assert.equal(await commitOne(a, groupId, topic, 2, idA), ErrorCode.REBALANCE_IN_PROGRESS);
  assert.equal(await commitOne(a, groupId, topic, 1, idA), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(await heartbeat(a, groupId, 2, idA), ErrorCode.NONE);
  await Promise.all([sync(a, groupId, 2, idA), sync(b, groupId, 2, idB)]);
  assert.equal(await commitOne(a, groupId, topic, 2, idA), ErrorCode.NONE);
  a.close();
  b.close();
});

const joinStatic = (c: RawClient, groupId: string, memberId: string, instance: string) =>
  c.send(11, 9, {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5000,
    memberId,
    groupInstanceId: instance,
    protocolType: 'consumer',
    protocols,
    reason: null,
  });

test('a restarted static member takes over its assignment without a rebalance; its old member id is fenced', async () => {
  const a = await RawClient.open(broker.port);
  const b = await RawClient.open(broker.port);
  const groupId = unique('g');
  const first = await joinStatic(a, groupId, '', 'inst-a');
  assert.equal(first.body.errorCode, ErrorCode.NONE); // static members need no MEMBER_ID_REQUIRED round
  const oldId = first.body.memberId as string;
  const s = await a.send(14, 5, {
    groupId,
    generationId: 1,
    memberId: oldId,
    groupInstanceId: 'inst-a',
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: oldId, assignment: Buffer.from('A0') }],
  });
  assert.equal(s.body.assignment.toString(), 'A0');
  const again = await joinStatic(b, groupId, '', 'inst-a');
  assert.equal(again.body.errorCode, ErrorCode.NONE);
  assert.equal(again.body.generationId, 1);
  assert.equal(again.body.skipAssignment, true);
  const newId = again.body.memberId as string;
  assert.notEqual(newId, oldId);
  const hb = (memberId: string) =>
    b.send(12, 4, { groupId, generationId: 1, memberId, groupInstanceId: 'inst-a' }).then((r) => r.body.errorCode);
  assert.equal(await hb(oldId), ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(await hb(newId), ErrorCode.NONE);
  const s2 = await b.send(14, 5, {
    groupId,
    generationId: 1,
    memberId: newId,
    groupInstanceId: 'inst-a',
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [],
  });
  assert.equal(s2.body.assignment.toString(), 'A0');
  assert.equal((await joinStatic(a, groupId, oldId, 'inst-a')).body.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  const d = await describeGroup(b, groupId);
  assert.equal(d.groupState, 'Stable');
  assert.deepEqual(
    d.members.map((m: { memberId: string; groupInstanceId: string }) => [m.memberId, m.groupInstanceId]),
    [[newId, 'inst-a']],
  );
  const left = await b.send(13, 5, {
    groupId,
    members: [{ memberId: 'someone-else', groupInstanceId: 'inst-a', reason: null }],
  });
  assert.equal(left.body.members[0].errorCode, ErrorCode.FENCED_INSTANCE_ID);
  const gone = await b.send(13, 5, { groupId, members: [{ memberId: '', groupInstanceId: 'inst-a', reason: null }] });
  assert.equal(gone.body.members[0].errorCode, ErrorCode.NONE);
  assert.equal((await describeGroup(b, groupId)).groupState, 'Empty');
  a.close();
  b.close();
});
