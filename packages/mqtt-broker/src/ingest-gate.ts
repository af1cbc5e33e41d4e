// The in-process ingest gate: the bridge attaches handlers for topic filters and sees every client
// PUBLISH on a matching topic before aedes acknowledges it. The gate sits in aedes' authorizePublish
// hook, whose callback aedes waits for before it writes PUBACK (QoS 1) or stores the message and
// writes PUBREC (QoS 2) — see aedes lib/handlers/publish.js, `publishActions`. So a QoS 1 PUBACK
// leaves only after every matching handler called done().
//
// Order: per publishing client, messages are released in the order they arrived even when
// handlers finish out of order, so PUBACKs and forwarding to subscribers keep the publisher's order
// ([MQTT-4.6.0-5], ordered topics).
//
// Refusal: done(err) on a QoS 1/2 message fails the authorizePublish callback, aedes closes the
// connection without acknowledging, and the publisher resends on reconnect ([MQTT-4.4.0-1]).
// QoS 0 messages are forwarded at once; their done() is accounting only.
//
// Release: an accepted message (and one no handler matches) goes on through the `release`
// function given to the constructor; the broker passes the shortcut of fast-publish.ts, which
// writes the PUBACK itself when no subscriber can see the message, else calls aedes' callback.
//
// Covers (no PUBACK into nothing): a connector declares the filters it reads with cover(owner,
// filter) for as long as it is configured, and its tasks attach handlers under the same owner. A
// QoS 1/2 message that matches a cover while no handler of that owner matches it (start-up before
// the tasks attach, a task paused, stopped, restarting or failed, shutdown) is parked: it counts as
// in flight and gets no PUBACK/PUBREC. A handler of that owner attaching takes the parked messages
// it matches; removing the cover releases them; after `holdMs` they are refused with
// SEAWAY_MQTT_INGEST_HELD (reasonCode 0x83 for an MQTT 5 PUBACK; 3.1.1: the connection closes and
// the publisher redelivers). hold(reason): while a hold is on, every QoS 1/2 message waits for
// it alone (no handler sees it); when it ends they are routed as if they had just arrived (handlers,
// covers). The lab holds from the broker's start until the stored connectors have declared their
// covers (`heldAtStart`, open()), and again from the start of a shutdown. QoS 0 is never parked.
//
// Backpressure: once `maxInFlight` messages are held, each publisher whose message enters the gate
// is "held": aedes reads a socket's next chunk only after every packet of the previous chunk has
// finished, which it signals through client._nextBatch. The gate defers those calls (and the
// socket's 'readable' events) for held clients and replays them once the count drops below the
// limit, so the kernel's TCP window fills and publishers block instead of the broker buffering.
// `maxInFlightPerClient` does the same for one client that holds that many messages itself, so a
// single fast publisher cannot take the whole gate.
import { MqttBrokerError } from './errors.ts';
import { type CompiledFilter, compileFilter, filterProblem, topicMatches } from './topics.ts';

export interface IngestMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  messageId: number | undefined;
  clientId: string;
  /** MQTT 5 PUBLISH properties as mqtt-packet decodes them (absent for 3.1.1 and for messages without any). */
  properties?: MqttPublishProperties;
}

/** The MQTT 5 PUBLISH properties an ingest handler may read (mqtt-packet's names). */
export interface MqttPublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: Record<string, string | string[]>;
  contentType?: string;
}

export interface IngestGate {
  /** Sees every client PUBLISH whose topic matches `filter` (MQTT wildcards) before the broker acknowledges it.
   *  The handler must call `done()` once Kafka has the record, or `done(err)` to refuse it (then no PUBACK/PUBREC is sent
   *  and the publisher will redeliver). Returns a detach function. Several handlers may match; the ack waits for all. */
  attach(
    filter: string,
    handler: (msg: IngestMessage, done: (err?: Error) => void) => void,
    /** The connector whose cover this handler answers for (see cover()). */
    owner?: string,
    /** Listed among the broker's clients with this filter as its subscription (e.g. "connector-0"). */
    name?: string,
    /** Handlers attached with the same share key take turns: each matching message goes to one of them
     *  (a KCQL `$share/group/filter` read by several tasks of one connector). */
    share?: string,
  ): () => void;
  /** Messages seen but not yet released, across handlers. */
  inFlight(): number;
  /** The retained messages a subscription to `filter` would be sent now (optional for test doubles). */
  retained?(filter: string): IngestMessage[];
  /** Declare that `owner` (a connector) reads `filter`: matching QoS 1/2 messages wait for a handler of
   *  that owner (up to holdMs). Returns the function that removes the cover. Optional for test doubles. */
  cover?(owner: string, filter: string): () => void;
  /** Hold every QoS 1/2 message until the returned function is called; then they are routed as new. */
  hold?(reason: string): () => void;
  /** Release the hold the broker started with (`heldAtStart`); no-op otherwise. */
  open?(): void;
}

export interface IngestGateStats {
  handlers: number;
  inFlight: number;
  /** Messages that went through at least one handler. */
  seen: number;
  /** Messages a handler refused (QoS 1/2: connection closed for redelivery). */
  refused: number;
  /** Publishing clients currently not read because the gate is full. */
  heldClients: number;
  /** Times a publisher was held. */
  holds: number;
  /** Of those, times because that one client held maxInFlightPerClient messages. */
  clientHolds: number;
  /** Covers declared (connectors' filters and holds). */
  covers: number;
  /** Messages waiting for a task of a connector that covers their topic. */
  parked: number;
  /** Parked messages refused after holdMs. */
  heldTimeouts: number;
}

export interface IngestGateOptions {
  /** How long a covered message waits for a task before it is refused (ms). */
  holdMs?: number;
  /** Start with everything held until open() is called (reason logged). */
  heldAtStart?: string;
  release?: Release;
  /** The broker's retained messages whose topic matches (retained()). */
  retainedWhere?: (matches: (topic: string) => boolean) => GatePacket[];
  /** Messages of one client the gate may hold at once (checked per read chunk, like the total):
   *  beyond it that client's socket is not read until some are released. Default: no own bound. */
  maxInFlightPerClient?: number;
}

/** The part of an aedes Client the gate touches. */
export interface GateClient {
  id: string;
  conn: NodeJS.EventEmitter & { read(size?: number | null): unknown };
  _nextBatch: (err?: Error | null) => void;
  _parser: NodeJS.EventEmitter;
}

type Handler = (msg: IngestMessage, done: (err?: Error) => void) => void;
interface Attached {
  filter: CompiledFilter;
  handler: Handler;
  owner: string | undefined;
  source: string;
  name: string | undefined;
  since: number;
  share: string | undefined;
}

interface CoverEntry {
  owner: string;
  filter: CompiledFilter;
}

/** A message's share for one owner that had no handler: waits for one, its cover's removal, or holdMs. */
interface Parked {
  owner: string;
  at: number;
  msg: IngestMessage;
  pending: Pending;
  st: ClientState | undefined;
  done: boolean;
}

type GatePacket = {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
  dup: boolean;
  messageId?: number;
  properties?: MqttPublishProperties;
};
type Callback = (err?: Error | null) => void;
/** How an accepted message continues: by default aedes' callback with no error (see fast-publish.ts). */
export type Release = (client: GateClient, packet: GatePacket, callback: Callback) => void;
const plainRelease: Release = (_client, _packet, callback) => callback(null);

/** One held message of one client, released in arrival order. */
interface Pending {
  remaining: number;
  error: Error | undefined;
  /** aedes' authorizePublish callback, null once called (QoS 0 calls it at once). */
  callback: Callback | null;
  client: GateClient;
  packet: GatePacket;
}

interface ClientState {
  queue: Pending[];
  head: number;
  held: boolean;
  /** _nextBatch calls deferred while held. */
  deferred: number;
  /** Packets parsed whose handling has not completed. */
  outstanding: number;
  original: (err?: Error | null) => void;
}

const STATE = Symbol('seaway.ingestGate');
type WithState = GateClient & { [STATE]?: ClientState };

export class IngestGateImpl implements IngestGate {
  #handlers: Attached[] = [];
  /** Handlers attached with a share key, and each key's next turn. */
  #sharedHandlers = 0;
  readonly #shareTurns = new Map<string, number>();
  #inFlight = 0;
  #held = new Set<ClientState>();
  readonly #max: number;
  readonly #log: (line: string) => void;
  readonly #release: Release;
  readonly #holdMs: number;
  readonly #retainedWhere: IngestGateOptions['retainedWhere'];
  #covers: CoverEntry[] = [];
  #parked: Parked[] = [];
  #sweep: NodeJS.Timeout | null = null;
  #startHold: (() => void) | null = null;
  /** Active holds, oldest first: while any is on, QoS 1/2 messages wait for it alone. */
  #holds: string[] = [];
  #holdSeq = 0;
  readonly #maxPerClient: number;
  readonly counters = { seen: 0, refused: 0, holds: 0, clientHolds: 0, heldTimeouts: 0 };

  constructor(maxInFlight: number, log: (line: string) => void, opts: IngestGateOptions | Release = {}) {
    const o = typeof opts === 'function' ? { release: opts } : opts;
    this.#max = maxInFlight;
    this.#log = log;
    this.#release = o.release ?? plainRelease;
    this.#holdMs = o.holdMs ?? 15_000;
    this.#retainedWhere = o.retainedWhere;
    this.#maxPerClient = o.maxInFlightPerClient ?? Number.POSITIVE_INFINITY;
    if (o.heldAtStart) this.#startHold = this.hold(o.heldAtStart);
  }

  attach(filter: string, handler: Handler, owner?: string, name?: string, share?: string): () => void {
    const problem = filterProblem(filter);
    if (problem) throw new MqttBrokerError('SEAWAY_MQTT_GATE_FILTER', `${JSON.stringify(filter)}: ${problem}`);
    const entry: Attached = {
      filter: compileFilter(filter),
      handler,
      owner,
      source: filter,
      name,
      since: Date.now(),
      share,
    };
    this.#handlers = [...this.#handlers, entry];
    if (share !== undefined) this.#sharedHandlers++;
    if (owner !== undefined && this.#parked.length > 0) {
      for (const p of this.#parked) {
        if (p.done || p.owner !== owner || !topicMatches(entry.filter, p.msg.topic)) continue;
        p.done = true;
        this.#dispatch(entry, p.msg, p.st, p.pending, p.msg.clientId);
      }
      this.#compactParked();
    }
    let detached = false;
    return () => {
      if (detached) return;
      detached = true;
      this.#handlers = this.#handlers.filter((e) => e !== entry);
      if (share !== undefined) {
        this.#sharedHandlers--;
        if (!this.#handlers.some((e) => e.share === share)) this.#shareTurns.delete(share);
      }
    };
  }

  /** Of the handlers matching one message, one per share key (taking turns); the others as they are. */
  #oneOfEachShare(matched: Attached[]): Attached[] {
    let out: Attached[] | null = null;
    for (let i = 0; i < matched.length; i++) {
      const h = matched[i] as Attached;
      if (h.share === undefined) {
        out?.push(h);
        continue;
      }
      out ??= matched.slice(0, i);
      if (out.some((o) => o.share === h.share)) continue;
      const group = matched.filter((m) => m.share === h.share);
      const turn = this.#shareTurns.get(h.share) ?? 0;
      this.#shareTurns.set(h.share, turn + 1 >= group.length ? 0 : turn + 1);
      out.push(group[turn % group.length] as Attached);
    }
    return out ?? matched;
  }

  cover(owner: string, filter: string): () => void {
    const problem = filterProblem(filter);
    if (problem) throw new MqttBrokerError('SEAWAY_MQTT_GATE_FILTER', `${JSON.stringify(filter)}: ${problem}`);
    const entry: CoverEntry = { owner, filter: compileFilter(filter) };
    this.#covers = [...this.#covers, entry];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#covers = this.#covers.filter((e) => e !== entry);
      if (this.#covers.some((e) => e.owner === owner)) return;
      // no cover of this owner left: what waited for it no longer needs to
      for (const p of this.#parked) {
        if (p.done || p.owner !== owner) continue;
        p.done = true;
        this.#settle(p.msg.clientId, p.st, p.pending, undefined);
      }
      this.#compactParked();
    };
  }

  hold(reason: string): () => void {
    this.#log(`ingest gate: holding acknowledgements (${reason})`);
    const owner = `hold:${reason}#${++this.#holdSeq}`;
    this.#holds = [...this.#holds, owner];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#holds = this.#holds.filter((h) => h !== owner);
      this.#unhold(owner);
    };
  }

  open(): void {
    const h = this.#startHold;
    this.#startHold = null;
    if (h) {
      h();
      this.#log('ingest gate: open');
    }
  }

  /** Refuse everything parked (the broker is closing) and stop the sweep timer. */
  close(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
    this.#expire(Number.POSITIVE_INFINITY);
  }

  inFlight(): number {
    return this.#inFlight;
  }

  retained(filter: string): IngestMessage[] {
    const problem = filterProblem(filter);
    if (problem) throw new MqttBrokerError('SEAWAY_MQTT_GATE_FILTER', `${JSON.stringify(filter)}: ${problem}`);
    const f = compileFilter(filter);
    return (this.#retainedWhere?.((topic) => topicMatches(f, topic)) ?? []).map((p) => {
      const msg: IngestMessage = {
        topic: p.topic,
        payload: p.payload,
        qos: p.qos as 0 | 1 | 2,
        retain: true,
        dup: false,
        messageId: undefined,
        clientId: (p as { clientId?: string }).clientId ?? '',
      };
      if (p.properties !== undefined) msg.properties = p.properties;
      return msg;
    });
  }

  /** The attached handlers as the broker lists them among its clients (unnamed ones as "ingest-gate"). */
  attached(): { name: string; filter: string; since: number }[] {
    return this.#handlers.map((h) => ({ name: h.name ?? 'ingest-gate', filter: h.source, since: h.since }));
  }

  stats(): IngestGateStats {
    return {
      handlers: this.#handlers.length,
      inFlight: this.#inFlight,
      heldClients: this.#held.size,
      covers: this.#covers.length + this.#holds.length,
      parked: this.#parked.length,
      ...this.counters,
    };
  }

  /**
   * Install read flow control on a fresh aedes client (before it reads anything). aedes reads the
   * next chunk when every packet of the current one has completed (client._nextBatch), but it also
   * reads on each 'readable' event, so data arriving while a chunk is being handled is read at
   * once and a fast publisher can run ahead of delivery without bound (seen in the benchmark as a
   * growing emitter backlog, and a stack overflow when that backlog drained). Here 'readable' is
   * ignored while packets are outstanding (the last completion reads), and completions and
   * 'readable' are deferred while the gate holds the client.
   */
  adopt(client: GateClient): void {
    const c = client as WithState;
    const original = c._nextBatch;
    const st: ClientState = { queue: [], head: 0, held: false, deferred: 0, outstanding: 0, original };
    c[STATE] = st;
    c._parser.prependListener('packet', () => {
      st.outstanding++;
    });
    c._nextBatch = (err?: Error | null) => {
      if (st.outstanding > 0) st.outstanding--;
      if (st.held && !err) {
        st.deferred++;
        return;
      }
      original(err);
    };
    c.conn.removeListener('readable', original);
    c.conn.on('readable', () => {
      if (st.outstanding > 0) return;
      if (st.held) st.deferred++;
      else original();
    });
  }

  /** Called from authorizePublish; `callback` is aedes' (err) => void. */
  offer(client: GateClient, packet: GatePacket, callback: Callback): void {
    const qos = packet.qos as 0 | 1 | 2;
    const held = qos !== 0 && this.#holds.length > 0;
    const handlers = this.#handlers;
    let matched: Attached[] | null = null;
    let parkFor: string[] | null = null;
    if (!held) {
      for (let i = 0; i < handlers.length; i++) {
        const h = handlers[i] as Attached;
        if (topicMatches(h.filter, packet.topic)) (matched ??= []).push(h);
      }
      if (matched !== null && this.#sharedHandlers > 0) matched = this.#oneOfEachShare(matched);
      if (qos !== 0) parkFor = this.#uncoveredOwners(packet.topic, matched);
      if (matched === null && parkFor === null) {
        this.#release(client, packet, callback);
        return;
      }
    }
    const st = (client as WithState)[STATE];
    this.#inFlight++;
    this.counters.seen++;
    const remaining = held ? 1 : (matched?.length ?? 0) + (parkFor?.length ?? 0);
    const pending: Pending = { remaining, error: undefined, callback, client, packet };
    if (qos === 0) {
      pending.callback = null;
      this.#release(client, packet, callback);
    } else if (st) {
      st.queue.push(pending);
    }
    if (st && !st.held) {
      const own = st.queue.length - st.head >= this.#maxPerClient;
      if (own || this.#inFlight >= this.#max) {
        st.held = true;
        this.#held.add(st);
        this.counters.holds++;
        if (own) this.counters.clientHolds++;
      }
    }
    const msg: IngestMessage = {
      topic: packet.topic,
      payload: packet.payload,
      qos,
      retain: packet.retain === true, // wills may lack the flags
      dup: packet.dup === true,
      messageId: packet.messageId,
      clientId: client.id,
    };
    if (packet.properties !== undefined) msg.properties = packet.properties;
    // while a hold is on, a message waits for the hold only and is routed when it ends
    if (held) this.#park([this.#holds[0] as string], msg, pending, st);
    else this.#routeTo(matched, parkFor, msg, pending, st);
  }

  /** Owners whose cover matches `topic` and none of whose handlers in `matched` does. */
  #uncoveredOwners(topic: string, matched: Attached[] | null): string[] | null {
    let parkFor: string[] | null = null;
    const covers = this.#covers;
    for (let i = 0; i < covers.length; i++) {
      const c = covers[i] as CoverEntry;
      if (!topicMatches(c.filter, topic)) continue;
      if (matched?.some((h) => h.owner === c.owner)) continue;
      if (parkFor === null) parkFor = [c.owner];
      else if (!parkFor.includes(c.owner)) parkFor.push(c.owner);
    }
    return parkFor;
  }

  #park(owners: string[], msg: IngestMessage, pending: Pending, st: ClientState | undefined): void {
    const at = Date.now();
    for (const owner of owners) this.#parked.push({ owner, at, msg, pending, st, done: false });
    this.#sweep ??= setInterval(() => this.#expire(Date.now() - this.#holdMs), Math.min(250, this.#holdMs));
  }

  #routeTo(
    matched: Attached[] | null,
    parkFor: string[] | null,
    msg: IngestMessage,
    pending: Pending,
    st: ClientState | undefined,
  ): void {
    if (parkFor !== null) this.#park(parkFor, msg, pending, st);
    if (matched === null) return;
    for (let i = 0; i < matched.length; i++) this.#dispatch(matched[i] as Attached, msg, st, pending, msg.clientId);
  }

  /** A hold ended: what waited for it goes where it would have gone (or waits for the next hold). */
  #unhold(owner: string): void {
    const next = this.#holds[0];
    const moved: Parked[] = [];
    for (const p of this.#parked) {
      if (p.done || p.owner !== owner) continue;
      p.done = true;
      if (next !== undefined) {
        moved.push({ ...p, owner: next, done: false });
        continue;
      }
      const topic = p.msg.topic;
      let matched: Attached[] | null = null;
      for (const h of this.#handlers) if (topicMatches(h.filter, topic)) (matched ??= []).push(h);
      if (matched !== null && this.#sharedHandlers > 0) matched = this.#oneOfEachShare(matched);
      const parkFor = this.#uncoveredOwners(topic, matched);
      p.pending.remaining += (matched?.length ?? 0) + (parkFor?.length ?? 0);
      // a fresh wait: the hold bound counts from now for the connector's share
      if (parkFor !== null) for (const o of parkFor) moved.push({ ...p, owner: o, at: Date.now(), done: false });
      if (matched !== null) {
        for (const h of matched) this.#dispatch(h, p.msg, p.st, p.pending, p.msg.clientId);
      }
      this.#settle(p.msg.clientId, p.st, p.pending, undefined);
    }
    this.#compactParked();
    if (moved.length > 0) {
      this.#parked.push(...moved);
      this.#sweep ??= setInterval(() => this.#expire(Date.now() - this.#holdMs), Math.min(250, this.#holdMs));
    }
  }

  #dispatch(h: Attached, msg: IngestMessage, st: ClientState | undefined, pending: Pending, clientId: string): void {
    let called = false;
    // the callback is passed inline, not bound to a name: tsx (esbuild keepNames) wraps every
    // named function expression in __name(), an Object.defineProperty per message (~1.5 µs)
    try {
      h.handler(msg, (err?: Error) => {
        if (called) return;
        called = true;
        this.#settle(clientId, st, pending, err);
      });
    } catch (err) {
      if (!called) {
        called = true;
        this.#settle(clientId, st, pending, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** Refuse parked shares that arrived at or before `before` (ms epoch). */
  #expire(before: number): void {
    const parked = this.#parked;
    let n = 0;
    const owners = new Set<string>();
    for (const p of parked) {
      if (p.at > before) break;
      if (p.done) continue;
      p.done = true;
      n++;
      owners.add(p.owner);
      const err = new MqttBrokerError(
        'SEAWAY_MQTT_INGEST_HELD',
        p.owner.startsWith('hold:')
          ? `acknowledgements are held (${p.owner.slice(5, p.owner.lastIndexOf('#'))}) for more than ${this.#holdMs} ms; not acknowledged, the publisher redelivers`
          : `no running task of connector ${JSON.stringify(p.owner)} took the message within ${this.#holdMs} ms; not acknowledged, the publisher redelivers`,
      );
      err.reasonCode = 0x83;
      this.#settle(p.msg.clientId, p.st, p.pending, err, true);
    }
    if (n > 0) {
      this.counters.heldTimeouts += n;
      this.#log(
        `ingest gate: refused ${n} message(s) held ${this.#holdMs} ms for ${[...owners].map((o) => JSON.stringify(o)).join(', ')} with no running task; their publishers are disconnected and redeliver`,
      );
    }
    this.#compactParked();
  }

  #compactParked(): void {
    const parked = this.#parked;
    let head = 0;
    while (head < parked.length && (parked[head] as Parked).done) head++;
    if (head === parked.length) this.#parked = [];
    else if (head > 0 || parked.length > 64) this.#parked = parked.slice(head).filter((p) => !p.done);
    if (this.#parked.length === 0 && this.#sweep) {
      clearInterval(this.#sweep);
      this.#sweep = null;
    }
  }

  #settle(clientId: string, st: ClientState | undefined, p: Pending, err: Error | undefined, quiet = false): void {
    if (err && !p.error) {
      p.error = err;
      this.counters.refused++;
      if (!quiet) this.#log(`ingest gate refused a message from client ${JSON.stringify(clientId)}: ${err.message}`);
    }
    if (--p.remaining > 0) return;
    this.#inFlight--;
    if (p.callback !== null) {
      if (st) this.#releaseInOrder(st);
      else this.#fire(p);
    }
    // clients held for the total, or for their own bound, are resumed once below it
    if (this.#held.size > 0 && this.#inFlight < this.#max) this.#resumeAll();
  }

  #releaseInOrder(st: ClientState): void {
    const q = st.queue;
    while (st.head < q.length && (q[st.head] as Pending).remaining === 0) {
      const p = q[st.head] as Pending;
      q[st.head++] = undefined as unknown as Pending;
      this.#fire(p);
    }
    if (st.head === q.length) {
      q.length = 0;
      st.head = 0;
    } else if (st.head > 1024 && st.head * 2 > q.length) {
      st.queue = q.slice(st.head);
      st.head = 0;
    }
  }

  #fire(p: Pending): void {
    const cb = p.callback;
    p.callback = null;
    if (!cb) return;
    if (p.error) {
      if (p.error instanceof MqttBrokerError && p.error.code === 'SEAWAY_MQTT_INGEST_HELD') cb(p.error);
      else cb(new MqttBrokerError('SEAWAY_MQTT_INGEST_REFUSED', p.error.message, { cause: p.error }));
    } else this.#release(p.client, p.packet, cb);
  }

  #resumeAll(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const st of held) {
      // a client still at its own bound stays held
      if (st.queue.length - st.head >= this.#maxPerClient) this.#held.add(st);
      else this.#resume(st);
    }
  }

  #resume(st: ClientState): void {
    st.held = false;
    // replaying may read and parse more, which can hold this client again: stop then
    while (st.deferred > 0 && !st.held) {
      st.deferred--;
      st.original();
    }
  }
}
