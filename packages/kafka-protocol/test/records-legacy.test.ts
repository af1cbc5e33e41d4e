import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { compress } from '../src/compression/index.ts';
import { readBatchHeader } from '../src/records/batch-header.ts';
import { decodeLegacyMessageSet, legacyToRecordBatch } from '../src/records/legacy.ts';
import { decodeRecordBatch } from '../src/records/records.ts';

const errCode = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

/** One v0/v1 message-set entry, laid out as the protocol guide describes. */
function legacyMessage(
  offset: number,
  magic: 0 | 1,
  key: string | null,
  value: Buffer | string | null,
  opts: { timestamp?: number; codec?: number } = {},
): Buffer {
  const bytes = (v: Buffer | string | null) => {
    if (v === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
    const b = typeof v === 'string' ? Buffer.from(v) : v;
    const len = Buffer.alloc(4);
    len.writeInt32BE(b.length, 0);
    return Buffer.concat([len, b]);
  };
  const ts = Buffer.alloc(magic === 1 ? 8 : 0);
  if (magic === 1) ts.writeBigInt64BE(BigInt(opts.timestamp ?? 0), 0);
  const body = Buffer.concat([Buffer.from([magic, opts.codec ?? 0]), ts, bytes(key), bytes(value)]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

test('v0 and v1 messages decode with keys, values and timestamps', () => {
  const set = Buffer.concat([
    legacyMessage(0, 0, 'k0', 'v0'),
    legacyMessage(1, 1, null, 'v1', { timestamp: 1_600_000_000_000 }),
    legacyMessage(2, 1, 'k2', null, { timestamp: 1_600_000_000_001 }),
  ]);
  const msgs = decodeLegacyMessageSet(set);
  assert.deepEqual(
    msgs.map((m) => [m.offset, m.magic, m.timestamp, m.key?.toString() ?? null, m.value?.toString() ?? null]),
    [
      [0, 0, -1, 'k0', 'v0'],
      [1, 1, 1_600_000_000_000, null, 'v1'],
      [2, 1, 1_600_000_000_001, 'k2', null],
    ],
  );
});

for (const [codec, name] of [
  [1, 'gzip'],
  [2, 'snappy'],
  [3, 'lz4'],
] as const) {
  test(`a ${name}-compressed v1 wrapper unwraps to its inner messages with absolute offsets`, () => {
    const inner = Buffer.concat([
      legacyMessage(0, 1, 'a', 'first', { timestamp: 10 }),
      legacyMessage(1, 1, 'b', 'second', { timestamp: 11 }),
    ]);
    const wrapper = legacyMessage(41, 1, null, compress(name, inner), { timestamp: 11, codec });
    const msgs = decodeLegacyMessageSet(wrapper);
    assert.deepEqual(
      msgs.map((m) => [m.offset, m.key?.toString(), m.value?.toString()]),
      [
        [40, 'a', 'first'],
        [41, 'b', 'second'],
      ],
    );
  });
}

test('a legacy message set converts to one v2 batch with the same records', () => {
  const set = Buffer.concat([legacyMessage(0, 1, 'k', 'v', { timestamp: 5 }), legacyMessage(1, 0, null, 'w')]);
  const batch = legacyToRecordBatch(set, 1234);
  assert.ok(batch);
  assert.equal(readBatchHeader(batch).magic, 2);
  const { records } = decodeRecordBatch(batch);
  assert.deepEqual(
    records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp]),
    [
      ['k', 'v', 5],
      [null, 'w', 1234],
    ],
  );
  assert.equal(legacyToRecordBatch(Buffer.alloc(0)), undefined);
});

test('a legacy message with a bad CRC is rejected; a trailing partial one is ignored', () => {
  const good = legacyMessage(0, 0, 'k', 'v');
  const bad = Buffer.from(good);
  bad[bad.length - 1]! ^= 1;
  assert.throws(() => decodeLegacyMessageSet(bad), errCode('SEAWAY_LEGACY_CRC'));
  const partial = Buffer.concat([good, good.subarray(0, good.length - 3)]);
  assert.equal(decodeLegacyMessageSet(partial).length, 1);
});
