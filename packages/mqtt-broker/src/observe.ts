// What the console and Prometheus see of the broker: counters (plain numbers), a bounded table of
// topics with message rates, and plain JSON-able views of clients and subscriptions. Rates are
// computed by a 1 Hz tick, never per message.

export interface MqttCounters {
  connectionsTotal: number;
  messagesIn: number;
  bytesIn: number;
  /** Deliveries written to subscribers (one per subscriber per message). */
  messagesOut: number;
  /** QoS 0 and clean-session deliveries skipped because the subscriber's socket was full. */
  droppedSlowSubscriber: number;
  /** QoS 1/2 messages not queued because a persistent session already held maxQueuedPerClient. */
  droppedQueueFull: number;
  /** MQTT 5 QoS 1/2 deliveries that waited for the client's Receive Maximum window. */
  heldForReceiveMaximum: number;
  /** QoS 1/2 deliveries dropped because a client's Receive Maximum window and its queue (maxQueuedPerClient) were full. */
  droppedFlowControl: number;
  /** PUBLISHes larger than the Maximum Packet Size the client announced, discarded as if sent. */
  droppedTooLargeForClient: number;
  rejectedAuth: number;
  rejectedNotAuthorized: number;
  rejectedPublishAcl: number;
  /** Client PUBLISHes to `$SYS/...` or `$share/...` (3.1.1: acknowledged and dropped; 5: PUBACK 0x87). */
  rejectedPublishSys: number;
  /** Messages published by the broker itself (aedes.publish: console test messages, APIs), offered to the gate. */
  brokerPublishes: number;
  /** QoS 2 retransmissions (DUP) of a message already stored: answered PUBREC, not counted in nor offered to the gate again. */
  duplicatesIgnored: number;
  rejectedSubscribeAcl: number;
  rejectedTooLarge: number;
  rejectedBadTopic: number;
  rejectedConnectionLimit: number;
  /** Connections closed for protocol errors, malformed packets, keep-alive or connect timeouts. */
  closedForErrors: number;
  keepaliveTimeouts: number;
}

export function newCounters(): MqttCounters {
  return {
    connectionsTotal: 0,
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    droppedSlowSubscriber: 0,
    droppedQueueFull: 0,
    heldForReceiveMaximum: 0,
    droppedFlowControl: 0,
    droppedTooLargeForClient: 0,
    rejectedAuth: 0,
    rejectedNotAuthorized: 0,
    rejectedPublishAcl: 0,
    rejectedPublishSys: 0,
    brokerPublishes: 0,
    duplicatesIgnored: 0,
    rejectedSubscribeAcl: 0,
    rejectedTooLarge: 0,
    rejectedBadTopic: 0,
    rejectedConnectionLimit: 0,
    closedForErrors: 0,
    keepaliveTimeouts: 0,
  };
}

export interface TopicView {
  topic: string;
  messages: number;
  bytes: number;
  /** Messages per second over the last tick. */
  rate: number;
  lastSeenMs: number;
}

interface TopicEntry {
  messages: number;
  bytes: number;
  prev: number;
  rate: number;
  lastSeenMs: number;
}

export const OTHER_TOPICS = '(other)';

/** Per-topic message counts for at most `max` distinct topics; the rest add up under "(other)". */
export class TopicTable {
  readonly #max: number;
  readonly #topics = new Map<string, TopicEntry>();
  #timer: NodeJS.Timeout;
  #now = Date.now();

  constructor(max: number) {
    this.#max = max;
    this.#timer = setInterval(() => this.tick(), 1000);
    this.#timer.unref();
  }

  record(topic: string, bytes: number): void {
    let e = this.#topics.get(topic);
    if (e === undefined) {
      if (this.#topics.size >= this.#max) {
        topic = OTHER_TOPICS;
        e = this.#topics.get(topic);
      }
      if (e === undefined) {
        e = { messages: 0, bytes: 0, prev: 0, rate: 0, lastSeenMs: 0 };
        this.#topics.set(topic, e);
      }
    }
    e.messages++;
    e.bytes += bytes;
    e.lastSeenMs = this.#now;
  }

  tick(): void {
    this.#now = Date.now();
    for (const e of this.#topics.values()) {
      e.rate = e.messages - e.prev;
      e.prev = e.messages;
    }
  }

  list(limit: number): TopicView[] {
    const out: TopicView[] = [];
    for (const [topic, e] of this.#topics) {
      out.push({ topic, messages: e.messages, bytes: e.bytes, rate: e.rate, lastSeenMs: e.lastSeenMs });
    }
    out.sort((a, b) => b.rate - a.rate || b.messages - a.messages);
    return out.slice(0, limit);
  }

  size(): number {
    return this.#topics.size;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

/** Prometheus text exposition of the counters and gauges. */
export function prometheusText(
  counters: MqttCounters,
  gauges: Record<string, number>,
  prefix = 'seaway_mqtt_',
): string {
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const lines: string[] = [];
  for (const [k, v] of Object.entries(counters)) {
    // a counter already named ...Total (connectionsTotal) is not suffixed twice
    const base = snake(k).replace(/_total$/, '');
    const name = `${prefix}${base}_total`;
    lines.push(`# TYPE ${name} counter`, `${name} ${v}`);
  }
  for (const [k, v] of Object.entries(gauges)) {
    const name = `${prefix}${snake(k)}`;
    lines.push(`# TYPE ${name} gauge`, `${name} ${v}`);
  }
  return lines.join('\n') + '\n';
}
