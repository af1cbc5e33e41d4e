// Helpers for the broker tests: start a broker (memory or a temp dataDir), unique names, and a raw
// protocol client that pipelines requests and reports responses in arrival order.

import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeResponse, encodeRequest, type Value } from '@seaway/kafka-protocol';
import { type BrokerOptions, type KafkaBroker, startKafkaBroker } from '../src/index.ts';

export const quiet = () => {};

let seq = 0;
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'seaway-broker-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function startTestBroker(options: BrokerOptions = {}): Promise<KafkaBroker> {
  return startKafkaBroker({ port: 0, host: '127.0.0.1', dataDir: null, log: quiet, ...options });
}

interface Pending {
  apiKey: number;
  version: number;
  resolve: (v: { correlationId: number; body: Value }) => void;
  reject: (e: Error) => void;
}

/** A raw Kafka protocol connection; send() may be called several times before answers arrive. */
export class RawClient {
  readonly socket: Socket;
  #buffered = Buffer.alloc(0);
  #pending = new Map<number, Pending>();
  #correlationId = 0;
  /** Correlation ids in the order their responses arrived. */
  readonly arrivals: number[] = [];
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const p of this.#pending.values()) p.reject(new Error('connection closed'));
      this.#pending.clear();
    });
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      while (this.#buffered.length >= 4) {
        const size = this.#buffered.readInt32BE(0);
        if (this.#buffered.length < 4 + size) return;
        const frame = this.#buffered.subarray(4, 4 + size);
        this.#buffered = this.#buffered.subarray(4 + size);
        const correlationId = frame.readInt32BE(0);
        this.arrivals.push(correlationId);
        const p = this.#pending.get(correlationId);
        if (!p) continue;
        this.#pending.delete(correlationId);
        try {
          p.resolve(decodeResponse(p.apiKey, p.version, frame));
        } catch (e) {
          p.reject(e as Error);
        }
      }
    });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  nextCorrelationId(): number {
    return ++this.#correlationId;
  }

  // biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
  send(apiKey: number, version: number, body: Value): Promise<{ correlationId: number; body: any }> {
    const correlationId = ++this.#correlationId;
    const frame = encodeRequest(apiKey, version, body as never, { correlationId, clientId: 'raw-test' });
    return this.sendFrame(frame, apiKey, version, correlationId);
  }

  sendFrame(
    frame: Buffer,
    apiKey: number,
    version: number,
    correlationId: number,
    // biome-ignore lint/suspicious/noExplicitAny: tests read decoded bodies loosely
  ): Promise<{ correlationId: number; body: any }> {
    return new Promise((resolve, reject) => {
      this.#pending.set(correlationId, { apiKey, version, resolve, reject });
      this.socket.write(frame);
    });
  }

  /** Sends without expecting an answer (Produce acks=0). */
  sendNoReply(apiKey: number, version: number, body: Value): void {
    const correlationId = ++this.#correlationId;
    this.socket.write(encodeRequest(apiKey, version, body as never, { correlationId, clientId: 'raw-test' }));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves true if the socket closes within ms, false otherwise. */
export function closesWithin(client: RawClient, ms: number): Promise<boolean> {
  return Promise.race([client.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}
