// What an MQTT 5 client asks of the broker in its CONNECT, applied to what the broker sends it.
// aedes 2 records these and does not act on them:
//   Receive Maximum [MQTT-3.3.4-9]   at most that many QoS 1/2 PUBLISHes unacknowledged; later ones
//                                    wait here, in order, until a PUBACK/PUBCOMP frees the window.
//                                    QoS 0 is not held (as mosquitto). The queue is bounded by
//                                    maxQueuedPerClient; beyond it deliveries are dropped and counted.
//                                    Messages a persistent session stored while offline are sent on
//                                    reconnect through the same window (the session store's stream).
//                                    A held message a shared-subscription group handed to this member
//                                    is not handed to another member if this one leaves (as aedes).
//   Maximum Packet Size [MQTT-3.1.2-24] [MQTT-3.1.2-25]  a PUBLISH larger than the client accepts is
//                                    discarded as if it had been sent, and counted. (A persistent
//                                    session keeps such a message stored, never sent, until it ends.)
//   Subscription Identifiers [MQTT-3.3.4-4]  aedes delivers one copy of a message to a client whose
//                                    subscriptions overlap; that copy carries the identifiers of every
//                                    matching subscription, not only the first one's.
// A client that set none of these (every 3.1.1 client) costs one property check per delivery.
import { Readable } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import type { MqttCounters } from './observe.ts';
import { compileFilter, topicMatches } from './topics.ts';

type Callback = (err?: Error | null) => void;
type Deliver = (packet: Outgoing, cb: Callback) => void;

interface Outgoing {
  topic: string;
  payload: Buffer;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
  properties?: Record<string, unknown> & { subscriptionIdentifier?: number | number[] };
}

/** The parts of an aedes Client (lib/client.js) these limits read. */
export interface LimitedClient {
  id: string | null;
  clean: boolean;
  version: number | null;
  closed: boolean;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  duplicates: Record<string, number>;
  subscriptions: Record<string, { qos: number; si?: number }>;
  deliver0: Deliver;
  deliverQoS: Deliver;
  _parser: { on(event: 'packet', f: (p: { cmd: string; reasonCode?: number }) => void): void };
  conn: { once(event: 'close', f: () => void): void };
}

interface Persistence {
  outgoingStream(c: { id: string }): Readable;
}

/** Per client: the Receive Maximum window and what waits for it. */
interface Window {
  max: number;
  inflight: number;
  held: Outgoing[];
  /** Reconnect streams of stored messages waiting for the window. */
  waiting: (() => void)[];
}

const NO_LIMIT = 65535;

export class OutboundLimits {
  readonly #windows = new WeakMap<object, Window>();
  readonly #counters: MqttCounters;
  readonly #maxQueued: number;
  /** Set by the wrapped authorizeForward: the packet aedes is about to write, or null. */
  #forwarded: object | null = null;

  constructor(counters: MqttCounters, maxQueuedPerClient: number) {
    this.#counters = counters;
    this.#maxQueued = maxQueuedPerClient;
  }

  /** Wrap aedes.authorizeForward (after hooks.ts installed its own) and the session store's reconnect stream. */
  install(aedes: object, persistence: Persistence): void {
    const a = aedes as { authorizeForward: (c: object, p: object) => object | null | undefined };
    const authorize = a.authorizeForward;
    a.authorizeForward = (client, packet) => {
      const r = authorize.call(aedes, client, packet);
      this.#forwarded = r ?? null;
      return r;
    };
    const stream = persistence.outgoingStream.bind(persistence);
    persistence.outgoingStream = (c) => {
      const client = c as unknown as LimitedClient & { _cleanStart?: boolean };
      // the session store reads its own streams with plain { id } objects (compaction): not a client
      if (client.version !== 5 || client.clean || client._cleanStart) return stream(c);
      const w = this.#window(client);
      return w === null && client.maximumPacketSize === undefined ? stream(c) : this.#paced(client, w, stream(c));
    };
  }

  /** Wrap a client's delivery functions (when aedes creates it, before it subscribes). */
  adopt(client: LimitedClient): void {
    const deliver0 = client.deliver0;
    const deliverQoS = client.deliverQoS;
    client.deliver0 = (packet, cb) => {
      if (client.version !== 5 || seen(client, packet)) return deliver0(packet, cb);
      if (this.#tooLarge(client, packet, 0)) return cb();
      deliver0(this.#withAllIds(client, packet), cb);
    };
    client.deliverQoS = (packet, cb) => {
      if (client.version !== 5 || seen(client, packet)) return deliverQoS(packet, cb);
      const qos = effectiveQos(client, packet);
      if (this.#tooLarge(client, packet, qos)) return cb();
      packet = this.#withAllIds(client, packet);
      const w = this.#window(client);
      if (w === null || qos === 0) return deliverQoS(packet, cb);
      if (w.inflight < w.max && w.held.length === 0) return this.#send(w, deliverQoS, packet, cb);
      // held: aedes' duplicate check runs now (and is stepped past when the message is sent)
      const id = packet.brokerId;
      if (id !== undefined && packet.brokerCounter !== undefined) {
        if ((client.duplicates[id] ?? 0) >= packet.brokerCounter) return cb();
        client.duplicates[id] = packet.brokerCounter;
      }
      if (w.held.length >= this.#maxQueued) {
        this.#counters.droppedFlowControl++;
        return cb();
      }
      w.held.push(packet);
      this.#counters.heldForReceiveMaximum++;
      cb(); // the publisher does not wait for this subscriber's window
    };
    client._parser.on('packet', (p) => {
      if (p.cmd !== 'puback' && p.cmd !== 'pubcomp' && !(p.cmd === 'pubrec' && (p.reasonCode ?? 0) >= 0x80)) return;
      const w = this.#windows.get(client);
      if (!w || w.inflight === 0) return;
      w.inflight--;
      while (w.inflight < w.max && w.held.length > 0) this.#release(client, w, deliverQoS, w.held.shift() as Outgoing);
      while (w.inflight < w.max && w.waiting.length > 0) (w.waiting.shift() as () => void)();
    });
    // a clean session ends with what it held; a persistent one has every QoS 1/2 message in the
    // session store already (aedes enqueues before delivering) and gets it again on reconnect
    client.conn.once('close', () => {
      const w = this.#windows.get(client);
      if (w) w.held = [];
    });
  }

  #window(client: LimitedClient): Window | null {
    let w = this.#windows.get(client);
    if (w) return w;
    const max = client.receiveMaximum ?? NO_LIMIT;
    if (max >= NO_LIMIT) return null;
    w = { max, inflight: 0, held: [], waiting: [] };
    this.#windows.set(client, w);
    return w;
  }

  #send(w: Window, deliverQoS: Deliver, packet: Outgoing, cb: Callback): void {
    this.#forwarded = null;
    deliverQoS(packet, cb);
    // counted only when aedes forwards it (not for no-local, an ACL refusal or a duplicate)
    if (this.#forwarded !== null) w.inflight++;
    this.#forwarded = null;
  }

  /** Send a held message: aedes' duplicate check passed when it was held, so it is stepped past once. */
  #release(client: LimitedClient, w: Window, deliverQoS: Deliver, packet: Outgoing): void {
    const id = packet.brokerId;
    const counter = packet.brokerCounter;
    if (id === undefined || counter === undefined) {
      this.#send(w, deliverQoS, packet, noop);
      return;
    }
    const seen = client.duplicates[id] ?? 0;
    client.duplicates[id] = counter - 1;
    this.#send(w, deliverQoS, packet, noop);
    client.duplicates[id] = Math.max(seen, counter);
  }

  /** Stored messages of a reconnecting session: too large ones skipped, read only while the window has room. */
  #paced(client: LimitedClient, w: Window | null, source: Readable): Readable {
    const it = source[Symbol.asyncIterator]();
    const limits = this;
    return new Readable({
      objectMode: true,
      read() {
        const next = () => {
          it.next().then(
            (r: IteratorResult<Outgoing>) => {
              if (r.done) return this.push(null);
              const p = r.value;
              if (limits.#tooLarge(client, p, p.qos ?? 0)) return next();
              // an expired message is dropped by aedes without being sent: it takes no place in the window
              const expired = (p as { messageExpiry?: number }).messageExpiry;
              if (w && !(expired !== undefined && expired <= Date.now())) w.inflight++;
              this.push(p);
            },
            (err: Error) => this.destroy(err),
          );
        };
        if (w === null || w.inflight < w.max) next();
        else w.waiting.push(next);
      },
    });
  }

  #tooLarge(client: LimitedClient, packet: Outgoing, qos: number): boolean {
    const max = client.maximumPacketSize;
    if (max === undefined) return false;
    const topic = Buffer.byteLength(packet.topic);
    // fixed header (at most 5 bytes) + topic + packet id + property length byte + payload
    const lower = 2 + 2 + topic + packet.payload.length;
    if (lower > max) return this.#drop(client, packet);
    if (lower + 12 <= max && !packet.properties) return false;
    const size = mqttPacket.generate(
      { ...packet, cmd: 'publish', qos: qos as 0 | 1 | 2, messageId: 1 } as mqttPacket.IPublishPacket,
      { protocolVersion: 5 },
    ).length;
    return size > max ? this.#drop(client, packet) : false;
  }

  #drop(client: LimitedClient, packet: Outgoing): true {
    this.#counters.droppedTooLargeForClient++;
    // a second matching subscription of this client sees it as the duplicate it is
    if (packet.brokerId !== undefined && packet.brokerCounter !== undefined)
      client.duplicates[packet.brokerId] = Math.max(client.duplicates[packet.brokerId] ?? 0, packet.brokerCounter);
    return true;
  }

  /** One copy for overlapping subscriptions carries all their identifiers. */
  #withAllIds(client: LimitedClient, packet: Outgoing): Outgoing {
    const si = packet.properties?.subscriptionIdentifier;
    if (si === undefined || Array.isArray(si)) return packet; // none, or already merged (deliverQoS hands QoS 0 to deliver0)
    let ids: number[] | null = null;
    for (const filter in client.subscriptions) {
      const s = client.subscriptions[filter] as { si?: number };
      if (s.si === undefined || s.si === si || !topicMatches(compileFilter(filter), packet.topic)) continue;
      (ids ??= [si as number]).push(s.si);
    }
    return ids === null ? packet : { ...packet, properties: { ...packet.properties, subscriptionIdentifier: ids } };
  }
}

/** A copy aedes' duplicate check will drop (a second subscription of the client matching the message). */
function seen(client: LimitedClient, packet: Outgoing): boolean {
  const id = packet.brokerId;
  return id !== undefined && packet.brokerCounter !== undefined && (client.duplicates[id] ?? 0) >= packet.brokerCounter;
}

/** aedes lowers a delivery's QoS to the subscription's only for a subscription to the exact topic. */
function effectiveQos(client: LimitedClient, packet: Outgoing): number {
  const q = packet.qos ?? 0;
  const exact = client.subscriptions[packet.topic];
  return exact && exact.qos < q ? exact.qos : q;
}

function noop(): void {}
