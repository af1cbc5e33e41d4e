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
// Backpressure: once `maxInFlight` messages are held, each publisher whose message enters the gate
// is "held": aedes reads a socket's next chunk only after every packet of the previous chunk has
// finished, which it signals through client._nextBatch. The gate defers those calls (and the
// socket's 'readable' events) for held clients and replays them once the count drops below the
// limit, so the kernel's TCP window fills and publishers block instead of the broker buffering.
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
    /** Listed among the broker's clients with this filter as its subscription (e.g. "connector-0"). */
    name?: string,
  ): () => void;
  /** Messages seen but not yet released, across handlers. */
  inFlight(): number;
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
  source: string;
  name: string | undefined;
  since: number;
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
  #inFlight = 0;
  #held = new Set<ClientState>();
  readonly #max: number;
  readonly #log: (line: string) => void;
  readonly #release: Release;
  readonly counters = { seen: 0, refused: 0, holds: 0 };

  constructor(maxInFlight: number, log: (line: string) => void, release: Release = plainRelease) {
    this.#max = maxInFlight;
    this.#log = log;
    this.#release = release;
  }

  attach(filter: string, handler: Handler, name?: string): () => void {
    const problem = filterProblem(filter);
    if (problem) throw new MqttBrokerError('SEAWAY_MQTT_GATE_FILTER', `${JSON.stringify(filter)}: ${problem}`);
    const entry: Attached = { filter: compileFilter(filter), handler, source: filter, name, since: Date.now() };
    this.#handlers = [...this.#handlers, entry];
    return () => {
      this.#handlers = this.#handlers.filter((e) => e !== entry);
    };
  }

  inFlight(): number {
    return this.#inFlight;
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
    const handlers = this.#handlers;
    let matched: Attached[] | null = null;
    for (let i = 0; i < handlers.length; i++) {
      const h = handlers[i] as Attached;
      if (topicMatches(h.filter, packet.topic)) (matched ??= []).push(h);
    }
    if (matched === null) {
      this.#release(client, packet, callback);
      return;
    }
    const st = (client as WithState)[STATE];
    this.#inFlight++;
    this.counters.seen++;
    const qos = packet.qos as 0 | 1 | 2;
    const pending: Pending = { remaining: matched.length, error: undefined, callback, client, packet };
    if (qos === 0) {
      pending.callback = null;
      this.#release(client, packet, callback);
    } else if (st) {
      st.queue.push(pending);
    }
    if (st && this.#inFlight >= this.#max && !st.held) {
      st.held = true;
      this.#held.add(st);
      this.counters.holds++;
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
    for (let i = 0; i < matched.length; i++) {
      let called = false;
      // the callback is passed inline, not bound to a name: tsx (esbuild keepNames) wraps every
      // named function expression in __name(), an Object.defineProperty per message (~1.5 µs)
      try {
        (matched[i] as Attached).handler(msg, (err?: Error) => {
          if (called) return;
          called = true;
          this.#settle(client.id, st, pending, err);
        });
      } catch (err) {
        if (!called) {
          called = true;
          this.#settle(client.id, st, pending, err instanceof Error ? err : new Error(String(err)));
        }
      }
    }
  }

  #settle(clientId: string, st: ClientState | undefined, p: Pending, err: Error | undefined): void {
    if (err && !p.error) {
      p.error = err;
      this.counters.refused++;
      this.#log(`ingest gate refused a message from client ${JSON.stringify(clientId)}: ${err.message}`);
    }
    if (--p.remaining > 0) return;
    this.#inFlight--;
    if (p.callback !== null) {
      if (st) this.#releaseInOrder(st);
      else this.#fire(p);
    }
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
      cb(new MqttBrokerError('SEAWAY_MQTT_INGEST_REFUSED', p.error.message, { cause: p.error }));
    } else this.#release(p.client, p.packet, cb);
  }

  #resumeAll(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const st of held) {
      st.held = false;
      // replaying may read and parse more, which can hold this client again: stop then
      while (st.deferred > 0 && !st.held) {
        st.deferred--;
        st.original();
      }
    }
  }
}
