// Committed offsets in __consumer_offsets: replay after reopen (latest value per key), tombstones for
// deleted groups and topics, Kafka's partition choice and record layout, and the legacy file import.

import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRecordBatch, scanBatches } from '@seaway/kafka-protocol';
import { resolveOptions } from '../src/config.ts';
import {
  OFFSETS_PARTITIONS,
  OFFSETS_TOPIC,
  OFFSETS_TOPIC_CONFIGS,
  OffsetStore,
  offsetsPartitionFor,
} from '../src/group/offset-store.ts';
import { ClusterState } from '../src/state/cluster.ts';
import { quiet, tempDir } from './support.ts';

const entry = (offset: number, topic = 't') => ({
  topic,
  partition: 0,
  offset,
  leaderEpoch: 0,
  metadata: `m${offset}`,
  commitTimestamp: 1,
});

async function openStore(dir: string) {
  const cluster = await ClusterState.open(resolveOptions({ dataDir: dir, log: quiet }));
  const topic = await cluster.createTopic(OFFSETS_TOPIC, OFFSETS_PARTITIONS, { ...OFFSETS_TOPIC_CONFIGS });
  const store = await OffsetStore.open(topic.partitions, dir);
  return {
    cluster,
    topic,
    store,
    close: async () => {
      await store.close();
      await cluster.close();
    },
  };
}

test('the partition of a group is abs(Java hashCode) modulo the partition count, as Kafka picks it', () => {
  // "hello".hashCode() == 99162322 in Java; "polygenelubricants".hashCode() == Integer.MIN_VALUE
  assert.equal(offsetsPartitionFor('hello', 50), 99162322 % 50);
  assert.equal(offsetsPartitionFor('polygenelubricants', 50), 0);
  assert.equal(offsetsPartitionFor('', 10), 0);
});

test('commits are records in the group partition of __consumer_offsets and replay after reopen', async () => {
  const { dir, remove } = await tempDir();
  const a = await openStore(dir);
  for (let i = 1; i <= 12; i++) await a.store.commit('g', [entry(i)]);
  await a.store.commit('g', [{ ...entry(5, 'other'), metadata: null }]);
  await a.store.commit('gone', [entry(99)]);
  await a.store.deleteGroup('gone');
  await a.store.commit('g', [entry(7, 'dropped')]);
  await a.store.forgetTopic('dropped');
  const p = a.topic.partitions[offsetsPartitionFor('g')]!;
  assert.equal(p.log.highWatermark, 15);
  // the newest record is the tombstone for g/dropped/0: OffsetCommitKey v1, null value
  const batches = await p.log.read(14, 1 << 20);
  const last = decodeRecordBatch(batches, scanBatches(batches).batches.at(-1)!.pos).records.at(-1)!;
  assert.equal(last.value, null);
  assert.deepEqual(last.key, Buffer.from('0001000167000764726f7070656400000000', 'hex'));
  // a commit's value: OffsetCommitValue v3
  const first = decodeRecordBatch(await p.log.read(0, 1 << 20)).records[0]!;
  assert.equal(
    first.value?.toString('hex'),
    `0003${'0000000000000001'}00000000${'0002'}${'6d31'}${'0000000000000001'}`,
  );
  await a.close();

  const b = await openStore(dir);
  assert.deepEqual(b.store.get('g', 't', 0), { offset: 12, leaderEpoch: 0, metadata: 'm12', commitTimestamp: 1 });
  assert.equal(b.store.get('g', 'other', 0)?.metadata, null);
  assert.equal(b.store.get('g', 'dropped', 0), undefined);
  assert.equal(b.store.has('gone'), false);
  assert.equal(b.topic.internal, true);
  assert.equal(b.topic.configs['cleanup.policy'], 'compact');
  await b.close();
  await remove();
});

test('compaction of __consumer_offsets keeps the latest commit per key and replay still finds it', async () => {
  const { dir, remove } = await tempDir();
  const a = await openStore(dir);
  a.topic.partitions[offsetsPartitionFor('g')]!.log.reconfigure({ segmentBytes: 1024 });
  for (let i = 1; i <= 60; i++) await a.store.commit('g', [entry(i)]);
  const log = a.topic.partitions[offsetsPartitionFor('g')]!.log;
  const before = log.sizeBytes;
  const r = await log.compact();
  assert.ok(r.removedRecords > 0);
  assert.ok(log.sizeBytes < before);
  await a.close();
  const b = await openStore(dir);
  assert.equal(b.store.get('g', 't', 0)?.offset, 60);
  await b.close();
  await remove();
});

test('a group-offsets.jsonl of an older version is imported once into __consumer_offsets', async () => {
  const { dir, remove } = await tempDir();
  await writeFile(
    join(dir, 'group-offsets.jsonl'),
    [
      JSON.stringify({ g: 'old', c: [['t', 0, 5, 0, 'x', 1]] }),
      JSON.stringify({ g: 'old', c: [['t', 0, 9, 0, null, 2]] }),
      JSON.stringify({ g: 'dropped', c: [['t', 0, 1, 0, null, 1]] }),
      JSON.stringify({ g: 'dropped', drop: true }),
      '{"torn',
    ].join('\n'),
  );
  const a = await openStore(dir);
  assert.deepEqual(a.store.groupIds(), ['old']);
  await a.close();
  assert.ok((await readdir(dir)).includes('group-offsets.jsonl.imported'));
  const b = await openStore(dir);
  assert.deepEqual(b.store.get('old', 't', 0), { offset: 9, leaderEpoch: 0, metadata: null, commitTimestamp: 2 });
  await b.close();
  await remove();
});
