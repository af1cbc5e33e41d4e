// One TCP connection to one Kafka broker: size-prefixed frames out, responses matched to requests.
//
// Kafka answers the requests of one connection in the order they were sent, so pending requests are
// a FIFO queue and each response is checked against the head's correlation id. On connect the
// connection asks ApiVersions (v2) and keeps the broker's ranges, so callers pick versions with
// `version(apiKey, ourMax)`. A socket error, a close or a request timeout fails every pending
// request with a KafkaClientError and the connection is done: the owner opens a new one.

import net from 'node:net';
import { decodeResponse, encodeRequest, type RequestInput, type ResponseBody } from '../codec/message-codec.ts';
import { ClientErrorCodes, KafkaClientError } from './errors.ts';
import type { KafkaTransport, TransportOptions } from './transport.ts';

export type ConnectionOptions = TransportOptions;

interface Pending {
  correlationId: number;
  apiKey: number;
  version: number;
  sentAt: number;
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
}

const API_VERSIONS = 18;
const MAX_FRAME = 256 * 1024 * 1024;

export class KafkaConnection implements KafkaTransport {
  readonly address: string;
  private readonly socket: net.Socket;
  private readonly pending: Pending[] = [];
  private head = 0;
  private nextCorrelation = 1;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  private versions = new Map<number, { min: number; max: number }>();
  private readonly requestTimeoutMs: number;

  private constructor(
    private readonly o: ConnectionOptions,
    socket: net.Socket,
  ) {
    this.address = `${o.host}:${o.port}`;
    this.socket = socket;
    this.requestTimeoutMs = o.requestTimeoutMs ?? 30_000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) =>
      this.fail(new KafkaClientError(ClientErrorCodes.NETWORK, `${this.address}: ${e.message}`)),
    );
    socket.on('close', () =>
      this.fail(new KafkaClientError(ClientErrorCodes.NETWORK, `${this.address}: the broker closed the connection`)),
    );
  }

  /** Connects and learns the broker's API versions. */
  static async open(o: ConnectionOptions): Promise<KafkaConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: o.host, port: o.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new KafkaClientError(
            ClientErrorCodes.CONNECT,
            `no connection to Kafka at ${o.host}:${o.port} within ${o.connectTimeoutMs ?? 10_000} ms`,
          ),
        );
      }, o.connectTimeoutMs ?? 10_000);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(
          new KafkaClientError(
            ClientErrorCodes.CONNECT,
            `cannot connect to Kafka at ${o.host}:${o.port}: ${e.message}`,
          ),
        );
      });
    });
    const c = new KafkaConnection(o, socket);
    try {
      const res = await c.request(API_VERSIONS, 2, {});
      if (res.errorCode !== 0)
        throw new KafkaClientError(
          ClientErrorCodes.PROTOCOL,
          `${c.address} answered ApiVersions with error ${res.errorCode}`,
        );
      for (const k of res.apiKeys) c.versions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  get alive(): boolean {
    return this.failure === null;
  }

  /** The highest version of `apiKey` both sides speak, or a KafkaClientError when there is none. */
  version(apiKey: number, ourMin: number, ourMax: number): number {
    const theirs = this.versions.get(apiKey);
    const v = theirs ? Math.min(ourMax, theirs.max) : -1;
    if (!theirs || v < Math.max(ourMin, theirs.min))
      throw new KafkaClientError(
        ClientErrorCodes.UNSUPPORTED_VERSION,
        `${this.address} speaks api ${apiKey} versions ${theirs ? `${theirs.min}-${theirs.max}` : 'none'}; this client needs ${ourMin}-${ourMax}`,
      );
    return v;
  }

  /** Sends one request; resolves with the decoded response body. */
  request<K extends number>(apiKey: K, version: number, body: RequestInput<K>): Promise<ResponseBody<K>> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelation;
    this.nextCorrelation = (this.nextCorrelation + 1) | 0;
    const frame = encodeRequest(apiKey, version, body, { correlationId, clientId: this.o.clientId });
    return new Promise((resolve, reject) => {
      this.pending.push({
        correlationId,
        apiKey,
        version,
        sentAt: Date.now(),
        resolve: resolve as (b: unknown) => void,
        reject,
      });
      this.socket.write(frame);
      this.armTimer();
    });
  }

  close(): void {
    this.fail(new KafkaClientError(ClientErrorCodes.CLOSED, `${this.address}: connection closed by the client`));
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      let data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
      const size = data.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) {
        this.fail(new KafkaClientError(ClientErrorCodes.PROTOCOL, `${this.address} sent a frame of ${size} bytes`));
        return;
      }
      if (data.length < size + 4) {
        this.chunks = [data];
        return;
      }
      const frame = data.subarray(4, size + 4);
      data = data.subarray(size + 4);
      this.chunks = data.length > 0 ? [data] : [];
      this.buffered = data.length;
      this.onFrame(frame);
      if (this.failure) return;
    }
  }

  private onFrame(frame: Buffer): void {
    const p = this.pending[this.head];
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    if (!p || p.correlationId !== correlationId) {
      this.fail(
        new KafkaClientError(
          ClientErrorCodes.PROTOCOL,
          `${this.address} answered correlation id ${correlationId}, expected ${p?.correlationId ?? 'none'}`,
        ),
      );
      return;
    }
    this.pending[this.head] = undefined as unknown as Pending;
    this.head++;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    let body: unknown;
    try {
      body = decodeResponse(p.apiKey, p.version, frame).body;
    } catch (e) {
      p.reject(
        new KafkaClientError(
          ClientErrorCodes.PROTOCOL,
          `${this.address}: cannot decode the response to api ${p.apiKey} v${p.version}: ${(e as Error).message}`,
        ),
      );
      return;
    }
    p.resolve(body);
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const oldest = this.pending[this.head];
      if (!oldest) return;
      const age = Date.now() - oldest.sentAt;
      if (age >= this.requestTimeoutMs) {
        this.fail(
          new KafkaClientError(
            ClientErrorCodes.TIMEOUT,
            `${this.address} did not answer api ${oldest.apiKey} within ${this.requestTimeoutMs} ms`,
          ),
        );
        return;
      }
      this.armTimer();
    }, this.requestTimeoutMs / 4);
    this.timer.unref();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    if (this.timer) clearTimeout(this.timer);
    this.socket.destroy();
    const left = this.pending.splice(this.head);
    this.pending.length = 0;
    this.head = 0;
    for (const p of left) p.reject(err);
  }
}
