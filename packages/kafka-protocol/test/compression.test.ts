import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { command } from '../../../scripts/testing/needs.mjs';
import {
  compress,
  decompress,
  isXerial,
  lz4Compress,
  lz4Decompress,
  snappyCompress,
  snappyDecompress,
  snappyRawCompress,
  snappyRawDecompress,
  xxhash32,
  zstdCompress,
  zstdDecompress,
} from '../src/compression/index.ts';

const errCode = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

function pseudoRandom(n: number, alphabet: number, seed = 1): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 16) % alphabet;
  }
  return out;
}

const jsonLines = Buffer.from(
  Array.from({ length: 5000 }, (_, i) => `{"mmsi":${200000000 + (i % 97)},"lat":${(i * 0.37).toFixed(3)}}`).join('\n'),
);

const inputs: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from('x')],
  ['short text', Buffer.from('hello hello hello hello hello world')],
  ['300 KB of one byte', Buffer.alloc(300_000, 7)],
  ['200 KB of noise', pseudoRandom(200_000, 256)],
  ['200 KB over 4 symbols', pseudoRandom(200_000, 4)],
  ['JSON lines', jsonLines],
];

for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  for (const [name, data] of inputs) {
    test(`${codec} round-trips ${name}`, () => {
      assert.deepEqual(decompress(codec, compress(codec, data)), data);
    });
  }
}

test('snappy, lz4 and gzip shrink repetitive JSON', () => {
  for (const codec of ['gzip', 'snappy', 'lz4'] as const) {
    assert.ok(compress(codec, jsonLines).length < jsonLines.length / 2, codec);
  }
});

test('snappy encodes xerial framing like the Java client and decodes raw snappy like librdkafka', () => {
  const framed = snappyCompress(jsonLines);
  assert.equal(isXerial(framed), true);
  const raw = snappyRawCompress(jsonLines);
  assert.equal(isXerial(raw), false);
  assert.deepEqual(snappyDecompress(raw), jsonLines);
  assert.deepEqual(snappyRawDecompress(raw), jsonLines);
});

test('snappy decodes the format description example with a 4-byte-offset copy', () => {
  // length 12, literal "abcd", copy len 8 offset 4 (tag type 3, four-byte offset)
  const data = Buffer.from([12, 3 << 2, 0x61, 0x62, 0x63, 0x64, 3 | (7 << 2), 4, 0, 0, 0]);
  assert.equal(snappyRawDecompress(data).toString(), 'abcdabcdabcd');
});

test('snappy rejects a copy that reaches before the start', () => {
  const data = Buffer.from([8, 0 << 2, 0x61, 2 | (6 << 2), 9, 0]);
  assert.throws(() => snappyRawDecompress(data), errCode('SEAWAY_COMPRESSION_CORRUPT'));
});

test('xxhash32 matches the reference values', () => {
  assert.equal(xxhash32(Buffer.alloc(0)), 0x02cc5d05);
  assert.equal(xxhash32(Buffer.from('a')), 0x550d7456);
  assert.equal(xxhash32(Buffer.from('abc')), 0x32d153ff);
  assert.equal(xxhash32(Buffer.from('Nobody inspects the spammish repetition')), 0xe2293b2f);
});

test('lz4 accepts the pre-0.10 Kafka header checksum that covered the magic number', () => {
  const frame = Buffer.from(lz4Compress(jsonLines));
  frame[6] = (xxhash32(frame, 0, 6) >>> 8) & 0xff;
  assert.deepEqual(lz4Decompress(frame), jsonLines);
  frame[6] = (frame[6]! + 1) & 0xff;
  assert.throws(() => lz4Decompress(frame), errCode('SEAWAY_COMPRESSION_CORRUPT'));
});

test('lz4 decodes uncompressed blocks, block checksums, content size and content checksum', () => {
  const content = Buffer.from('tiny');
  const parts: Buffer[] = [];
  const header = Buffer.alloc(6 + 8);
  header.writeUInt32LE(0x184d2204, 0);
  header[4] = 0x40 | 0x20 | 0x10 | 0x08 | 0x04;
  header[5] = 0x40;
  header.writeUInt32LE(content.length, 6);
  parts.push(header, Buffer.from([(xxhash32(header, 4, 14) >>> 8) & 0xff]));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(content.length + 0x80000000, 0);
  const blockSum = Buffer.alloc(4);
  blockSum.writeUInt32LE(xxhash32(content), 0);
  const contentSum = Buffer.alloc(4);
  contentSum.writeUInt32LE(xxhash32(content), 0);
  parts.push(size, content, blockSum, Buffer.alloc(4), contentSum);
  const frame = Buffer.concat(parts);
  assert.equal(lz4Decompress(frame).toString(), 'tiny');
  frame[frame.length - 1]! ^= 1;
  assert.throws(() => lz4Decompress(frame), errCode('SEAWAY_COMPRESSION_CORRUPT'));
});

test('zstd encodes a frame of stored blocks that decodes across the 128 KiB block limit', () => {
  const data = pseudoRandom(300_000, 256, 5);
  const frame = zstdCompress(data);
  assert.equal(frame.length, data.length + 13 + 3 * 3);
  assert.deepEqual(zstdDecompress(frame), data);
});

test('corrupt input fails with SEAWAY_COMPRESSION_CORRUPT for every codec', () => {
  const junk = Buffer.from('definitely not compressed data at all');
  for (const codec of ['gzip', 'lz4', 'zstd'] as const) {
    assert.throws(() => decompress(codec, junk), errCode('SEAWAY_COMPRESSION_CORRUPT'), codec);
  }
  assert.throws(
    () => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    errCode('SEAWAY_COMPRESSION_CORRUPT'),
  );
});

// The reference command-line tools write frames with options our encoder never uses.
const lz4Cli = command('lz4');
test('lz4 decodes frames written by the lz4 command-line tool', { skip: !lz4Cli && 'no lz4 CLI' }, () => {
  for (const flags of [['-BD'], ['-BX', '--content-size'], ['-B4', '--no-frame-crc'], ['-9', '-BD', '-BX']]) {
    const r = spawnSync(lz4Cli as string, ['-c', '-q', ...flags], { input: jsonLines });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(lz4Decompress(r.stdout), jsonLines, flags.join(' '));
  }
  const back = spawnSync(lz4Cli as string, ['-d', '-c', '-q'], { input: lz4Compress(jsonLines) });
  assert.deepEqual(back.stdout, jsonLines);
});

const zstdCli = command('zstd');
test('zstd decodes frames written by the zstd command-line tool and it reads ours', {
  skip: !zstdCli && 'no zstd CLI',
}, () => {
  for (const flags of [['-1'], ['-19'], ['--no-check', '-3']]) {
    const r = spawnSync(zstdCli as string, ['-c', '-q', ...flags], { input: jsonLines });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(zstdDecompress(r.stdout), jsonLines, flags.join(' '));
  }
  const back = spawnSync(zstdCli as string, ['-d', '-c', '-q'], { input: zstdCompress(jsonLines) });
  assert.deepEqual(back.stdout, jsonLines);
});
