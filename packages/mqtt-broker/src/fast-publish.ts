// The shortcut for a client PUBLISH nobody else will see — the lab's ingest path, where publishers
// feed the bridge through the ingest gate and no MQTT client subscribes. Once a message is
// authorized (and released by the gate), aedes would: for QoS 1 build a PubAck object, encode it
// with mqtt-packet (three stream writes, a cork and a nextTick), wait a setImmediate, then run its
// publish pipeline (an aedes-packet copy, a retained-store step, two persistence promises to find
// and queue for offline sessions, a topic match in its emitter, the `published` hook and the
// 'publish' event). When none of that can have an effect, `release()` writes the PUBACK itself from
// a table of pre-encoded packets and hands aedes the message as QoS 0 (aedes documents that
// authorizePublish may modify the packet); aedes' QoS 0 branch then calls `broker.publish`, which
// hooks.ts routes to `skipPublish()`, and that only completes the packet.
//
// "Nobody will see it" means all of:
//  - the topic does not start with '$' and the message is not retained (a retained message is
//    stored and delivered to later subscribers, with its QoS);
//  - no subscription filter of any client, nor any added with aedes.subscribe(), can match the
//    topic (`SubscriberIndex`, fed by wrapping aedes.subscribe/unsubscribe, which aedes uses for
//    every client subscription); with more than MAX_FILTERS distinct filters it assumes a match;
//  - no persistent session has subscriptions (offline sessions are queued from the store);
//  - nobody listens to aedes' 'publish' event and the `published` hook is aedes' default;
//  - the client is connected (MQTT 3.1, 3.1.1 or 5: a v5 PUBACK with reason 0x00 and no properties
//    is the same 4 bytes, [MQTT-3.4.2-1] lets the reason code be omitted), and its socket does not need
//    'drain' (then aedes' own path waits for it, as before).
// Anything else takes aedes' path unchanged. QoS 2 always does (its PUBREC follows a store step).
import type { Duplex } from 'node:stream';
import { type CompiledFilter, compileFilter, topicMatches } from './topics.ts';

/** Above this many distinct subscription filters the index stops matching and assumes a subscriber. */
const MAX_FILTERS = 64;

type Listener = (...args: never[]) => unknown;

/** Subscription filters currently registered with aedes' emitter (counted per filter and listener). */
export class SubscriberIndex {
  #filters = new Map<string, { compiled: CompiledFilter; listeners: Map<Listener, number> }>();

  add(filter: string, listener: Listener): void {
    let e = this.#filters.get(filter);
    if (!e) {
      e = { compiled: compileFilter(filter), listeners: new Map() };
      this.#filters.set(filter, e);
    }
    e.listeners.set(listener, (e.listeners.get(listener) ?? 0) + 1);
  }

  remove(filter: string, listener: Listener): void {
    const e = this.#filters.get(filter);
    const n = e?.listeners.get(listener);
    if (!e || n === undefined) return;
    if (n > 1) e.listeners.set(listener, n - 1);
    else {
      e.listeners.delete(listener);
      if (e.listeners.size === 0) this.#filters.delete(filter);
    }
  }

  get size(): number {
    return this.#filters.size;
  }

  /** False only when no registered filter can match `topic`. */
  mayMatch(topic: string): boolean {
    if (this.#filters.size === 0) return false;
    if (this.#filters.size > MAX_FILTERS) return true;
    for (const [filter, e] of this.#filters) {
      // shared-subscription and other '$' filters are not interpreted here: assume they match
      if (filter.charCodeAt(0) === 36 && !filter.startsWith('$SYS')) return true;
      if (topicMatches(e.compiled, topic)) return true;
    }
    return false;
  }
}

/** PUBACK packets for every packet id, 4 bytes each: 0x40, remaining length 2, id (MQTT 3.1.1 §3.4). */
const PUBACKS = Buffer.alloc(65536 * 4);
for (let id = 0; id < 65536; id++) {
  PUBACKS[id * 4] = 0x40;
  PUBACKS[id * 4 + 1] = 2;
  PUBACKS.writeUInt16BE(id, id * 4 + 2);
}
export function pubackPacket(messageId: number): Buffer {
  return PUBACKS.subarray(messageId * 4, messageId * 4 + 4);
}

/** The parts of an aedes client and PUBLISH packet the shortcut reads. */
export interface FastClient {
  connected: boolean;
  version: number | null;
  conn: Duplex;
}
export interface FastPacket {
  topic: string;
  qos: number;
  retain: boolean;
  messageId?: number;
}

export interface FastPublishDeps {
  subscribers: SubscriberIndex;
  /** True while some persistent session holds subscriptions. */
  persistentSubscriptions: () => boolean;
  /** True while someone listens to aedes' 'publish' event or replaced its `published` hook. */
  observed: () => boolean;
}

type Callback = (err?: Error | null) => void;

export class FastPublish {
  readonly #d: FastPublishDeps;
  /** The packet whose aedes publish call is to be skipped (set just before handing it back). */
  #skipping: object | null = null;
  /** Messages that took the shortcut. */
  count = 0;

  constructor(deps: FastPublishDeps) {
    this.#d = deps;
  }

  /** Let aedes continue with an authorized client PUBLISH (authorizePublish's callback), taking the shortcut when it applies. */
  release(client: FastClient, packet: FastPacket, callback: Callback): void {
    const qos = packet.qos;
    if (
      qos > 1 ||
      packet.retain ||
      !client.connected ||
      (client.version !== 4 && client.version !== 3 && client.version !== 5) ||
      packet.topic.charCodeAt(0) === 36 ||
      this.#d.subscribers.mayMatch(packet.topic) ||
      this.#d.persistentSubscriptions() ||
      this.#d.observed()
    ) {
      callback(null);
      return;
    }
    if (qos === 1) {
      const conn = client.conn;
      if (conn.destroyed || conn.writableNeedDrain || packet.messageId === undefined) {
        callback(null);
        return;
      }
      conn.write(pubackPacket(packet.messageId));
      packet.qos = 0;
    }
    this.count++;
    this.#skipping = packet;
    try {
      callback(null);
    } finally {
      this.#skipping = null;
    }
  }

  /** Called in place of aedes.publish: true when this packet took the shortcut and `done` has been scheduled. */
  skipPublish(packet: object, done: Callback | undefined): boolean {
    if (packet !== this.#skipping) return false;
    this.#skipping = null;
    // aedes' own path completes asynchronously; completing inside the parser's 'packet' event
    // would read and parse the next chunk re-entrantly
    if (done) process.nextTick(done, null);
    return true;
  }
}

/** The aedes instance members the shortcut wraps and reads. */
interface AedesLike {
  subscribe: (topic: string, func: Listener, done?: Callback) => void;
  unsubscribe: (topic: string, func: Listener, done?: Callback) => void;
  published: unknown;
  listenerCount(event: string): number;
}

/**
 * Track aedes' subscriptions (wrapping subscribe/unsubscribe on the instance) and return the
 * shortcut. Call before any client connects.
 */
export function installFastPublish(aedes: object, persistentSubscriptions: () => boolean): FastPublish {
  const a = aedes as AedesLike;
  const subscribers = new SubscriberIndex();
  const subscribe = a.subscribe.bind(a);
  const unsubscribe = a.unsubscribe.bind(a);
  a.subscribe = (topic, func, done) => {
    if (typeof topic === 'string') subscribers.add(topic, func);
    subscribe(topic, func, done);
  };
  a.unsubscribe = (topic, func, done) => {
    unsubscribe(topic, func, done);
    // aedes' emitter drops the listener one setImmediate later: keep it in the index until then
    if (typeof topic === 'string') setImmediate(() => subscribers.remove(topic, func));
  };
  const defaultPublished = a.published;
  return new FastPublish({
    subscribers,
    persistentSubscriptions,
    observed: () => a.published !== defaultPublished || a.listenerCount('publish') > 0,
  });
}
