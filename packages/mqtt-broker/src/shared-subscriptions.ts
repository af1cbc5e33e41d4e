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
// Views (subscriptions()) show the names as the client sent them.

type Callback = (err?: Error | null) => void;
type Listener = (packet: { topic: string }, cb: Callback) => void;

export const SHARE = '$share/';
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
}

export class SharedSubscriptions {
  readonly #groups = new Map<string, Group>();
  /** Messages handed to a member of a group. */
  delivered = 0;

  /** Wrap aedes.subscribe/unsubscribe (install after fast-publish.ts, so its index sees the real filters). */
  install(aedes: object): void {
    const a = aedes as AedesLike;
    const subscribe = a.subscribe.bind(a);
    const unsubscribe = a.unsubscribe.bind(a);
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
          m(packet, cb);
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
