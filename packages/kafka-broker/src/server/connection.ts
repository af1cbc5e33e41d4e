// One client connection: length-prefixed framing with a size limit, request dispatch through the API
// registry, and responses written in request order even when a handler waits (long-poll Fetch,
// JoinGroup). A connection's requests are handled one at a time, as in Kafka, with one exception:
// consecutive Produce requests overlap (up to 16), because a producer pipelines them and each waits
// for its append; their appends are queued per partition in request order before any handler waits.
// Any other request starts only when everything before it has finished, so a Produce is visible to
// the ListOffsets or Fetch behind it.
// Reading pauses while the socket's write buffer is full. Limits (limits.ts): the bytes held here
// count against the broker's maxBufferedBytes, and the sweep closes idle connections and ones whose
// frame stays incomplete too long.
//
// Framing violations close this connection with a log line and never touch others: a negative or
// oversize length, a frame too short for a header, an API key the broker does not serve, a version
// outside the advertised range, a body the codec cannot decode, a handler that throws.

import type { Socket } from 'node:net';
import { decodeRequest, encodeResponse, peekRequestHeader, Writer, writeResponse } from '@seaway/kafka-protocol';
import {
  type BrokerContext,
  CLOSE_CONNECTION,
  type ConnectionInfo,
  NO_RESPONSE,
  type RequestContext,
} from '../api/context.ts';
import type { ApiRegistry } from '../api/registry.ts';
import { BrokerErrorCode } from '../errors.ts';
import type { ConnectionLimits, LimitedConnection } from './limits.ts';
import { checkPlainToken } from './sasl.ts';

interface Slot {
  done: boolean;
  out: Buffer | null;
}

const SASL_KEYS = new Set([17, 18, 36]);
const API_VERSIONS = 18;
const PRODUCE = 0;
const MAX_OVERLAPPING_PRODUCES = 16;

/**
 * Response frames are encoded into one shared Writer. Small ones are copied out; a large one (a Fetch
 * full of records) takes the Writer's buffer itself and a fresh Writer replaces it, which saves a
 * copy of the records.
 */
let out = new Writer(64 * 1024);
const GIVE_AWAY_BYTES = 256 * 1024;

function encodeFrame(apiKey: number, version: number, body: unknown, correlationId: number): Buffer {
  out.reset();
  writeResponse(out, apiKey, version, body as never, correlationId);
  if (out.pos < GIVE_AWAY_BYTES) return out.toBuffer();
  const frame = out.view();
  out = new Writer(64 * 1024);
  return frame;
}

export class Connection implements ConnectionInfo, LimitedConnection {
  readonly remote: string;
  lastActive: number;
  partialSince = 0;
  readonly #limits: ConnectionLimits | null;
  readonly #address: string;
  principal: string | null = null;
  saslMechanism: string | null = null;
  rawSaslNext = false;
  readonly #socket: Socket;
  readonly #broker: BrokerContext;
  readonly #registry: ApiRegistry;
  readonly #abort = new AbortController();
  #chunks: Buffer[] = [];
  #buffered = 0;
  #slots: Slot[] = [];
  #closed = false;
  #paused = false;
  /** Async handlers running. Only Produce requests may overlap (their appends are ordered per partition). */
  #inflight = 0;
  /** A non-Produce handler is running: every further frame waits. */
  #exclusive = false;

  constructor(socket: Socket, broker: BrokerContext, registry: ApiRegistry, limits: ConnectionLimits | null = null) {
    this.#socket = socket;
    this.#broker = broker;
    this.#registry = registry;
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.#address = socket.remoteAddress ?? '?';
    this.#limits = limits;
    this.lastActive = limits?.now ?? 0;
    limits?.track(this);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.#maybeResume());
    socket.on('error', () => this.#onClose());
    socket.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }
  get closedSignal(): AbortSignal {
    return this.#abort.signal;
  }

  close(reason?: { code: string; message: string }): void {
    if (reason)
      this.#broker.opts.log('warn', `closing connection from ${this.remote}: ${reason.code}: ${reason.message}`);
    this.#socket.destroy();
    this.#onClose();
  }

  busy(): boolean {
    return this.#inflight > 0 || this.#slots.length > 0;
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#limits?.release(this, this.#address, this.#buffered);
    this.#chunks = [];
    this.#buffered = 0;
    this.#slots = [];
    this.#abort.abort();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    const limits = this.#limits;
    if (limits !== null) {
      this.lastActive = limits.now;
      if (!limits.buffer(chunk.length)) {
        this.close({
          code: BrokerErrorCode.BUFFER_FULL,
          message: `request bytes held by all connections would pass ${this.#broker.opts.maxBufferedBytes} (maxBufferedBytes)`,
        });
        return;
      }
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    this.#drainFrames();
    if (limits !== null) {
      // an incomplete frame waiting for more bytes (not one waiting for a handler) starts the clock
      const waiting = this.#buffered > 0 && !this.#paused && this.#mayStartNext();
      if (!waiting) this.partialSince = 0;
      else if (this.partialSince === 0) this.partialSince = limits.now;
    }
  }

  #drainFrames(): void {
    while (!this.#closed && !this.#paused && this.#buffered >= 4 && this.#mayStartNext()) {
      const size = this.#peekSize();
      if (size < 0 || size > this.#broker.opts.maxFrameBytes) {
        this.close({
          code: BrokerErrorCode.FRAME_TOO_LARGE,
          message: `frame size ${size} is outside 0..${this.#broker.opts.maxFrameBytes} (maxFrameBytes)`,
        });
        return;
      }
      if (this.#buffered < 4 + size) return;
      const frame = this.#take(4 + size).subarray(4);
      this.#onFrame(frame);
      if (this.#socket.writableNeedDrain) this.#pause();
    }
  }

  /** Whether the next buffered frame may start now (see #inflight). */
  #mayStartNext(): boolean {
    if (this.#inflight === 0) return true;
    if (this.#exclusive || this.#inflight >= MAX_OVERLAPPING_PRODUCES || this.#buffered < 6) return false;
    const head = this.#chunks[0]!.length >= 6 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    return head.readInt16BE(4) === PRODUCE;
  }

  #peekSize(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.#chunks).readInt32BE(0);
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.#chunks, this.#buffered);
      out = all.subarray(0, n);
      this.#chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.#buffered -= n;
    this.#limits?.buffer(-n);
    return out;
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#socket.pause();
  }

  #maybeResume(): void {
    if (!this.#paused || this.#closed) return;
    if (this.#socket.writableNeedDrain) return;
    this.#paused = false;
    this.#socket.resume();
    this.#drainFrames();
  }

  #onFrame(frame: Buffer): void {
    if (this.rawSaslNext) {
      this.rawSaslNext = false;
      this.#rawSasl(frame);
      return;
    }
    if (frame.length < 8) {
      this.close({
        code: BrokerErrorCode.BAD_REQUEST,
        message: `frame of ${frame.length} bytes is too short for a header`,
      });
      return;
    }
    const { apiKey, apiVersion, correlationId } = peekRequestHeader(frame);
    const api = this.#registry.get(apiKey);
    if (api === undefined) {
      this.close({ code: BrokerErrorCode.UNKNOWN_API, message: `api key ${apiKey} is not served` });
      return;
    }
    if (apiVersion < api.minVersion || apiVersion > api.maxVersion) {
      if (apiKey === API_VERSIONS && apiVersion > api.maxVersion) {
        // KIP-511: answer with v0 so any client can read the versions it should retry with
        const slot = this.#slot();
        slot.out = encodeResponse(API_VERSIONS, 0, { errorCode: 35, apiKeys: this.#broker.apiVersions }, correlationId);
        slot.done = true;
        this.#flush();
        return;
      }
      this.close({
        code: BrokerErrorCode.UNSUPPORTED_VERSION,
        message: `api key ${apiKey} version ${apiVersion} is outside ${api.minVersion}-${api.maxVersion}`,
      });
      return;
    }
    if (this.#broker.opts.sasl && this.principal === null && !SASL_KEYS.has(apiKey)) {
      this.close({
        code: BrokerErrorCode.UNAUTHENTICATED,
        message: `api key ${apiKey} sent before SASL authentication`,
      });
      return;
    }
    let request: ReturnType<typeof decodeRequest>;
    try {
      request = decodeRequest(frame);
    } catch (e) {
      this.close({
        code: BrokerErrorCode.BAD_REQUEST,
        message: `cannot decode api ${apiKey} v${apiVersion}: ${(e as Error).message}`,
      });
      return;
    }
    const slot = this.#slot();
    const ctx: RequestContext = { broker: this.#broker, header: request.header, version: apiVersion, connection: this };
    let result: unknown;
    try {
      result = api.handle(request.body as never, ctx);
    } catch (e) {
      this.#failed(apiKey, apiVersion, e);
      return;
    }
    if (result instanceof Promise) {
      this.#inflight++;
      if (apiKey !== PRODUCE) this.#exclusive = true;
      result.then(
        (r) => {
          this.#inflight--;
          if (apiKey !== PRODUCE) this.#exclusive = false;
          this.#complete(slot, apiKey, apiVersion, correlationId, r);
          this.#drainFrames();
        },
        (e) => this.#failed(apiKey, apiVersion, e),
      );
    } else this.#complete(slot, apiKey, apiVersion, correlationId, result);
  }

  #slot(): Slot {
    const slot: Slot = { done: false, out: null };
    this.#slots.push(slot);
    return slot;
  }

  #failed(apiKey: number, version: number, e: unknown): void {
    const err = e as Error;
    this.close({
      code: BrokerErrorCode.HANDLER_FAILED,
      message: `api ${apiKey} v${version} failed: ${err?.stack ?? String(e)}`,
    });
  }

  #complete(slot: Slot, apiKey: number, version: number, correlationId: number, result: unknown): void {
    if (this.#closed) return;
    if (result === CLOSE_CONNECTION) {
      this.close({ code: BrokerErrorCode.ACKS0_FAILED, message: `api ${apiKey} v${version} with acks=0 failed` });
      return;
    }
    if (result !== NO_RESPONSE) {
      try {
        slot.out = encodeFrame(apiKey, version, result, correlationId);
      } catch (e) {
        this.#failed(apiKey, version, e);
        return;
      }
    }
    slot.done = true;
    this.#flush();
  }

  #flush(): void {
    let wrote = false;
    while (this.#slots.length > 0 && this.#slots[0]!.done) {
      const slot = this.#slots.shift()!;
      if (slot.out !== null) {
        if (!wrote) this.#socket.cork();
        wrote = true;
        this.#socket.write(slot.out);
      }
    }
    if (wrote) this.#socket.uncork();
    this.#maybeResume();
  }

  /** SASL/PLAIN after a v0 SaslHandshake: the token comes as a bare frame and success is an empty frame. */
  #rawSasl(token: Buffer): void {
    const user = checkPlainToken(token, this.#broker.opts.sasl);
    if (user === null) {
      this.close({ code: BrokerErrorCode.UNAUTHENTICATED, message: 'SASL/PLAIN authentication failed' });
      return;
    }
    this.principal = user;
    const slot = this.#slot();
    slot.out = Buffer.alloc(4);
    slot.done = true;
    this.#flush();
  }
}
