// Limits on the Kafka port, shared by every connection of one broker: connections in total and per
// address (refused at accept), idle connections (connections.max.idle.ms, Kafka's default 10 min),
// frames that start and never finish (partialFrameTimeoutMs), and the bytes all connections hold in
// unprocessed or partial frames together (maxBufferedBytes: the connection whose bytes would push the
// total past it is closed). One timer sweeps every connection once a second; connections stamp their
// activity with the sweep's coarse clock, so the data path reads no clock.
import type { ResolvedOptions } from '../config.ts';

export interface LimitedConnection {
  readonly remote: string;
  /** Coarse time of the last bytes in or out. */
  lastActive: number;
  /** Coarse time the buffered bytes started to hold an incomplete frame, 0 when none. */
  partialSince: number;
  /** Requests being handled (a long-poll Fetch is not idle). */
  busy(): boolean;
  close(reason: { code: string; message: string }): void;
}

export interface ConnectionStats {
  open: number;
  /** Bytes held in unprocessed or partial frames, all connections. */
  bufferedBytes: number;
  refusedTotal: number;
  refusedPerAddress: number;
  closedIdle: number;
  closedPartialTimeout: number;
  closedBufferFull: number;
}

export class ConnectionLimits {
  readonly stats: ConnectionStats = {
    open: 0,
    bufferedBytes: 0,
    refusedTotal: 0,
    refusedPerAddress: 0,
    closedIdle: 0,
    closedPartialTimeout: 0,
    closedBufferFull: 0,
  };
  /** Coarse clock (ms), advanced by the sweep. */
  now = Date.now();
  readonly #perAddress = new Map<string, number>();
  readonly #all = new Set<LimitedConnection>();
  readonly #timer: NodeJS.Timeout;

  constructor(readonly opts: ResolvedOptions) {
    this.#timer = setInterval(() => this.#sweep(), 1000);
    this.#timer.unref();
  }

  /** At accept: null to go ahead, or why the connection is refused. */
  admit(address: string): string | null {
    if (this.stats.open >= this.opts.maxConnections) {
      this.stats.refusedTotal++;
      return `maxConnections (${this.opts.maxConnections}) reached`;
    }
    const n = this.#perAddress.get(address) ?? 0;
    if (n >= this.opts.maxConnectionsPerAddress) {
      this.stats.refusedPerAddress++;
      return `maxConnectionsPerAddress (${this.opts.maxConnectionsPerAddress}) reached for ${address}`;
    }
    this.#perAddress.set(address, n + 1);
    this.stats.open++;
    return null;
  }

  track(c: LimitedConnection): void {
    this.#all.add(c);
  }

  release(c: LimitedConnection, address: string, buffered: number): void {
    if (!this.#all.delete(c)) return;
    this.stats.open--;
    this.stats.bufferedBytes -= buffered;
    const n = (this.#perAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, n);
  }

  /** A connection's buffered bytes changed by `delta`; false when the total would pass maxBufferedBytes. */
  buffer(delta: number): boolean {
    if (delta > 0 && this.stats.bufferedBytes + delta > this.opts.maxBufferedBytes) {
      this.stats.closedBufferFull++;
      return false;
    }
    this.stats.bufferedBytes += delta;
    return true;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #sweep(): void {
    const now = Date.now();
    this.now = now;
    const idle = this.opts.idleTimeoutMs;
    const partial = this.opts.partialFrameTimeoutMs;
    for (const c of this.#all) {
      if (c.partialSince !== 0 && now - c.partialSince > partial) {
        this.stats.closedPartialTimeout++;
        c.close({
          code: 'SEAWAY_BROKER_PARTIAL_FRAME_TIMEOUT',
          message: `a request frame started ${Math.round((now - c.partialSince) / 1000)} s ago is still incomplete (partialFrameTimeoutMs ${partial})`,
        });
      } else if (now - c.lastActive > idle && !c.busy()) {
        this.stats.closedIdle++;
        c.close({
          code: 'SEAWAY_BROKER_IDLE',
          message: `idle for more than ${idle} ms (idleTimeoutMs, Kafka's connections.max.idle.ms)`,
        });
      }
    }
  }
}
