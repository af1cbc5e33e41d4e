// The durable committed-offset file: replay after reopen, latest value per key, group deletion,
// and compaction of the append-only file.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { OffsetStore } from '../src/group/offset-store.ts';
import { tempDir } from './support.ts';

const entry = (offset: number) => ({
  topic: 't',
  partition: 0,
  offset,
  leaderEpoch: 0,
  metadata: `m${offset}`,
  commitTimestamp: 1,
});

test('committed offsets replay after reopen, latest per key, and the file is compacted as it grows', async () => {
  const { dir, remove } = await tempDir();
  const store = await OffsetStore.open(dir, { compactAfter: 5 });
  for (let i = 1; i <= 12; i++) await store.commit('g', [entry(i)]);
  await store.commit('gone', [entry(99)]);
  await store.deleteGroup('gone');
  await store.close();
  const lines = (await readFile(join(dir, 'group-offsets.jsonl'), 'utf8')).trim().split('\n');
  assert.ok(lines.length < 6, `file holds ${lines.length} lines after compaction`);
  const again = await OffsetStore.open(dir);
  assert.deepEqual(again.get('g', 't', 0), { offset: 12, leaderEpoch: 0, metadata: 'm12', commitTimestamp: 1 });
  assert.equal(again.has('gone'), false);
  await again.close();
  await remove();
});
