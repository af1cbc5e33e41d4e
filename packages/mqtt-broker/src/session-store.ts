// The broker's session store (an aedes persistence): aedes' own in-memory persistence for the
// matching logic, plus
//  - a bound on queued QoS 1/2 messages per persistent session (the newest beyond
//    maxQueuedPerClient is dropped and counted; an online client whose queue is full is
//    disconnected by aedes when it cannot find the message, and gets its queue on reconnect);
//    the same for the queued bytes (payload + topic) of one session (maxQueuedBytesPerClient) and of
//    all sessions together (maxQueuedBytes), so a subscriber that never returns cannot fill the
//    disk, the memory or the next restart;
//  - optionally, durability: every mutation is appended to a journal in `dir`, and the journal is
//    rewritten into a snapshot at start and whenever it grows past compactBytes. Persistent
//    sessions, their subscriptions, queued and in-flight QoS 1/2 messages, retained messages,
//    wills and inbound QoS 2 state survive a restart.
//
// Files in `dir`: snapshot-<gen>.jsonl (state at the moment generation <gen> began) and
// journal-<gen>.jsonl (mutations since). Load = newest complete snapshot, then every journal of
// that generation or later. Snapshots are written to a .tmp file, fsynced and renamed.
//
// The durability window is one event-loop turn (writes are batched) plus fsyncIntervalMs for power
// loss. Note aedes sends the QoS 1 PUBACK before it enqueues for subscribers, so the journal does
// not widen what a publisher was promised.
/// <reference path="./aedes-persistence.d.ts" />
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import AedesMemoryPersistence from 'aedes-persistence/asyncPersistence.js';
import { MqttBrokerError } from './errors.ts';
import { type JournalRecord, JournalWriter, readRecords } from './journal.ts';

/** The fields of aedes packets the store reads and writes. */
export interface StoredPacket {
  cmd: string;
  topic?: string;
  payload?: Buffer;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  messageId?: number;
  brokerId?: string;
  brokerCounter?: number;
  clientId?: string;
  [k: string]: unknown;
}
interface ClientRef {
  id: string;
}
interface Sub {
  topic: string;
  qos: number;
  [k: string]: unknown;
}

interface MemoryStore {
  setup(broker: unknown): Promise<void>;
  storeRetained(p: StoredPacket): Promise<void>;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
  addSubscriptions(c: ClientRef, subs: Sub[]): Promise<void>;
  removeSubscriptions(c: ClientRef, topics: string[]): Promise<void>;
  subscriptionsByClient(c: ClientRef): Promise<Sub[]>;
  subscriptionsByTopic(topic: string): Promise<unknown[]>;
  cleanSubscriptions(c: ClientRef): Promise<void>;
  outgoingEnqueue(sub: { clientId: string }, p: StoredPacket): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], p: StoredPacket): Promise<void>;
  outgoingUpdate(c: ClientRef, p: StoredPacket): Promise<void>;
  outgoingClearMessageId(c: ClientRef, p: StoredPacket): Promise<StoredPacket | undefined>;
  outgoingStream(c: ClientRef): Readable;
  incomingStorePacket(c: ClientRef, p: StoredPacket): Promise<void>;
  incomingDelPacket(c: ClientRef, p: StoredPacket): Promise<void>;
  cleanIncoming(c: ClientRef): Promise<void>;
  putWill(c: ClientRef, p: StoredPacket): Promise<void>;
  delWill(c: ClientRef): Promise<StoredPacket | undefined>;
  destroy(): Promise<void>;
}

// a static import (not createRequire), so a bundler inlines it: the production build has no node_modules
const MemoryBase = AedesMemoryPersistence as unknown as new () => MemoryStore;

export interface SessionStoreOptions {
  dir?: string | undefined;
  fsyncIntervalMs: number;
  compactBytes: number;
  maxQueuedPerClient: number;
  /** Queued bytes (payload + topic) per session; default no bound. */
  maxQueuedBytesPerClient?: number;
  /** Queued bytes of all sessions together; default no bound. */
  maxQueuedBytes?: number;
  log: (line: string) => void;
}

/** What a queued copy of a packet costs against the byte bounds. */
function queuedSize(p: StoredPacket): number {
  return (p.payload?.length ?? 0) + (p.topic ? Buffer.byteLength(p.topic) : 0);
}

function ser(p: StoredPacket): Record<string, unknown> {
  const o: Record<string, unknown> = { ...p };
  if (p.payload) o.payload = p.payload.toString('base64');
  delete o.writeCallback;
  return o;
}
function de(o: unknown): StoredPacket {
  const p = { ...(o as StoredPacket) };
  if (typeof p.payload === 'string') p.payload = Buffer.from(p.payload, 'base64');
  return p;
}

export class SessionStore extends MemoryBase {
  readonly #opts: SessionStoreOptions;
  #journal: JournalWriter | null = null;
  #gen = 0;
  #compacting = false;
  #queued = new Map<string, number>();
  #queuedBytes = new Map<string, number>();
  #totalQueuedBytes = 0;
  #subClients = new Set<string>();
  #retained = new Map<string, StoredPacket>();
  #wills = new Map<string, StoredPacket>();
  #incoming = new Map<string, Map<number, StoredPacket>>();
  /** Client ids of persistent (CleanSession=0) 3.1.1 sessions, with or without subscriptions ([MQTT-3.2.2-2]). */
  #sessions = new Set<string>();
  readonly counters = {
    droppedQueueFull: 0,
    /** Dropped because the session held maxQueuedBytesPerClient, or all sessions maxQueuedBytes. */
    droppedQueueBytes: 0,
    droppedQueueAllBytes: 0,
    journalBytes: 0,
    compactions: 0,
  };

  constructor(opts: SessionStoreOptions) {
    super();
    this.#opts = opts;
  }

  /** Bytes (payload + topic) queued for every persistent session together. */
  queuedBytes(): number {
    return this.#totalQueuedBytes;
  }

  /** Queued (offline or unacknowledged) QoS 1/2 messages of a persistent session. */
  queued(clientId: string): number {
    return this.#queued.get(clientId) ?? 0;
  }

  /** Client ids with persistent subscriptions or queued messages, and their queue lengths. */
  persistentSessions(limit: number): { clientId: string; queued: number }[] {
    const ids = new Set([...this.#sessions, ...this.#subClients, ...this.#queued.keys()]);
    const out: { clientId: string; queued: number }[] = [];
    for (const id of ids) {
      if (out.length >= limit) break;
      out.push({ clientId: id, queued: this.queued(id) });
    }
    return out;
  }

  /** A persistent session with this client id is stored (CONNACK Session Present for it). */
  hasSession(clientId: string): boolean {
    return this.#sessions.has(clientId) || this.#subClients.has(clientId) || this.#queued.has(clientId);
  }

  /** Remember a persistent session that connected (publisher-only sessions have no other trace in the store). */
  keepSession(clientId: string): void {
    if (this.#sessions.has(clientId)) return;
    this.#sessions.add(clientId);
    if (this.#journal) this.#log({ o: 'k', c: clientId });
  }

  /** True while some persistent session holds subscriptions (messages may have to be queued for it). */
  hasPersistentSubscriptions(): boolean {
    return this.#subClients.size > 0;
  }

  retainedCount(): number {
    return this.#retained.size;
  }

  retainedList(limit: number): { topic: string; bytes: number; qos: number }[] {
    const out: { topic: string; bytes: number; qos: number }[] = [];
    for (const [topic, p] of this.#retained) {
      if (out.length >= limit) break;
      out.push({ topic, bytes: p.payload?.length ?? 0, qos: p.qos ?? 0 });
    }
    return out;
  }

  /** Retained messages whose topic `matches` (for a connector that asked for them when it attaches). */
  retainedWhere(matches: (topic: string) => boolean): StoredPacket[] {
    const out: StoredPacket[] = [];
    for (const [topic, p] of this.#retained) if (matches(topic)) out.push(p);
    return out;
  }

  override async setup(broker: unknown): Promise<void> {
    await super.setup(broker);
    const dir = this.#opts.dir;
    if (!dir) return;
    try {
      mkdirSync(dir, { recursive: true });
      await this.#load(dir);
    } catch (err) {
      throw new MqttBrokerError(
        'SEAWAY_MQTT_PERSISTENCE',
        `cannot load sessions from ${dir}: ${(err as Error).message}; move the directory aside to start empty`,
        { cause: err },
      );
    }
    await this.#compact();
  }

  #log(rec: JournalRecord): void {
    this.#journal?.append(rec);
  }

  /**
   * Persistent subscriptions matching a topic (aedes asks for every QoS 1/2 message, to queue it).
   * Without any persistent session the trie walk is skipped: the common lab case, where publishers
   * feed the bridge through the ingest gate and nobody holds a persistent subscription.
   */
  override async subscriptionsByTopic(topic: string): Promise<unknown[]> {
    if (this.#subClients.size === 0) return [];
    return super.subscriptionsByTopic(topic);
  }

  /**
   * Retained messages for a SUBSCRIBE. aedes' matcher lets `#` and `+/...` match `$` topics here
   * (its live delivery blocks them): topics starting with `$` go only to filters that start with `$`
   * [MQTT-4.7.2-1].
   */
  override createRetainedStreamCombi(patterns: string[]): Readable {
    const stream = super.createRetainedStreamCombi(patterns);
    if (patterns.some((p) => p.charCodeAt(0) === 36)) return stream;
    return stream.pipe(
      new Transform({
        objectMode: true,
        transform(p: StoredPacket, _enc, cb) {
          if (typeof p.topic === 'string' && p.topic.charCodeAt(0) === 36) cb();
          else cb(null, p);
        },
      }),
    );
  }

  override async storeRetained(p: StoredPacket): Promise<void> {
    // the broker's own $SYS statistics (sys-topics.ts) are neither journaled nor listed
    if ((p.topic as string).startsWith('$SYS/')) return super.storeRetained(p);
    if (!p.payload || p.payload.length === 0) this.#retained.delete(p.topic as string);
    else this.#retained.set(p.topic as string, p);
    if (this.#journal) this.#log({ o: 'r', p: ser(p) });
    return super.storeRetained(p);
  }

  override async addSubscriptions(c: ClientRef, subs: Sub[]): Promise<void> {
    this.#subClients.add(c.id);
    if (this.#journal) this.#log({ o: 's+', c: c.id, s: subs.map((s) => ({ ...s })) });
    return super.addSubscriptions(c, subs);
  }

  override async removeSubscriptions(c: ClientRef, topics: string[]): Promise<void> {
    if (this.#journal) this.#log({ o: 's-', c: c.id, t: topics });
    return super.removeSubscriptions(c, topics);
  }

  override async cleanSubscriptions(c: ClientRef): Promise<void> {
    // aedes calls this when a clean session starts or ends and when a v5 session expires
    const known = this.#sessions.delete(c.id);
    if ((this.#subClients.delete(c.id) || known) && this.#journal) this.#log({ o: 'sc', c: c.id });
    return super.cleanSubscriptions(c);
  }

  override async outgoingEnqueue(sub: { clientId: string }, p: StoredPacket): Promise<void> {
    return this.outgoingEnqueueCombi([sub], p);
  }

  override async outgoingEnqueueCombi(subs: { clientId: string }[], p: StoredPacket): Promise<void> {
    if (subs.length === 0) return;
    const max = this.#opts.maxQueuedPerClient;
    const maxBytes = this.#opts.maxQueuedBytesPerClient ?? Number.POSITIVE_INFINITY;
    const maxTotal = this.#opts.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    const size = queuedSize(p);
    let keep = subs;
    for (let i = 0; i < subs.length; i++) {
      const id = (subs[i] as { clientId: string }).clientId;
      const n = this.#queued.get(id) ?? 0;
      const bytes = this.#queuedBytes.get(id) ?? 0;
      const over =
        n >= max
          ? 'droppedQueueFull'
          : bytes + size > maxBytes
            ? 'droppedQueueBytes'
            : this.#totalQueuedBytes + size > maxTotal
              ? 'droppedQueueAllBytes'
              : null;
      if (over !== null) {
        keep = keep === subs ? subs.slice(0, i) : keep;
        this.counters[over]++;
      } else {
        this.#queued.set(id, n + 1);
        this.#queuedBytes.set(id, bytes + size);
        this.#totalQueuedBytes += size;
        if (keep !== subs) keep.push(subs[i] as { clientId: string });
      }
    }
    if (keep.length === 0) return;
    if (this.#journal) this.#log({ o: 'q', c: keep.map((s) => s.clientId), p: ser(p) });
    return super.outgoingEnqueueCombi(keep, p);
  }

  override async outgoingUpdate(c: ClientRef, p: StoredPacket): Promise<void> {
    if (this.#journal) {
      this.#log({
        o: 'u',
        c: c.id,
        p: { cmd: p.cmd, messageId: p.messageId, brokerId: p.brokerId, brokerCounter: p.brokerCounter },
      });
    }
    return super.outgoingUpdate(c, p);
  }

  override async outgoingClearMessageId(c: ClientRef, p: StoredPacket): Promise<StoredPacket | undefined> {
    const removed = await super.outgoingClearMessageId(c, p);
    if (removed) {
      const n = (this.#queued.get(c.id) ?? 1) - 1;
      const size = queuedSize(removed);
      const bytes = Math.max(0, (this.#queuedBytes.get(c.id) ?? 0) - size);
      this.#totalQueuedBytes = Math.max(0, this.#totalQueuedBytes - size);
      if (n <= 0) {
        this.#queued.delete(c.id);
        this.#queuedBytes.delete(c.id);
      } else {
        this.#queued.set(c.id, n);
        this.#queuedBytes.set(c.id, bytes);
      }
      if (this.#journal) this.#log({ o: 'x', c: c.id, m: p.messageId });
    }
    return removed;
  }

  override async incomingStorePacket(c: ClientRef, p: StoredPacket): Promise<void> {
    let m = this.#incoming.get(c.id);
    if (!m) this.#incoming.set(c.id, (m = new Map()));
    m.set(p.messageId as number, p);
    if (this.#journal) this.#log({ o: 'i', c: c.id, p: ser(p) });
    return super.incomingStorePacket(c, p);
  }

  override async incomingDelPacket(c: ClientRef, p: StoredPacket): Promise<void> {
    this.#incoming.get(c.id)?.delete(p.messageId as number);
    if (this.#journal) this.#log({ o: 'id', c: c.id, m: p.messageId });
    return super.incomingDelPacket(c, p);
  }

  override async cleanIncoming(c: ClientRef): Promise<void> {
    if (this.#incoming.delete(c.id) && this.#journal) this.#log({ o: 'ic', c: c.id });
    return super.cleanIncoming(c);
  }

  override async putWill(c: ClientRef, p: StoredPacket): Promise<void> {
    await super.putWill(c, p); // sets brokerId and clientId on p
    this.#wills.set(c.id, p);
    if (this.#journal) this.#log({ o: 'w', c: c.id, p: ser(p) });
  }

  override async delWill(c: ClientRef): Promise<StoredPacket | undefined> {
    if (this.#wills.delete(c.id) && this.#journal) this.#log({ o: 'wd', c: c.id });
    return super.delWill(c);
  }

  override async destroy(): Promise<void> {
    this.#journal?.close();
    this.#journal = null;
    return super.destroy();
  }

  /** Flush and fsync the journal (tests, shutdown). */
  sync(): void {
    this.#journal?.sync();
  }

  async #apply(r: JournalRecord): Promise<void> {
    const c = { id: r.c as string };
    switch (r.o) {
      case 'r':
        return this.storeRetained(de(r.p));
      case 's+':
        return this.addSubscriptions(c, r.s as Sub[]);
      case 's-':
        return this.removeSubscriptions(c, r.t as string[]);
      case 'sc':
        return this.cleanSubscriptions(c);
      case 'k':
        this.#sessions.add(c.id);
        return;
      case 'q':
        return this.outgoingEnqueueCombi(
          (r.c as string[]).map((clientId) => ({ clientId })),
          de(r.p),
        );
      case 'u':
        return this.outgoingUpdate(c, de(r.p)).catch(() => {}); // its message may have been dropped as over the limit
      case 'x':
        await this.outgoingClearMessageId(c, { cmd: 'puback', messageId: r.m as number });
        return;
      case 'i':
        return this.incomingStorePacket(c, de(r.p));
      case 'id':
        return this.incomingDelPacket(c, { cmd: 'pubrel', messageId: r.m as number }).catch(() => {});
      case 'ic':
        return this.cleanIncoming(c);
      case 'w': {
        const p = de(r.p);
        this.#wills.set(c.id, p);
        return super.putWill(c, p).then(() => {
          p.brokerId = (r.p as StoredPacket).brokerId; // keep the old broker's id: its wills fire after restart
        });
      }
      case 'wd':
        await this.delWill(c);
        return;
      default:
        this.#opts.log(`session store: skipped unknown journal record ${JSON.stringify(r.o)}`);
    }
  }

  async #load(dir: string): Promise<void> {
    const files = readdirSync(dir);
    const gens = (prefix: string) =>
      files
        .map((f) => new RegExp(`^${prefix}-(\\d+)\\.jsonl$`).exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
    const snaps = gens('snapshot');
    const base = snaps.at(-1) ?? 0;
    const toRead: string[] = [];
    if (snaps.length > 0) toRead.push(`snapshot-${base}.jsonl`);
    for (const g of gens('journal')) if (g >= base) toRead.push(`journal-${g}.jsonl`);
    this.#gen = Math.max(base, ...gens('journal'), 0);
    for (const f of toRead) {
      const { records, tornAt } = readRecords(join(dir, f));
      if (tornAt !== null) this.#opts.log(`session store: ${f} ends in a torn line ${tornAt}; ignoring the rest`);
      for (const r of records) await this.#apply(r);
    }
  }

  /** Capture the state synchronously, switch to a new journal, write the snapshot, drop old files. */
  async #compact(): Promise<void> {
    const dir = this.#opts.dir;
    if (!dir || this.#compacting) return;
    this.#compacting = true;
    try {
      const gen = ++this.#gen;
      // all reads below are taken before the first await, so they describe one instant
      const head: JournalRecord[] = [];
      for (const p of this.#retained.values()) head.push({ o: 'r', p: ser(p) });
      for (const [id, p] of this.#wills) head.push({ o: 'w', c: id, p: ser(p) });
      for (const id of this.#sessions) head.push({ o: 'k', c: id });
      for (const [id, m] of this.#incoming) for (const p of m.values()) head.push({ o: 'i', c: id, p: ser(p) });
      const subsP = [...this.#subClients].map((id) => [id, this.subscriptionsByClient({ id })] as const);
      const outP = [...this.#queued.keys()].map((id) => [id, this.outgoingStream({ id })] as const);
      this.#journal?.close();
      this.#journal = new JournalWriter(join(dir, `journal-${gen}.jsonl`), this.#opts.fsyncIntervalMs);
      this.#journal.onFlushed = () => {
        this.counters.journalBytes = this.#journal?.bytes ?? 0;
        if ((this.#journal?.bytes ?? 0) > this.#opts.compactBytes) void this.#compact();
      };

      const tmp = join(dir, `snapshot-${gen}.jsonl.tmp`);
      const fd = openSync(tmp, 'w');
      const put = (r: JournalRecord) => {
        const b = Buffer.from(JSON.stringify(r) + '\n');
        let off = 0;
        while (off < b.length) off += writeSync(fd, b, off);
      };
      for (const r of head) put(r);
      for (const [id, p] of subsP) {
        const subs = await p;
        if (subs.length > 0) put({ o: 's+', c: id, s: subs });
        else this.#subClients.delete(id);
      }
      let synthetic = 0;
      for (const [id, stream] of outP) {
        for await (const pk of stream as AsyncIterable<StoredPacket>) {
          let p = pk;
          if (p.cmd !== 'publish')
            p = { cmd: p.cmd, brokerId: 'pubrel', brokerCounter: ++synthetic, messageId: p.messageId };
          put({ o: 'q', c: [id], p: ser(p) });
          if (p.messageId !== undefined) {
            put({
              o: 'u',
              c: id,
              p: { cmd: p.cmd, messageId: p.messageId, brokerId: p.brokerId, brokerCounter: p.brokerCounter },
            });
          }
        }
      }
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, join(dir, `snapshot-${gen}.jsonl`));
      for (const f of readdirSync(dir)) {
        const m = /^(snapshot|journal)-(\d+)\.jsonl$/.exec(f);
        if (m && Number(m[2]) < gen) rmSync(join(dir, f), { force: true });
      }
      this.counters.compactions++;
    } finally {
      this.#compacting = false;
    }
  }
}
