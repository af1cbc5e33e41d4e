// Shared subscriptions ($share/{group}/{filter}, MQTT 5 §4.8.2; also accepted from 3.1.1 clients, as
// mosquitto does). aedes 2 refuses them to v5 clients (0x9E) and treats them as a literal filter for
// 3.1.1, so nothing is delivered. Here:
//  - each SUBSCRIBE/UNSUBSCRIBE a client sends is rewritten, before aedes handles it, from
//    `$share/g/f` to `$seaway-share/g/f` (so aedes' v5 refusal does not apply, and its SUBACK,
//    session persistence and restore work as for any filter);
//  - aedes.subscribe/unsubscribe of such a name do not register the member with aedes' emitter:
//    one dispatcher per (group, filter) is subscribed to the real filter `f` and hands each
//    message to the next member, round robin;
//  - a publish to a literal `$share/...` topic matches no member (they listen on `f`), and `$`
//    topics do not reach a group whose filter starts with a wildcard ([MQTT-4.7.2-1]).
//  - a QoS 1/2 message handed to a member whose session ends (clean session, or MQTT 5 Session
//    Expiry 0) before it acknowledged the message goes to another member of the group (MQTT 5
//    §4.8.2: "the Server SHOULD send the Application Message to another Client"); a member with a
//    persistent session keeps it and gets it again when it reconnects, as aedes does for any
//    subscription.
// Views (subscriptions()) show the names as the client sent them.

type Callback = (err?: Error | null) => void;
type Listener = (packet: { topic: string }, cb: Callback) => void;

export const SHARE = '$share/';
const noop = () => {};
const INTERNAL = '$seaway-share/';

/** The filter a client sent, for views: `$seaway-share/g/f` → `$share/g/f`. */
export function shownFilter(topic: string): string {
  return topic.startsWith(INTERNAL) ? SHARE + topic.slice(INTERNAL.length) : topic;
}

/** The filter an ACL or limit applies to: `f` for a shared subscription, else the topic itself. */
export function innerFilter(topic: string): string {
  return parseShare(topic, INTERNAL)?.filter ?? topic;
}

/** `$share/g/f` → { group, filter }, or null when it is not a well-formed shared subscription. */
export function parseShare(topic: string, prefix = SHARE): { group: string; filter: string } | null {
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const group = rest.slice(0, slash);
  const filter = rest.slice(slash + 1);
  // [MQTT-4.8.2-1] [MQTT-4.8.2-2]: the share name has no wildcard; the filter is not empty
  if (group.includes('+') || group.includes('#') || filter.length === 0) return null;
  return { group, filter };
}

interface Group {
  filter: string;
  members: Listener[];
  next: number;
  dispatch: Listener;
}

interface AedesLike {
  subscribe: (topic: string, func: Listener, done?: Callback) => void;
  unsubscribe: (topic: string, func: Listener, done?: Callback) => void;
  on: (event: 'clientDisconnect', f: (client: MemberClient) => void) => void;
}

/** The parts of an aedes client a member's unacknowledged deliveries are tracked with. */
export interface MemberClient {
  clean: boolean;
  _nextId: number;
  deliverQoS: Listener;
  _parser: { on: (event: 'packet', f: (p: { cmd: string; messageId?: number }) => void) => void };
}

/** A QoS 1/2 message a group handed to a member, until the member acknowledges it. */
interface Unacked {
  key: string;
  packet: { topic: string; qos?: number };
}

export class SharedSubscriptions {
  readonly #groups = new Map<string, Group>();
  /** Messages handed to a member of a group. */
  delivered = 0;
  /** Unacknowledged messages of a departed member handed to another member of its group. */
  redelivered = 0;
  /** Per member client: packet identifier → the group message it carries, until PUBACK/PUBREC. */
  readonly #unacked = new WeakMap<MemberClient, Map<number, Unacked>>();
  /** The group message being handed to a member right now (deliverQoS runs synchronously inside). */
  #current: Unacked | null = null;

  /** Wrap aedes.subscribe/unsubscribe (install after fast-publish.ts, so its index sees the real filters). */
  install(aedes: object): void {
    const a = aedes as AedesLike;
    const subscribe = a.subscribe.bind(a);
    const unsubscribe = a.unsubscribe.bind(a);
    a.on('clientDisconnect', (client) => this.#departed(client));
    a.subscribe = (topic, func, done) => {
      const s = typeof topic === 'string' ? parseShare(topic, INTERNAL) : null;
      if (!s) return subscribe(topic, func, done);
      const key = `${s.group}\u0000${s.filter}`;
      let g = this.#groups.get(key);
      if (!g) {
        const group: Group = { filter: s.filter, members: [], next: 0, dispatch: () => {} };
        const dollarBlocked = s.filter.charCodeAt(0) === 43 || s.filter.charCodeAt(0) === 35; // + or #
        group.dispatch = (packet, cb) => {
          const n = group.members.length;
          if (n === 0 || (dollarBlocked && packet.topic.charCodeAt(0) === 36)) return cb();
          const m = group.members[group.next++ % n] as Listener;
          if (group.next >= n) group.next = 0;
          this.delivered++;
          this.#current = { key, packet };
          try {
            m(packet, cb);
          } finally {
            this.#current = null;
          }
        };
        g = group;
        this.#groups.set(key, g);
        g.members.push(func);
        subscribe(s.filter, g.dispatch, done);
        return;
      }
      if (!g.members.includes(func)) g.members.push(func);
      if (done) process.nextTick(done);
    };
    a.unsubscribe = (topic, func, done) => {
      const s = typeof topic === 'string' ? parseShare(topic, INTERNAL) : null;
      if (!s) return unsubscribe(topic, func, done);
      const key = `${s.group}\u0000${s.filter}`;
      const g = this.#groups.get(key);
      const i = g ? g.members.indexOf(func) : -1;
      if (g && i >= 0) {
        g.members.splice(i, 1);
        if (g.next > i) g.next--;
        if (g.members.length === 0) {
          this.#groups.delete(key);
          unsubscribe(g.filter, g.dispatch, done);
          return;
        }
      }
      if (done) process.nextTick(done);
    };
  }

  /**
   * Track a client's QoS 1/2 deliveries from groups (call when aedes creates the client, before it
   * subscribes). aedes gives the outgoing PUBLISH its packet identifier in a setImmediate queued by
   * deliverQoS; two immediates queued around that call see the identifier counter before and after,
   * so the identifier is known without touching aedes' write path.
   */
  adopt(client: MemberClient): void {
    const deliverQoS = client.deliverQoS;
    client.deliverQoS = (packet, cb) => {
      const u = this.#current;
      if (u === null || !((packet as { qos?: number }).qos ?? 0)) return deliverQoS(packet, cb);
      let before = 0;
      setImmediate(() => {
        before = client._nextId;
      });
      deliverQoS(packet, cb);
      setImmediate(() => {
        if (client._nextId === before) return; // not forwarded (no local, ACL, dedupe)
        let m = this.#unacked.get(client);
        if (!m) this.#unacked.set(client, (m = new Map()));
        m.set(before, u);
      });
    };
    client._parser.on('packet', (p) => {
      if ((p.cmd === 'puback' || p.cmd === 'pubrec') && p.messageId !== undefined)
        this.#unacked.get(client)?.delete(p.messageId);
    });
  }

  /** A member client left: hand what it had not acknowledged to the rest of its groups (session ended only). */
  #departed(client: MemberClient): void {
    const m = this.#unacked.get(client);
    if (!m) return;
    this.#unacked.delete(client);
    if (!client.clean || m.size === 0) return;
    // after aedes has removed the client's subscriptions (its close unsubscribes first)
    setImmediate(() => {
      for (const u of m.values()) {
        const g = this.#groups.get(u.key);
        if (!g || g.members.length === 0) continue;
        this.redelivered++;
        // a new broker counter: aedes drops a packet whose counter is below one the member already got (dedupe)
        g.dispatch({ ...u.packet, brokerCounter: 0 } as { topic: string }, noop);
      }
    });
  }

  /** Rewrite the shared-subscription names of a SUBSCRIBE or UNSUBSCRIBE packet in place (before aedes handles it). */
  static rewrite(packet: { cmd: string; subscriptions?: { topic: string }[]; unsubscriptions?: string[] }): void {
    if (packet.cmd === 'subscribe' && packet.subscriptions) {
      for (const sub of packet.subscriptions)
        if (parseShare(sub.topic)) sub.topic = INTERNAL + sub.topic.slice(SHARE.length);
    } else if (packet.cmd === 'unsubscribe' && packet.unsubscriptions) {
      const u = packet.unsubscriptions;
      for (let i = 0; i < u.length; i++) {
        const t = u[i] as string;
        if (parseShare(t)) u[i] = INTERNAL + t.slice(SHARE.length);
      }
    }
  }

  groups(): { group: string; filter: string; members: number }[] {
    return [...this.#groups].map(([k, g]) => ({
      group: k.slice(0, k.indexOf('\u0000')),
      filter: g.filter,
      members: g.members.length,
    }));
  }
}
