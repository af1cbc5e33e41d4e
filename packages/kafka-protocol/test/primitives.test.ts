/**
 * Writer and Reader primitives: byte layouts from the Kafka protocol guide, edge values, growth,
 * and the typed errors on truncated or malformed input.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaCodecError } from '../src/primitives/codec-error.ts';
import { Reader } from '../src/primitives/reader.ts';
import { randomUuid, ZERO_UUID } from '../src/primitives/uuid.ts';
import { Writer } from '../src/primitives/writer.ts';

const isCode = (code: string) => (err: unknown) => err instanceof KafkaCodecError && err.code === code;

function bytesOf(write: (w: Writer) => void): string {
  const w = new Writer(16);
  write(w);
  return w.toBuffer().toString('hex');
}

test('fixed-width integers are big-endian and read back at their extremes', () => {
  const w = new Writer(16);
  w.int8(-128);
  w.int16(-32768);
  w.uint16(65535);
  w.int32(-2147483648);
  w.uint32(4294967295);
  w.int64(-9223372036854775808n);
  w.int64(-1);
  w.float64(-0.125);
  w.bool(true);
  const r = new Reader(w.toBuffer());
  assert.equal(r.int8(), -128);
  assert.equal(r.int16(), -32768);
  assert.equal(r.uint16(), 65535);
  assert.equal(r.int32(), -2147483648);
  assert.equal(r.uint32(), 4294967295);
  assert.equal(r.int64(), -9223372036854775808n);
  assert.equal(r.int64(), -1n);
  assert.equal(r.float64(), -0.125);
  assert.equal(r.bool(), true);
  assert.equal(r.remaining, 0);
  assert.equal(
    bytesOf((x) => x.int32(258)),
    '00000102',
  );
});

test('varints use zigzag and LEB128 as in the protocol guide', () => {
  assert.equal(
    bytesOf((w) => w.varint(0)),
    '00',
  );
  assert.equal(
    bytesOf((w) => w.varint(-1)),
    '01',
  );
  assert.equal(
    bytesOf((w) => w.varint(1)),
    '02',
  );
  assert.equal(
    bytesOf((w) => w.varint(-2)),
    '03',
  );
  assert.equal(
    bytesOf((w) => w.varint(150)),
    'ac02',
  );
  assert.equal(
    bytesOf((w) => w.uvarint(300)),
    'ac02',
  );
  assert.equal(
    bytesOf((w) => w.uvarint(0xffffffff)),
    'ffffffff0f',
  );
  for (const v of [0, 1, -1, 63, -64, 64, 2147483647, -2147483648]) {
    const w = new Writer(1);
    w.varint(v);
    assert.equal(new Reader(w.toBuffer()).varint(), v);
  }
  for (const v of [0n, -1n, 1n, 9223372036854775807n, -9223372036854775808n, 1700000000000n]) {
    const w = new Writer(1);
    w.varlong(v);
    const buf = w.toBuffer();
    assert.equal(new Reader(buf).varlong(), v);
    if (v > -(2n ** 53n) && v < 2n ** 53n) assert.equal(new Reader(buf).varlongNumber(), Number(v));
  }
  assert.equal(
    bytesOf((w) => w.varlong(-9223372036854775808n)),
    'ffffffffffffffffff01',
  );
});

test('over-long varints raise SEAWAY_KPROTO_INVALID and out-of-range ones SEAWAY_KPROTO_ENCODE', () => {
  assert.throws(() => new Reader(Buffer.from('ffffffffff01', 'hex')).uvarint(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Reader(Buffer.from('ffffffff1f', 'hex')).uvarint(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Reader(Buffer.alloc(11, 0xff)).varlong(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Writer().uvarint(-1), isCode('SEAWAY_KPROTO_ENCODE'));
  assert.throws(() => new Writer().varint(2 ** 31), isCode('SEAWAY_KPROTO_ENCODE'));
  assert.throws(() => new Writer().varlong(2n ** 63n), isCode('SEAWAY_KPROTO_ENCODE'));
});

test('strings, compact strings and their null forms', () => {
  assert.equal(
    bytesOf((w) => w.string('hé')),
    '000368c3a9',
  );
  assert.equal(
    bytesOf((w) => w.string(null)),
    'ffff',
  );
  assert.equal(
    bytesOf((w) => w.compactString('hé')),
    '0468c3a9',
  );
  assert.equal(
    bytesOf((w) => w.compactString(null)),
    '00',
  );
  assert.equal(
    bytesOf((w) => w.compactString('')),
    '01',
  );
  const r = new Reader(Buffer.from('000368c3a9ffff0468c3a900', 'hex'));
  assert.equal(r.string(), 'hé');
  assert.equal(r.nullableString(), null);
  assert.equal(r.compactString(), 'hé');
  assert.equal(r.compactNullableString(), null);
  assert.throws(() => new Reader(Buffer.from('ffff', 'hex')).string(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Reader(Buffer.from('00', 'hex')).compactString(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Reader(Buffer.from('fffe', 'hex')).nullableString(), isCode('SEAWAY_KPROTO_INVALID'));
  assert.throws(() => new Writer().string('x'.repeat(40000)), isCode('SEAWAY_KPROTO_ENCODE'));
});

test('bytes and compact bytes decode as views of the input', () => {
  assert.equal(
    bytesOf((w) => w.bytes(Buffer.from([7, 8]))),
    '000000020708',
  );
  assert.equal(
    bytesOf((w) => w.bytes(null)),
    'ffffffff',
  );
  assert.equal(
    bytesOf((w) => w.compactBytes(Buffer.from([7]))),
    '0207',
  );
  assert.equal(
    bytesOf((w) => w.compactBytes(null)),
    '00',
  );
  const input = Buffer.from('0000000207080207', 'hex');
  const r = new Reader(input);
  const b = r.bytes();
  assert.deepEqual([...b], [7, 8]);
  assert.equal(b.buffer, input.buffer, 'no copy');
  assert.deepEqual([...r.compactBytes()], [7]);
  assert.equal(new Reader(Buffer.from('ffffffff', 'hex')).nullableBytes(), null);
  assert.equal(new Reader(Buffer.from('00', 'hex')).compactNullableBytes(), null);
});

test('arrays and compact arrays, null included', () => {
  const int16 = (w: Writer, v: number) => w.int16(v);
  assert.equal(
    bytesOf((w) => w.array([1, 2], int16)),
    '0000000200010002',
  );
  assert.equal(
    bytesOf((w) => w.array(null, int16)),
    'ffffffff',
  );
  assert.equal(
    bytesOf((w) => w.compactArray([1], int16)),
    '020001',
  );
  assert.equal(
    bytesOf((w) => w.compactArray(null, int16)),
    '00',
  );
  const r = new Reader(Buffer.from('0000000200010002ffffffff02000100', 'hex'));
  const read = (x: Reader) => x.int16();
  assert.deepEqual(r.array(read), [1, 2]);
  assert.equal(r.array(read), null);
  assert.deepEqual(r.compactArray(read), [1]);
  assert.equal(r.compactArray(read), null);
  assert.throws(() => new Reader(Buffer.from('7fffffff', 'hex')).array(read), isCode('SEAWAY_KPROTO_TRUNCATED'));
});

test('uuids are 16 raw bytes shown in Kafka base64url text', () => {
  const text = 'MxQ4ynAfQuCV3dQ4lYVy9Q';
  const hex = bytesOf((w) => w.uuid(text));
  assert.equal(hex, Buffer.from(text, 'base64url').toString('hex'));
  assert.equal(hex.length, 32);
  assert.equal(new Reader(Buffer.from(hex, 'hex')).uuid(), text);
  assert.equal(
    bytesOf((w) => w.uuid(ZERO_UUID)),
    '00'.repeat(16),
  );
  const random = randomUuid();
  assert.equal(
    new Reader(
      Buffer.from(
        bytesOf((w) => w.uuid(random)),
        'hex',
      ),
    ).uuid(),
    random,
  );
  assert.throws(() => new Writer().uuid('not-a-uuid'), isCode('SEAWAY_KPROTO_ENCODE'));
});

test('every read past the end raises SEAWAY_KPROTO_TRUNCATED', () => {
  const empty = () => new Reader(Buffer.alloc(0));
  for (const read of [
    (r: Reader) => r.int8(),
    (r: Reader) => r.int16(),
    (r: Reader) => r.int32(),
    (r: Reader) => r.int64(),
    (r: Reader) => r.float64(),
    (r: Reader) => r.uvarint(),
    (r: Reader) => r.varlong(),
    (r: Reader) => r.uuid(),
  ]) {
    assert.throws(() => read(empty()), isCode('SEAWAY_KPROTO_TRUNCATED'));
  }
  assert.throws(() => new Reader(Buffer.from('0005616263', 'hex')).string(), isCode('SEAWAY_KPROTO_TRUNCATED'));
  assert.throws(() => new Reader(Buffer.from('00000009aa', 'hex')).bytes(), isCode('SEAWAY_KPROTO_TRUNCATED'));
  assert.throws(() => new Reader(Buffer.from('80', 'hex')).uvarint(), isCode('SEAWAY_KPROTO_TRUNCATED'));
  assert.throws(() => new Reader(Buffer.from('00000001', 'hex'), 0, 2).int32(), isCode('SEAWAY_KPROTO_TRUNCATED'));
});

test('tagged-field sections: sized bodies, known tags read, unknown tags skipped', () => {
  const w = new Writer(4);
  w.uvarint(2);
  w.uvarint(0);
  let at = w.beginSized();
  w.int32(42);
  w.endSized(at);
  w.uvarint(9);
  at = w.beginSized();
  w.raw(Buffer.alloc(200, 1)); // size needs a two-byte varint: the body moves right
  w.endSized(at);
  w.int8(5); // after the section
  const buf = w.toBuffer();
  // count 2 | tag 0, size 4, int32 42 | tag 9, size 200 as a two-byte varint (c8 01), 200 bytes
  assert.equal(buf.subarray(0, 10).toString('hex'), '0200040000002a09c801');
  assert.equal(buf.length, 10 + 200 + 1);
  const r = new Reader(buf);
  const seen: Array<[number, number]> = [];
  r.taggedFields((tag, fr) => {
    if (tag === 0) seen.push([tag, fr.int32()]);
  });
  assert.deepEqual(seen, [[0, 42]]);
  assert.equal(r.int8(), 5);
  const skipAll = new Reader(buf);
  skipAll.taggedFields();
  assert.equal(skipAll.int8(), 5);
});

test('a writer grows from a tiny buffer and can be reset and reused', () => {
  const w = new Writer(16);
  for (let i = 0; i < 1000; i++) w.int32(i);
  assert.equal(w.pos, 4000);
  assert.equal(w.view().readInt32BE(3996), 999);
  const copy = w.toBuffer();
  w.reset();
  w.int32(-1);
  assert.equal(w.toBuffer().toString('hex'), 'ffffffff');
  assert.equal(copy.readInt32BE(0), 0, 'toBuffer copies are not overwritten by reuse');
  const at = w.reserveInt32();
  w.int16(1);
  w.patchInt32(at, w.pos - at - 4);
  assert.equal(w.toBuffer().toString('hex'), 'ffffffff000000020001');
  w.shrink(1024, 64);
  assert.equal(w.buf.length, 64, 'a buffer grown past the limit is replaced');
  assert.equal(w.pos, 0);
  w.shrink(1024, 32);
  assert.equal(w.buf.length, 64, 'a small buffer is kept');
});
