// The in-process publishing engine: W MQTT connections share one dispenser of pre-encoded
// PUBLISH packets. The raw worker writes packets on its own net.Socket (packet id patched in
// place, writes corked per burst) and parses PUBACKs itself; there is no promise or closure per
// message. A window of `inflight` unacknowledged messages per connection bounds memory; 1 is the
// seed's stop-and-wait. Latency (PUBLISH written -> PUBACK read) goes into a fixed histogram.
import { connect as netConnect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { AisError } from '../errors.ts';
import { Histogram } from './histogram.ts';
import {
  CONNACK,
  connectPacket,
  DISCONNECT_PACKET,
  PacketReader,
  PINGREQ_PACKET,
  PUBACK,
  PUBCOMP,
  PUBREC,
  type PublishPacket,
  pubrelPacket,
} from './mqtt-packets.ts';

export interface PoolEntry {
  topic: string;
  payload: Buffer;
  packet: PublishPacket;
}

export interface EngineConfig {
  host: string;
  port: number;
  url: string;
  workers: number;
  inflight: number;
  qos: 0 | 1 | 2;
  /** Messages this engine sends; null = no limit (0 sends nothing). */
  messages: number | null;
  /** 0 = no limit. */
  durationMs: number;
  /** Messages per second for this engine; 0 = flat out. */
  rate: number;
  /** The source may have nothing due for a while (poll it every 5 ms). */
  paced: boolean;
  username?: string;
  password?: string;
  clientId: string;
  connectTimeoutMs: number;
  client: 'raw' | 'mqttjs';
  log: (line: string) => void;
}

export interface EngineCounters {
  sent: number;
  acked: number;
  errors: number;
  bytes: number;
}

const CONNACK_CODES: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

interface Worker {
  inflight: number;
  dead: boolean;
  pump(): void;
  close(): Promise<void>;
}

export class Engine {
  readonly counters: EngineCounters = { sent: 0, acked: 0, errors: 0, bytes: 0 };
  readonly hist = new Histogram();
  private workers: Worker[] = [];
  private taken = 0;
  /** go() was called: until then a worker whose CONNACK arrives early must not publish. */
  private running = false;
  private stopped = false;
  private tokens = 0;
  private lastRefill = 0;
  private readonly waiting = new Set<Worker>();
  private timers: NodeJS.Timeout[] = [];
  /** finish() ran: the counters are final; late packets on closing sockets are ignored. */
  finished = false;
  private resolveDone!: () => void;
  readonly done: Promise<void>;
  startedAt = 0;
  endedAt = 0;
  lastError: Error | null = null;

  constructor(
    private readonly cfg: EngineConfig,
    /** Next packet; null when the source has nothing due yet (real-time fleet). */
    private readonly nextEntry: () => PoolEntry | null,
  ) {
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
  }

  /** Open every connection; rejects with SEAWAY_AIS_CONNECT naming the server on failure. */
  async connect(): Promise<void> {
    const made = await Promise.allSettled(
      Array.from({ length: this.cfg.workers }, (_, i) =>
        this.cfg.client === 'mqttjs' ? this.connectMqttJs(i) : this.connectRaw(i),
      ),
    );
    const failed = made.find((m) => m.status === 'rejected') as PromiseRejectedResult | undefined;
    this.workers = made.filter((m) => m.status === 'fulfilled').map((m) => (m as PromiseFulfilledResult<Worker>).value);
    if (failed) {
      await Promise.all(this.workers.map((w) => w.close().catch(() => {})));
      throw failed.reason;
    }
  }

  /** Start publishing. */
  go(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = performance.now();
    this.lastRefill = this.startedAt;
    if (this.cfg.rate > 0) this.tokens = Math.min(1, this.cfg.rate);
    if (this.cfg.rate > 0 || this.cfg.paced) this.timers.push(setInterval(() => this.refill(), 5));
    if (this.cfg.durationMs > 0) this.timers.push(setTimeout(() => this.stop(), this.cfg.durationMs));
    for (const w of this.workers) w.pump();
    this.checkDone();
  }

  /** Stop taking messages; done resolves once in-flight messages are acknowledged (or 5 s). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.push(setTimeout(() => this.finish(), 5000));
    this.checkDone();
  }

  elapsedMs(): number {
    if (this.startedAt === 0) return 0;
    return Math.max(0, (this.endedAt || performance.now()) - this.startedAt);
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(
      Math.max(1, this.cfg.rate * 0.05),
      this.tokens + ((now - this.lastRefill) / 1000) * this.cfg.rate,
    );
    this.lastRefill = now;
    if (this.tokens >= 1 && this.waiting.size > 0) {
      const ws = [...this.waiting];
      this.waiting.clear();
      for (const w of ws) w.pump();
    }
  }

  /** Next packet for a worker, or null when stopped, exhausted or rate-limited. */
  take(w: Worker): PoolEntry | null {
    if (!this.running || this.stopped) return null;
    if (this.cfg.messages !== null && this.taken >= this.cfg.messages) return null;
    if (this.cfg.rate > 0 && this.tokens < 1) {
      this.waiting.add(w);
      return null;
    }
    const e = this.nextEntry();
    if (!e) {
      this.waiting.add(w);
      return null;
    }
    if (this.cfg.rate > 0) this.tokens -= 1;
    this.taken++;
    return e;
  }

  checkDone(): void {
    // Before go() the worker list is still being built (connect() settles every connection
    // first): finishing then would close none of them and resolve done before the clock starts.
    if (this.finished || !this.running) return;
    const exhausted = this.stopped || (this.cfg.messages !== null && this.taken >= this.cfg.messages);
    if (!exhausted) {
      if (this.workers.length > 0 && this.workers.every((w) => w.dead)) this.finish();
      return;
    }
    for (const w of this.workers) if (!w.dead && w.inflight > 0) return;
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopped = true;
    this.endedAt = performance.now();
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.workers) {
      if (!w.dead && w.inflight > 0) {
        this.counters.errors += w.inflight;
        w.inflight = 0;
      }
    }
    void Promise.all(this.workers.map((w) => w.close().catch(() => {}))).then(() => this.resolveDone());
  }

  private connectError(detail: string, cause?: unknown): AisError {
    return new AisError(
      'SEAWAY_AIS_CONNECT',
      `cannot connect to MQTT server ${this.cfg.url}: ${detail}. Check -server and that the broker is running.`,
      { cause },
    );
  }

  private connectRaw(index: number): Promise<Worker> {
    const cfg = this.cfg;
    return new Promise<Worker>((resolve, reject) => {
      const socket: Socket = netConnect({ host: cfg.host, port: cfg.port });
      socket.setNoDelay(true);
      let connected = false;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(this.connectError(`no CONNACK within ${cfg.connectTimeoutMs} ms`));
      }, cfg.connectTimeoutMs);
      const worker = new RawWorker(this, socket, cfg.qos, cfg.inflight);
      const reader = new PacketReader((type, body) => {
        if (!connected) {
          if (type !== CONNACK) {
            socket.destroy();
            clearTimeout(timer);
            reject(
              new AisError('SEAWAY_AIS_MQTT_PROTOCOL', `expected CONNACK from ${cfg.url}, got packet type ${type}`),
            );
            return;
          }
          clearTimeout(timer);
          const code = body[1] ?? 255;
          if (code !== 0) {
            socket.destroy();
            reject(this.connectError(`CONNACK return code ${code} (${CONNACK_CODES[code] ?? 'unknown'})`));
            return;
          }
          connected = true;
          worker.connected();
          resolve(worker);
          return;
        }
        worker.onPacket(type, body);
      });
      socket.on('data', (chunk) => {
        reader.push(chunk);
        if (connected) worker.pump();
      });
      socket.on('error', (err) => {
        if (!connected) {
          clearTimeout(timer);
          reject(this.connectError((err as NodeJS.ErrnoException).code ?? err.message, err));
        } else worker.died(err);
      });
      socket.on('close', () => {
        if (connected) worker.died(new Error('connection closed by the server'));
      });
      socket.on('connect', () => {
        socket.write(
          connectPacket({
            clientId: `${cfg.clientId}-${process.pid}-${index}`,
            keepaliveSec: 60,
            username: cfg.username,
            password: cfg.password,
          }),
        );
      });
    });
  }

  private async connectMqttJs(index: number): Promise<Worker> {
    const cfg = this.cfg;
    let client: mqtt.MqttClient;
    try {
      client = await mqtt.connectAsync(`mqtt://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${cfg.port}`, {
        clientId: `${cfg.clientId}-${process.pid}-${index}`,
        username: cfg.username,
        password: cfg.password,
        reconnectPeriod: 0,
        connectTimeout: cfg.connectTimeoutMs,
        keepalive: 60,
      });
    } catch (err) {
      throw this.connectError((err as NodeJS.ErrnoException).code ?? (err as Error).message, err);
    }
    const engine = this;
    const w: Worker = {
      inflight: 0,
      dead: false,
      pump() {
        while (!w.dead && w.inflight < cfg.inflight) {
          const e = engine.take(w);
          if (!e) break;
          w.inflight++;
          engine.counters.sent++;
          engine.counters.bytes += e.packet.buf.length;
          const t0 = performance.now();
          client.publish(e.topic, e.payload, { qos: cfg.qos }, (err) => {
            // After finish() or a lost connection this message was already counted as an error.
            if (engine.finished || w.dead) return;
            w.inflight--;
            if (err) engine.counters.errors++;
            else {
              engine.counters.acked++;
              if (cfg.qos > 0) engine.hist.record((performance.now() - t0) * 1000);
            }
            w.pump();
          });
        }
        engine.checkDone();
      },
      async close() {
        w.dead = true;
        await client.endAsync();
      },
    };
    client.on('error', (err) => {
      engine.lastError = err;
      cfg.log(`mqtt.js worker ${index}: ${err.message}`);
    });
    client.on('close', () => {
      if (!w.dead) {
        w.dead = true;
        engine.counters.errors += w.inflight;
        w.inflight = 0;
        engine.checkDone();
      }
    });
    return w;
  }

  /** For workers: record a failure. */
  noteError(err: Error): void {
    this.lastError = err;
    this.cfg.log(err.message);
  }
}

class RawWorker implements Worker {
  inflight = 0;
  dead = false;
  private pid = 0;
  private readonly sentAt = new Float64Array(65536);
  private waitingDrain = false;
  private ping: NodeJS.Timeout | null = null;
  private lastWrite = 0;

  constructor(
    private readonly engine: Engine,
    private readonly socket: Socket,
    private readonly qos: 0 | 1 | 2,
    private readonly window: number,
  ) {}

  connected(): void {
    this.ping = setInterval(() => {
      if (performance.now() - this.lastWrite > 25_000) this.socket.write(PINGREQ_PACKET);
    }, 30_000);
    this.ping.unref();
  }

  pump(): void {
    if (this.dead || this.waitingDrain) return;
    const e = this.engine;
    const c = e.counters;
    let burst = 0;
    this.socket.cork();
    while (this.qos === 0 || this.inflight < this.window) {
      const entry = e.take(this);
      if (!entry) break;
      const p = entry.packet;
      if (this.qos > 0) {
        this.pid = this.pid === 65535 ? 1 : this.pid + 1;
        p.buf.writeUInt16BE(this.pid, p.pidOffset);
        this.sentAt[this.pid] = performance.now();
        this.inflight++;
      }
      c.sent++;
      c.bytes += p.buf.length;
      const ok = this.socket.write(p.buf);
      if (this.qos === 0) c.acked++;
      if (!ok) {
        this.waitingDrain = true;
        this.socket.once('drain', () => {
          this.waitingDrain = false;
          this.pump();
        });
        break;
      }
      if (this.qos === 0 && ++burst >= 512) {
        setImmediate(() => this.pump());
        break;
      }
    }
    this.socket.uncork();
    this.lastWrite = performance.now();
    e.checkDone();
  }

  onPacket(type: number, body: Buffer): void {
    // Once dead (lost, or closed by finish()) the in-flight messages were counted as errors.
    if (this.dead) return;
    if (type === PUBACK || type === PUBCOMP) {
      const pid = body.readUInt16BE(0);
      const sentAt = this.sentAt[pid]!;
      if (sentAt === 0) return; // not in flight: a duplicate or stray acknowledgement
      this.sentAt[pid] = 0;
      this.engine.hist.record((performance.now() - sentAt) * 1000);
      this.engine.counters.acked++;
      this.inflight--;
    } else if (type === PUBREC) {
      this.socket.write(pubrelPacket(body.readUInt16BE(0)));
    }
  }

  died(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    if (this.ping) clearInterval(this.ping);
    this.engine.counters.errors += this.inflight;
    this.inflight = 0;
    this.engine.noteError(err);
    this.engine.checkDone();
  }

  close(): Promise<void> {
    const wasDead = this.dead;
    this.dead = true;
    if (this.ping) clearInterval(this.ping);
    if (wasDead || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.end(DISCONNECT_PACKET, () => resolve());
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 1000).unref();
    });
  }
}
