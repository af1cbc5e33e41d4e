// Write coalescing for broker connections. aedes writes each PUBACK and each delivered PUBLISH
// from its own callback, and mqtt-packet encodes a packet as several small stream writes (a PUBACK
// is three). Written as they come, every packet became its own writev(2) system call: ~30% of the
// broker's CPU in the QoS 1 ingest benchmark.
//
// Here a connection's writes are held in a list and leave as one Buffer in one write() (one system
// call, one WebSocket frame) when a single process.nextTick shared by all connections flushes them:
// after the callback (or the promise continuation) that wrote them, before the loop moves on. The
// lab's ingest gate releases a whole Kafka batch in one continuation, so each connection's PUBACKs
// of that batch leave together, at once. (A setImmediate flush waited one more loop turn: the seed
// benchmark ran ~15% slower and single-publisher latency was ~25% higher.) With stop-and-wait
// publishers that costs one list push and one plain write per PUBACK, not a cork, a timer per
// connection and an uncork through the stream's buffer.
//
// Kept stream semantics: order (a write with a callback, and end(), first flush what is held;
// string chunks, which mqtt-packet uses for topics, are held as Buffers); backpressure (write()
// returns what the stream would: held bytes count against its high-water mark, and reaching it
// flushes at once so the stream sets its 'drain' flag); destroy() first writes what is held, then
// the stream drops what it had not sent. Held bytes are not in `writableLength` (at most FLUSH_BYTES).
import type { Duplex } from 'node:stream';

/** A connection holding more than this flushes at once. */
const FLUSH_BYTES = 64 * 1024;
/** Chunks this large (payloads) are not copied into the held buffer: what is held goes first, then the chunk. */
const DIRECT_BYTES = 16 * 1024;

type WriteFn = (this: Duplex, chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

interface Held {
  conn: Duplex;
  write: WriteFn;
  chunks: Uint8Array[];
  bytes: number;
}

let queued: Held[] = [];
let spare: Held[] = [];

function flushAll(): void {
  const list = queued;
  queued = spare;
  for (let i = 0; i < list.length; i++) {
    const h = list[i] as Held;
    try {
      flush(h);
    } catch (err) {
      // one broken stream must not strand the others' held bytes
      h.chunks.length = 0;
      h.bytes = 0;
      h.conn.destroy(err as Error);
    }
  }
  list.length = 0;
  spare = list;
}

function flush(h: Held): boolean {
  const chunks = h.chunks;
  const n = chunks.length;
  if (n === 0) return true;
  const bytes = h.bytes;
  const out = n === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, bytes);
  chunks.length = 0;
  h.bytes = 0;
  if (h.conn.destroyed) return false;
  return h.write.call(h.conn, out);
}

export function coalesceWrites(conn: Duplex): void {
  const h: Held = { conn, write: conn.write as WriteFn, chunks: [], bytes: 0 };
  conn.write = function coalescedWrite(this: Duplex, chunk: unknown, encoding?: unknown, cb?: unknown) {
    if (cb !== undefined || typeof encoding === 'function' || conn.destroyed) {
      flush(h);
      return h.write.call(this, chunk, encoding, cb);
    }
    if (!(chunk instanceof Uint8Array)) {
      // mqtt-packet writes topics as strings
      if (typeof chunk !== 'string' || (encoding !== undefined && !Buffer.isEncoding(encoding as string))) {
        flush(h);
        return h.write.call(this, chunk, encoding, cb);
      }
      chunk = Buffer.from(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8');
    }
    if ((chunk as Uint8Array).length >= DIRECT_BYTES) {
      flush(h);
      return h.write.call(this, chunk);
    }
    if (h.chunks.length === 0) {
      if (queued.length === 0) process.nextTick(flushAll);
      queued.push(h);
    }
    h.chunks.push(chunk as Uint8Array);
    h.bytes += (chunk as Uint8Array).length;
    if (h.bytes >= FLUSH_BYTES || conn.writableLength + h.bytes >= conn.writableHighWaterMark) return flush(h);
    return true;
  } as Duplex['write'];
  // packets written before the broker closes a connection (the PUBACKs of messages accepted before
  // the one that was refused) leave first: the stream would have had them had they not been held
  const destroy = conn.destroy;
  conn.destroy = function coalescedDestroy(this: Duplex, ...args: unknown[]) {
    if (h.chunks.length > 0 && !conn.destroyed) {
      try {
        flush(h);
      } catch {
        // the connection is going anyway
      }
    }
    return (destroy as (...a: unknown[]) => Duplex).apply(this, args);
  } as Duplex['destroy'];
  const end = conn.end;
  conn.end = function coalescedEnd(this: Duplex, ...args: unknown[]) {
    flush(h);
    return (end as (...a: unknown[]) => Duplex).apply(this, args);
  } as Duplex['end'];
}
