// The PartitionLog contract: every implementation runs this suite.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeRecordBatch, encodeRecordBatch } from '@seaway/kafka-protocol';
import { FileLog, type FileLogOptions } from '../src/log/file-log.ts';
import { MemoryLog } from '../src/log/memory-log.ts';
import type { PartitionLog, RetentionConfig } from '../src/log/types.ts';
import { batch, errCode, inspect, readAll, T0, tempDir } from './log-support.ts';

type Ctx = { after: (fn: () => Promise<void>) => void };
type Factory = (t: Ctx, opts?: RetentionConfig & { now?: () => number }) => Promise<PartitionLog>;

const implementations: [string, Factory][] = [
  ['MemoryLog', async (_t, opts) => new MemoryLog(opts)],
  [
    'FileLog',
    async (t, opts) => {
      const log = await FileLog.open(await tempDir(t), {
        segmentBytes: 2048,
        indexIntervalBytes: 256,
        ...opts,
      } as FileLogOptions);
      t.after(() => log.close());
      return log;
    },
  ],
];

for (const [name, make] of implementations) {
  describe(`${name} contract`, () => {
    test('an empty log starts at 0 and reads nothing at its end', async (t) => {
      const log = await make(t);
      assert.equal(log.highWatermark, 0);
      assert.equal(log.logStartOffset, 0);
      assert.equal((await log.read(0, 1024)).length, 0);
      await assert.rejects(log.read(1, 1024), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
    });

    test('append assigns consecutive offsets by rewriting baseOffset and keeps the CRC valid', async (t) => {
      const log = await make(t);
      const a = batch(3, { tag: 'a' });
      const r1 = await log.append(a);
      assert.deepEqual([r1.baseOffset, r1.lastOffset, r1.batches], [0, 2, 1]);
      const r2 = await log.append(Buffer.concat([batch(2, { tag: 'b' }), batch(1, { tag: 'c', compression: 'gzip' })]));
      assert.deepEqual([r2.baseOffset, r2.lastOffset, r2.batches], [3, 5, 2]);
      assert.equal(log.highWatermark, 6);
      const seen = inspect(await log.read(0, 1 << 20));
      assert.deepEqual(
        seen.map((s) => [s.baseOffset, s.lastOffset, s.crcOk]),
        [
          [0, 2, true],
          [3, 4, true],
          [5, 5, true],
        ],
      );
      assert.deepEqual(
        seen.flatMap((s) => s.values),
        ['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'c-0'],
      );
      assert.deepEqual(
        seen.flatMap((s) => s.offsets),
        [0, 1, 2, 3, 4, 5],
      );
    });

    test('stored bytes are the producer bytes except baseOffset and partitionLeaderEpoch', async (t) => {
      const log = await make(t);
      const sent = batch(4, { compression: 'snappy' });
      const original = Buffer.from(sent);
      await log.append(batch(1));
      await log.append(sent, { partitionLeaderEpoch: 5 });
      const back = await log.read(1, 1 << 20);
      assert.equal(back.length, original.length);
      assert.deepEqual(back.subarray(16), original.subarray(16));
      assert.equal(back.readBigInt64BE(0), 1n);
      assert.equal(back.readInt32BE(12), 5);
    });

    test('logAppendTime stamps batches with the append time and keeps them CRC-valid', async (t) => {
      const log = await make(t, { now: () => T0 + 5000 });
      await log.append(batch(3), { logAppendTime: true });
      const back = await log.read(0, 1 << 20);
      assert.ok(inspect(back)[0]!.crcOk);
      const { header, records } = decodeRecordBatch(back);
      assert.equal(header.timestampType, 1);
      assert.deepEqual(
        records.map((r) => r.timestamp),
        [T0 + 5000, T0 + 5000, T0 + 5000],
      );
      assert.deepEqual(await log.offsetForTimestamp(T0 + 4000), { offset: 0, timestamp: T0 + 5000 });
    });

    test('read starts with the batch containing the offset and returns whole batches up to maxBytes', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 10; i++) await log.append(batch(5, { tag: `b${i}`, pad: 20 }));
      const one = inspect(await log.read(0, 1))[0]!;
      const mid = inspect(await log.read(22, one.size * 3 + 5));
      assert.deepEqual(
        mid.map((s) => s.baseOffset),
        [20, 25, 30],
      );
      const tooSmall = inspect(await log.read(49, 1));
      assert.deepEqual(
        tooSmall.map((s) => [s.baseOffset, s.lastOffset]),
        [[45, 49]],
      );
      const all = inspect(await log.read(0, 1 << 20));
      assert.equal(all.at(-1)!.lastOffset, 49);
    });

    test('read past the high watermark or below the log start is out of range', async (t) => {
      const log = await make(t);
      await log.append(batch(2));
      await assert.rejects(log.read(3, 100), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
      await assert.rejects(log.read(-1, 100), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
      assert.equal((await log.read(2, 100)).length, 0);
    });

    test('corrupt, partial and legacy appends are rejected and change nothing', async (t) => {
      const log = await make(t);
      await log.append(batch(2));
      const bad = batch(2);
      bad[bad.length - 1]! ^= 1;
      await assert.rejects(log.append(bad), errCode('SEAWAY_LOG_CORRUPT_BATCH'));
      const good = batch(1);
      await assert.rejects(
        log.append(Buffer.concat([good, batch(1).subarray(0, 30)])),
        errCode('SEAWAY_LOG_CORRUPT_BATCH'),
      );
      assert.equal(good.readBigInt64BE(0), 999_999n, 'a rejected append leaves the buffer untouched');
      const legacy = batch(1);
      legacy[16] = 1;
      await assert.rejects(log.append(legacy), errCode('SEAWAY_LOG_LEGACY_FORMAT'));
      await assert.rejects(log.append(Buffer.alloc(0)), errCode('SEAWAY_LOG_CORRUPT_BATCH'));
      assert.equal(log.highWatermark, 2);
      assert.equal(inspect(await log.read(0, 1 << 20)).length, 1);
    });

    test('offsetForTimestamp finds the first record at or after a timestamp, inside a batch', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 20; i++)
        await log.append(batch(4, { ts: T0 + i * 100, pad: 30, compression: i % 2 ? 'lz4' : 'none' }));
      assert.deepEqual(await log.offsetForTimestamp(T0), { offset: 0, timestamp: T0 });
      assert.deepEqual(await log.offsetForTimestamp(T0 + 502), { offset: 22, timestamp: T0 + 502 });
      assert.deepEqual(await log.offsetForTimestamp(T0 + 550), { offset: 24, timestamp: T0 + 600 });
      assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestamp: T0 });
      assert.equal(await log.offsetForTimestamp(T0 + 10_000), undefined);
      assert.equal((await log.offsetForTimestamp(-1))?.offset, 80);
      assert.equal((await log.offsetForTimestamp(-2))?.offset, 0);
    });

    test('offsetForTimestamp(-3) finds the first record with the largest timestamp', async (t) => {
      const log = await make(t);
      assert.equal(await log.offsetForTimestamp(-3), undefined);
      for (let i = 0; i < 30; i++) await log.append(batch(3, { ts: T0 + ((i * 7) % 30) * 10, pad: 40 }));
      // batch i=17 has (17*7)%30 = 29, the largest base; its last record is T0 + 292
      assert.deepEqual(await log.offsetForTimestamp(-3), { offset: 17 * 3 + 2, timestamp: T0 + 292 });
      await log.append(batch(1, { ts: T0 + 292 }));
      assert.deepEqual(
        await log.offsetForTimestamp(-3),
        { offset: 17 * 3 + 2, timestamp: T0 + 292 },
        'ties keep the first',
      );
    });

    test('deleteRecordsBefore advances the log start, never backwards, never past the end', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 10; i++) await log.append(batch(3, { pad: 50 }));
      assert.equal(await log.deleteRecordsBefore(7), 7);
      assert.equal(log.logStartOffset, 7);
      await assert.rejects(log.read(6, 100), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
      const first = inspect(await log.read(7, 1))[0]!;
      assert.equal(first.baseOffset, 6, 'the batch holding offset 7 is still returned whole');
      assert.equal(await log.deleteRecordsBefore(3), 7);
      assert.equal((await log.offsetForTimestamp(0))?.offset, 7);
      assert.equal(await log.deleteRecordsBefore(1000), 30);
      assert.equal(log.highWatermark, 30);
      await log.append(batch(1));
      assert.deepEqual(
        inspect(await log.read(30, 100)).map((s) => s.baseOffset),
        [30],
      );
    });

    test('truncate removes whole batches from the one holding the offset, and appends continue there', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 10; i++) await log.append(batch(4, { tag: `b${i}`, pad: 40 }));
      assert.equal(await log.truncate(22), 20);
      assert.equal(log.highWatermark, 20);
      assert.equal(await log.truncate(25), 20, 'truncating past the end changes nothing');
      const r = await log.append(batch(2, { tag: 'new' }));
      assert.equal(r.baseOffset, 20);
      const seen = inspect(await log.read(16, 1 << 20));
      assert.deepEqual(
        seen.flatMap((s) => s.values.map((v) => v.replace(/x+$/, ''))),
        ['b4-0', 'b4-1', 'b4-2', 'b4-3', 'new-0', 'new-1'],
      );
    });

    test('size retention removes the oldest data, keeps the newest, and moves the log start', async (t) => {
      const log = await make(t, { retentionBytes: 1500 });
      for (let i = 0; i < 40; i++) await log.append(batch(2, { tag: `b${i}`, pad: 60 }));
      const before = log.sizeBytes;
      const res = await log.applyRetention();
      assert.ok(res.deletedBytes > 0);
      assert.equal(log.sizeBytes, before - res.deletedBytes);
      assert.ok(log.sizeBytes < before);
      assert.ok(log.logStartOffset > 0);
      const seen = inspect(await log.read(log.logStartOffset, 1 << 20));
      assert.equal(seen.at(-1)!.lastOffset, 79);
      await assert.rejects(log.read(0, 100), errCode('SEAWAY_LOG_OFFSET_OUT_OF_RANGE'));
    });

    test('reconfigure changes retention of an open log; a bad value throws and changes nothing', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 40; i++) await log.append(batch(2, { tag: `b${i}`, pad: 60 }));
      assert.equal((await log.applyRetention()).deletedBytes, 0);
      assert.throws(() => log.reconfigure({ retentionBytes: Number.NaN }), errCode('SEAWAY_LOG_BAD_CONFIG'));
      assert.equal((await log.applyRetention()).deletedBytes, 0);
      log.reconfigure({ retentionBytes: 1500 });
      assert.ok((await log.applyRetention()).deletedBytes > 0);
      assert.ok(log.logStartOffset > 0);
      log.reconfigure({ retentionBytes: -1, retentionMs: 1 });
      await log.append(batch(1, { tag: 'last', ts: Date.now() + 60_000 }));
      await log.applyRetention();
      assert.equal(inspect(await log.read(log.logStartOffset, 1 << 20)).at(-1)!.values[0], 'last-0');
      assert.ok(log.logStartOffset >= 70, `log start ${log.logStartOffset}`);
    });

    test('time retention removes data older than retentionMs', async (t) => {
      const now = T0 + 3_600_000;
      const log = await make(t, { retentionMs: 60_000, now: () => now });
      for (let i = 0; i < 20; i++) await log.append(batch(2, { ts: T0 + i, pad: 100 }));
      for (let i = 0; i < 5; i++) await log.append(batch(2, { ts: now - 1000, tag: 'fresh', pad: 100 }));
      const res = await log.applyRetention(now);
      assert.ok(res.deletedUnits > 0);
      // whole units go: a segment holding old and fresh records stays until all of it expires
      assert.ok(log.logStartOffset > 0 && log.logStartOffset <= 40, `log start ${log.logStartOffset}`);
      const seen = inspect(await log.read(log.logStartOffset, 1 << 20));
      assert.equal(seen.at(-1)!.lastOffset, 49);
      assert.equal(seen.flatMap((s) => s.values).filter((v) => v.startsWith('fresh')).length, 10);
    });

    test('compaction keeps the latest record per key at its original offset', async (t) => {
      const log = await make(t);
      const keyed = (i: number, key: string, value: string | null) =>
        encodeRecordBatch([{ key, value, timestamp: T0 + i }], { compression: i % 3 ? 'none' : 'gzip' });
      const written = new Map<number, [string, string | null]>();
      for (let i = 0; i < 120; i++) {
        const key = `k${i % 7}`;
        const value = i === 114 ? null : `v${i}-${'p'.repeat(40)}`;
        await log.append(keyed(i, key, value));
        written.set(i, [key, value]);
      }
      // a batch of several records, some superseded later
      await log.append(
        encodeRecordBatch([
          { key: 'k0', value: 'multi-0', timestamp: T0 + 200 },
          { key: 'solo', value: 'multi-1', timestamp: T0 + 200 },
          { key: 'k1', value: 'multi-2', timestamp: T0 + 200 },
        ]),
      );
      await log.append(keyed(300, 'k0', 'last-k0'));
      // filler so every record above sits in data old enough to compact (FileLog spares the active segment)
      for (let i = 0; i < 40; i++) await log.append(keyed(400 + i, 'filler', `f${i}-${'p'.repeat(60)}`));
      const hw = log.highWatermark;
      const res = await log.compact({ now: T0 + 1000, deleteRetentionMs: 60_000 });
      assert.ok(res.removedRecords > 50, `removed ${res.removedRecords}`);
      assert.ok(res.reclaimedBytes > 0);
      assert.equal(log.highWatermark, hw);
      const after = await readAll(log);
      const offsets = after.map((r) => r.offset);
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
      );
      for (const r of after) {
        const original = written.get(r.offset);
        if (original) assert.deepEqual([r.key, r.value], original, `offset ${r.offset}`);
      }
      const latest = new Map<string, { offset: number; value: string | null }>();
      for (const r of after) latest.set(r.key!, { offset: r.offset, value: r.value });
      assert.equal(latest.get('k0')?.value, 'last-k0');
      assert.equal(latest.get('solo')?.value, 'multi-1');
      assert.equal(latest.get('k1')?.value, 'multi-2');
      assert.equal(latest.get('k2')?.value, null, 'a recent tombstone stays');
      assert.equal(latest.get('k2')?.offset, 114);
      // every key appears once among compacted (non-newest) data: dropping duplicates is what it is for
      const k3 = after.filter((r) => r.key === 'k3');
      assert.equal(k3.length, 1);
      assert.equal(k3[0]!.offset, 115);
    });

    test('compaction drops tombstones older than deleteRetentionMs', async (t) => {
      const log = await make(t);
      for (let i = 0; i < 30; i++) {
        await log.append(
          encodeRecordBatch([{ key: `k${i % 3}`, value: i === 29 ? null : `v${i}`, timestamp: T0 + i }]),
        );
      }
      for (let i = 0; i < 40; i++) {
        await log.append(
          encodeRecordBatch([{ key: 'other', value: `filler-${i}-${'p'.repeat(60)}`, timestamp: T0 + 50 }]),
        );
      }
      await log.compact({ now: T0 + 10_000_000, deleteRetentionMs: 60_000 });
      const after = (await readAll(log)).filter((r) => r.key !== 'other');
      assert.deepEqual(
        after.map((r) => [r.offset, r.key, r.value]),
        [
          [27, 'k0', 'v27'],
          [28, 'k1', 'v28'],
        ],
      );
    });

    test('a closed log refuses further work', async (t) => {
      const log = await make(t);
      await log.append(batch(1));
      await log.close();
      await assert.rejects(log.append(batch(1)), errCode('SEAWAY_LOG_CLOSED'));
      await assert.rejects(log.read(0, 10), errCode('SEAWAY_LOG_CLOSED'));
    });
  });
}
