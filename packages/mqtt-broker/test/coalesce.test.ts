// Write coalescing (src/coalesce.ts) over an in-memory Duplex that records each _write call.
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { coalesceWrites } from '../src/coalesce.ts';

function recorder(highWaterMark = 16 * 1024): { conn: Duplex; writes: string[] } {
  const writes: string[] = [];
  const conn = new Duplex({
    highWaterMark,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString());
      cb();
    },
  });
  coalesceWrites(conn);
  return { conn, writes };
}

const turn = () => new Promise((r) => setImmediate(r));

test('the writes of one turn leave as one buffer, in order, per connection', async () => {
  const a = recorder();
  const b = recorder();
  a.conn.write(Buffer.from('a1'));
  b.conn.write(Buffer.from('b1'));
  a.conn.write(Buffer.from('a2'));
  a.conn.write(Buffer.from('a3'));
  assert.deepEqual(a.writes, [], 'held until the turn ends');
  await turn();
  assert.deepEqual(a.writes, ['a1a2a3']);
  assert.deepEqual(b.writes, ['b1']);
  a.conn.write(Buffer.from('a4'));
  await turn();
  assert.deepEqual(a.writes, ['a1a2a3', 'a4']);
});

test('a write with a callback, and end(), first send what is held; strings are held like buffers', async () => {
  const { conn, writes } = recorder();
  conn.write(Buffer.from('x'));
  let called = false;
  conn.write(Buffer.from('y'), () => {
    called = true;
  });
  assert.deepEqual(writes, ['x', 'y']);
  conn.write(Buffer.from('z'));
  conn.write('s', 'utf8');
  conn.write('t');
  assert.deepEqual(writes, ['x', 'y'], 'strings are held too');
  await turn();
  assert.deepEqual(writes, ['x', 'y', 'zst']);
  conn.write(Buffer.from('last'));
  conn.end();
  assert.deepEqual(writes, ['x', 'y', 'zst', 'last']);
  await turn();
  assert.equal(called, true);
});

test('write() reports backpressure as the stream would, flushing at the high-water mark', () => {
  const writes: number[] = [];
  const conn = new Duplex({
    highWaterMark: 100,
    read() {},
    write(chunk: Buffer, _enc, _cb) {
      writes.push(chunk.length); // never completes: everything stays buffered in the stream
    },
  });
  coalesceWrites(conn);
  assert.equal(conn.write(Buffer.alloc(60)), true);
  assert.deepEqual(writes, []);
  assert.equal(conn.write(Buffer.alloc(60)), false, '120 bytes against a mark of 100');
  assert.deepEqual(writes, [120], 'flushed at once so the stream owes a drain event');
  assert.equal(conn.writableNeedDrain, true);
});

test('a large chunk is written as it is, after what was held', () => {
  const { conn, writes } = recorder(1024 * 1024);
  conn.write(Buffer.from('head'));
  const big = Buffer.alloc(20_000, 0x62);
  conn.write(big);
  assert.deepEqual(writes, ['head', big.toString()]);
});

test('destroying a connection first writes what it held (PUBACKs of messages accepted before a refused one), then nothing more', async () => {
  const { conn, writes } = recorder();
  conn.on('error', () => {});
  conn.write(Buffer.from('held'));
  conn.destroy();
  conn.write(Buffer.from('after'));
  await turn();
  assert.deepEqual(writes.map(String), ['held']);
});
