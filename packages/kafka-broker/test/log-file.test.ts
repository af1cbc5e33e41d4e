// FileLog beyond the contract: segment files, roll, reopen, crash recovery, index files, retention.

import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeRecordBatch } from '@seaway/kafka-protocol';
import { FileLog, type FileLogOptions } from '../src/log/file-log.ts';
import { batch, errCode, inspect, readAll, T0, tempDir } from './log-support.ts';

const small: FileLogOptions = { segmentBytes: 4096, indexIntervalBytes: 512 };

async function fill(log: FileLog, batches: number, records = 3, pad = 80, ts = T0) {
  for (let i = 0; i < batches; i++) await log.append(batch(records, { tag: `b${i}`, pad, ts: ts + i * 10 }));
}

const logFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();

test('segments roll at segmentBytes and are named by their 20-digit base offset', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  await fill(log, 60);
  await log.close();
  const files = await logFiles(dir);
  assert.ok(files.length >= 4, `${files.length} segments`);
  assert.equal(files[0], '00000000000000000000.log');
  for (const f of files) {
    assert.match(f, /^\d{20}\.log$/);
    assert.ok((await stat(join(dir, f))).size <= 4096);
    const base = f.slice(0, 20);
    const names = await readdir(dir);
    assert.ok(names.includes(`${base}.index`) && names.includes(`${base}.timeindex`));
  }
  const reopened = await FileLog.open(dir, small);
  t.after(() => reopened.close());
  assert.deepEqual(
    reopened.segmentBaseOffsets,
    files.map((f) => Number(f.slice(0, 20))),
  );
});

test('a reopened log has the same data and offsets, and appends continue', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  await fill(log, 30);
  const before = await log.read(0, 1 << 20);
  await log.close();
  const again = await FileLog.open(dir, small);
  t.after(() => again.close());
  assert.equal(again.highWatermark, 90);
  assert.equal(again.openReport.truncatedBytes, 0);
  assert.deepEqual(await again.read(0, 1 << 20), before);
  assert.equal((await again.append(batch(2))).baseOffset, 90);
  assert.equal(inspect(await again.read(90, 100))[0]!.baseOffset, 90);
});

for (const [what, damage] of [
  ['garbage', (path: string) => appendFile(path, Buffer.from('this is not a record batch at all, just junk bytes'))],
  ['a partial batch', (path: string) => appendFile(path, batch(5).subarray(0, 40))],
  [
    'a batch with a bad CRC',
    async (path: string) => {
      const bad = batch(2);
      bad[bad.length - 2]! ^= 0xff;
      await appendFile(path, bad);
    },
  ],
  ['a cut in the middle of the last batch', async (path: string) => truncate(path, (await stat(path)).size - 7)],
] as const) {
  test(`recovery at open cuts ${what} off the tail and keeps the data before it`, async (t) => {
    const dir = await tempDir(t);
    const log = await FileLog.open(dir, small);
    await fill(log, 30);
    const lastBefore = log.highWatermark;
    const lastBatchSize = (await log.read(lastBefore - 1, 1)).length;
    await log.close();
    const files = await logFiles(dir);
    const last = join(dir, files.at(-1)!);
    const sizeBefore = (await stat(last)).size;
    await damage(last);
    const cutLastBatch = what.startsWith('a cut');
    const again = await FileLog.open(dir, small);
    t.after(() => again.close());
    assert.ok(again.openReport.truncatedBytes > 0);
    assert.equal(again.highWatermark, cutLastBatch ? lastBefore - 3 : lastBefore);
    assert.equal((await stat(last)).size, cutLastBatch ? sizeBefore - lastBatchSize : sizeBefore);
    const seen = inspect(await again.read(0, 1 << 20));
    assert.ok(seen.every((s) => s.crcOk));
    assert.deepEqual(
      seen.flatMap((s) => s.offsets),
      Array.from({ length: again.highWatermark }, (_, i) => i),
    );
    const r = await again.append(batch(1, { tag: 'after' }));
    assert.equal(r.baseOffset, again.highWatermark - 1);
  });
}

test('every offset is found through the sparse index, in every segment', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, { segmentBytes: 8192, indexIntervalBytes: 300 });
  t.after(() => log.close());
  for (let i = 0; i < 120; i++) await log.append(batch(1 + (i % 4), { tag: `b${i}`, pad: (i * 37) % 150 }));
  for (let offset = 0; offset < log.highWatermark; offset++) {
    const first = inspect(await log.read(offset, 1))[0]!;
    assert.ok(first.baseOffset <= offset && offset <= first.lastOffset, `offset ${offset}`);
  }
});

test('missing or damaged index files are rebuilt at open', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, { segmentBytes: 4096, indexIntervalBytes: 200 });
  await fill(log, 40);
  const before = await log.read(0, 1 << 20);
  await log.close();
  const files = (await readdir(dir)).sort();
  const indexes = files.filter((n) => n.endsWith('.index'));
  await writeFile(join(dir, indexes[0]!), Buffer.from([1, 2, 3])); // not a multiple of 8
  const timeIndexes = files.filter((n) => n.endsWith('.timeindex'));
  await truncate(join(dir, timeIndexes[1]!), 0);
  const again = await FileLog.open(dir, { segmentBytes: 4096, indexIntervalBytes: 200 });
  t.after(() => again.close());
  assert.deepEqual(await again.read(0, 1 << 20), before);
  for (let o = 0; o < again.highWatermark; o += 7) {
    const first = inspect(await again.read(o, 1))[0]!;
    assert.ok(first.baseOffset <= o && o <= first.lastOffset);
  }
  assert.equal((await readFile(join(dir, indexes[0]!))).length % 8, 0);
  assert.deepEqual(await again.offsetForTimestamp(T0 + 155), { offset: 48, timestamp: T0 + 160 });
});

test('size retention deletes whole segment files, oldest first', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, { ...small, retentionBytes: 8192 });
  t.after(() => log.close());
  await fill(log, 80);
  const before = await logFiles(dir);
  const res = await log.applyRetention();
  const after = await logFiles(dir);
  assert.equal(res.deletedUnits, before.length - after.length);
  assert.ok(res.deletedUnits > 0);
  assert.deepEqual(after, before.slice(res.deletedUnits));
  assert.equal(log.logStartOffset, Number(after[0]!.slice(0, 20)));
  assert.ok(log.sizeBytes >= 8192 - 4096 && log.sizeBytes < 8192 + 4096);
});

test('time retention rolls an expired active segment, so a quiet topic empties', async (t) => {
  const dir = await tempDir(t);
  let now = T0 + 1000;
  const log = await FileLog.open(dir, { ...small, retentionMs: 60_000, now: () => now });
  t.after(() => log.close());
  await fill(log, 5);
  now = T0 + 120_000;
  const res = await log.applyRetention();
  assert.equal(res.deletedUnits, 1);
  assert.equal(log.logStartOffset, 15);
  assert.equal(log.highWatermark, 15);
  assert.equal(log.sizeBytes, 0);
  assert.deepEqual(await logFiles(dir), ['00000000000000000015.log']);
  assert.equal((await log.append(batch(1, { ts: now }))).baseOffset, 15);
});

test('deleteRecordsBefore removes whole segments and its log start survives a reopen', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  await fill(log, 60);
  const segmentsBefore = (await logFiles(dir)).length;
  await log.deleteRecordsBefore(100);
  assert.ok((await logFiles(dir)).length < segmentsBefore);
  await log.close();
  const again = await FileLog.open(dir, small);
  t.after(() => again.close());
  assert.equal(again.logStartOffset, 100);
  await assert.rejects(again.read(99, 10), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
  assert.ok(inspect(await again.read(100, 1))[0]!.offsets.includes(100));
});

test('truncate across segments deletes later segment files', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  t.after(() => log.close());
  await fill(log, 60);
  const bases = log.segmentBaseOffsets;
  const target = bases[1]! + 4;
  const hw = await log.truncate(target);
  assert.ok(hw <= target && hw > bases[1]! - 3);
  assert.deepEqual(log.segmentBaseOffsets, bases.slice(0, 2));
  assert.equal((await logFiles(dir)).length, 2);
  await fill(log, 30);
  const seen = inspect(await log.read(0, 1 << 20));
  assert.deepEqual(
    seen.flatMap((s) => s.offsets),
    Array.from({ length: log.highWatermark }, (_, i) => i),
  );
});

for (const fsync of ['always', { everyMs: 5 }] as const) {
  test(`fsync ${JSON.stringify(fsync)} appends, syncs and reopens with the same data`, async (t) => {
    const dir = await tempDir(t);
    const log = await FileLog.open(dir, { ...small, fsync });
    await fill(log, 20);
    await log.flush();
    await log.close();
    const again = await FileLog.open(dir, small);
    t.after(() => again.close());
    assert.equal(again.highWatermark, 60);
  });
}

test('reconfigure changes segmentBytes and segmentMs of an open log', async (t) => {
  const dir = await tempDir(t);
  let now = T0;
  const log = await FileLog.open(dir, { segmentBytes: 1 << 20, indexIntervalBytes: 512, now: () => now });
  t.after(() => log.close());
  await fill(log, 20);
  assert.equal((await logFiles(dir)).length, 1);
  log.reconfigure({ segmentBytes: 4096 });
  await fill(log, 20);
  const afterBytes = (await logFiles(dir)).length;
  assert.ok(afterBytes >= 3, `${afterBytes} segments`);
  assert.throws(() => log.reconfigure({ segmentBytes: 10 }), errCode('SEAWAY_LOG_BAD_CONFIG'));
  log.reconfigure({ segmentBytes: 1 << 20, segmentMs: 1000 });
  await fill(log, 1);
  now += 2000;
  await fill(log, 1);
  assert.equal((await logFiles(dir)).length, afterBytes + 1);
});

test('bad options fail at open with SEAWAY_LOG_BAD_CONFIG', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(FileLog.open(dir, { segmentBytes: 10 }), errCode('SEAWAY_LOG_BAD_CONFIG'));
  await assert.rejects(FileLog.open(dir, { fsync: { everyMs: 0 } }), errCode('SEAWAY_LOG_BAD_CONFIG'));
});

test('a log directory that is a file fails at open with SEAWAY_LOG_BAD_DIRECTORY', async (t) => {
  const file = join(await tempDir(t), 'not-a-dir');
  await writeFile(file, 'x');
  await assert.rejects(FileLog.open(file), errCode('SEAWAY_LOG_BAD_DIRECTORY'));
});

test('a batch larger than maxBatchBytes is refused', async (t) => {
  const log = await FileLog.open(await tempDir(t), { maxBatchBytes: 1000 });
  t.after(() => log.close());
  await assert.rejects(log.append(batch(2, { pad: 2000 })), errCode('SEAWAY_LOG_BATCH_TOO_LARGE'));
});

test('a single batch larger than segmentBytes gets a segment of its own', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, { segmentBytes: 2048 });
  t.after(() => log.close());
  await log.append(batch(1));
  await log.append(batch(3, { pad: 3000 }));
  await log.append(batch(1));
  assert.deepEqual(log.segmentBaseOffsets, [0, 1, 4]);
  assert.equal(inspect(await log.read(2, 10))[0]!.baseOffset, 1);
});

test('compaction rewrites closed segments that survive a reopen, and offsets in gaps read the next batch', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  for (let i = 0; i < 200; i++) {
    const key = i < 150 ? `k${i % 50}` : 'tail';
    await log.append(encodeRecordBatch([{ key, value: `v${i}-${'p'.repeat(50)}`, timestamp: T0 + i }]));
  }
  const segmentsBefore = log.segmentBaseOffsets;
  const res = await log.compact({ now: T0 });
  assert.ok(res.rewritten > 0 && res.removedRecords > 100);
  assert.deepEqual(log.segmentBaseOffsets, segmentsBefore, 'segments keep their base offsets');
  const after = await readAll(log);
  await log.close();
  await writeFile(join(dir, '00000000000000000000.log.cleaned'), 'left by a crash mid-compaction');
  const again = await FileLog.open(dir, small);
  t.after(() => again.close());
  assert.deepEqual(await readAll(again), after);
  assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.cleaned')));
  assert.deepEqual(
    after.slice(0, 50).map((r) => r.offset),
    Array.from({ length: 50 }, (_, i) => 100 + i),
  );
  assert.equal(inspect(await again.read(0, 1))[0]!.offsets[0], 100, 'offset 0 now reads the first kept batch');
  const gapEnd = after[50]!.offset;
  assert.ok(gapEnd > 150);
  assert.equal(inspect(await again.read(150, 1))[0]!.offsets[0], gapEnd);
});

test('reads running while retention and compaction replace segments return whole batches or out-of-range', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, { ...small, retentionBytes: 16 * 1024 });
  t.after(() => log.close());
  for (let i = 0; i < 300; i++) {
    await log.append(encodeRecordBatch([{ key: `k${i % 9}`, value: `v${i}-${'p'.repeat(60)}`, timestamp: T0 + i }]));
  }
  const outcomes = { ok: 0, outOfRange: 0 };
  const retention = log.applyRetention(); // starts first: deletes segments while the reads below are in flight
  const reads = Array.from({ length: 200 }, async (_, i) => {
    try {
      const seen = inspect(await log.read((i * 37) % 300, 2048));
      assert.ok(seen.every((s) => s.crcOk));
      outcomes.ok++;
    } catch (err) {
      assert.equal((err as { code?: string }).code, 'SEAWAY_LOG_OFFSET_OUT_OF_RANGE', String(err));
      outcomes.outOfRange++;
    }
  });
  await Promise.all([retention, ...reads, log.compact({ now: T0 })]);
  assert.equal(outcomes.ok + outcomes.outOfRange, 200);
  assert.ok(outcomes.ok > 0);
});

test('after an unclean stop, recovery also checks the segment before the last', async (t) => {
  const dir = await tempDir(t);
  const log = await FileLog.open(dir, small);
  await fill(log, 60);
  await log.close();
  assert.ok((await readdir(dir)).includes('clean-shutdown'));
  await rm(join(dir, 'clean-shutdown'));
  const files = await logFiles(dir);
  const previous = join(dir, files.at(-2)!);
  await truncate(previous, (await stat(previous)).size - 5);
  const again = await FileLog.open(dir, small);
  t.after(() => again.close());
  assert.ok(again.openReport.truncatedBytes > 0);
  assert.ok(!(await readdir(dir)).includes('clean-shutdown'), 'the marker is removed while the log is open');
  const all = await readAll(again);
  assert.ok(all.length < 180 && all.length > 170);
  assert.equal(all.at(-1)!.offset, 179);
});
