import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../src/records/crc32c.ts';

// Vectors: the CRC catalogue's check value, and RFC 3720 (iSCSI) appendix B.4.
test('crc32c matches the published check value for "123456789"', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('crc32c matches the RFC 3720 test vectors', () => {
  assert.equal(crc32c(Buffer.alloc(32, 0)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  const up = Buffer.alloc(32);
  const down = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) {
    up[i] = i;
    down[i] = 31 - i;
  }
  assert.equal(crc32c(up), 0x46dd794e);
  assert.equal(crc32c(down), 0x113fdb5c);
});

test('crc32c of an empty range is 0', () => {
  assert.equal(crc32c(Buffer.alloc(0)), 0);
  assert.equal(crc32c(Buffer.from('abc'), 2, 2), 0);
});

test('crc32c over a sub-range equals crc32c over a copy, at every alignment and length', () => {
  const data = Buffer.alloc(300);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
  for (let start = 0; start < 9; start++) {
    for (let len = 0; len < 40; len++) {
      const copy = Buffer.from(data.subarray(start, start + len));
      assert.equal(crc32c(data, start, start + len), crc32c(copy), `start ${start} len ${len}`);
    }
  }
});

test('crc32c continues a running checksum across pieces', () => {
  const data = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.');
  for (let cut = 0; cut <= data.length; cut++) {
    assert.equal(crc32c(data, cut, data.length, crc32c(data, 0, cut)), crc32c(data));
  }
});
