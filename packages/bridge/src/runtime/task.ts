// One MQTT source task: takes MQTT messages (from the embedded broker's ingest gate, or as an MQTT
// client of an external broker), routes them by KCQL, converts them, and writes them to Kafka in
// batches with acks=all. A message is acknowledged (gate done(), or the client's PUBACK) only after
// the batch holding its record is in Kafka — or its raw payload is in the dead-letter topic.
//
// Batching: messages of all publishers collect in one bounded queue; while a produce is in flight the
// next batch collects, so one sendBatch carries many publishers' records (no per-message promise:
// each entry keeps its done callback, called after the batch resolves). When Kafka or the registry
// fails, the batch stays at the head and is retried with backoff (200 ms doubling to 5 s); nothing is
// acknowledged meanwhile, `delivery` in the status says so, and past `maxPending` new messages are
// refused (done(err): no PUBACK, the publisher redelivers).
//
// External broker: mqtt.js calls `handleMessage(packet, cb)` before it sends the PUBACK and waits for
// cb, so the PUBACK follows the Kafka ack. mqtt.js handles one packet at a time per connection, so
// this path is correctness-first (one Kafka round trip per QoS 1 message); the gate path is the fast one.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttSourceSettings } from '../connector/validate.ts';
import { type Converted, createConverter, type SourceConverter } from '../converters/convert.ts';
import type { AvroSerializer } from '../converters/serialize.ts';
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import type { KcqlStatement } from '../kcql/parse.ts';
import { buildRoutes, kafkaTopicFor, plainFilter, type Route, routeFor } from '../kcql/routes.ts';
import type { ChainEntry } from '../transforms/chain.ts';
import type { IngestGate, IngestMessage } from './gate.ts';
import type { RecordSink, SinkMessage } from './sink.ts';

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING';

export interface TaskMetrics {
  messagesIn: number;
  bytesIn: number;
  recordsOut: number;
  bytesOut: number;
  deadLettered: number;
  convertErrors: number;
  skippedDuplicates: number;
  unrouted: number;
  refused: number;
  inFlight: number;
  batches: number;
  retries: number;
  /** Latency of the last successful produce, and the running mean, in ms. */
  produceLatencyMs: number;
  produceLatencyAvgMs: number;
}

export interface TaskOptions {
  connector: string;
  id: number;
  settings: MqttSourceSettings;
  statements: KcqlStatement[];
  clientId: string | undefined;
  sink: RecordSink;
  serializer: AvroSerializer;
  /** The embedded broker's gate; absent = connect to settings.hosts as an MQTT client. */
  gate: IngestGate | undefined;
  maxPending?: number;
  maxBatch?: number;
  /** Produce requests in flight at once (1 keeps Kafka order equal to arrival order under retries). */
  maxConcurrentSends?: number;
  onChange?: () => void;
  log?: (line: string) => void;
  /** The connector's single message transforms (transforms/chain.ts): false drops, a throw fails the task. */
  transform?: (e: ChainEntry) => boolean;
}

interface Entry {
  topic: string;
  key: Converted['key'];
  value: Converted['value'];
  headers: Record<string, string>;
  payload: Buffer;
  mqttTopic: string;
  converterClass: string;
  done: ((err?: Error) => void) | undefined;
}

/** A produce outstanding this long shows as blocked delivery in the task status. */
const STALLED_SEND_MS = 5000;
/**
 * MQTT 5 PUBLISH metadata as record headers, named like the mqtt.* headers above: mqtt.content.type,
 * mqtt.payload.format ("utf-8" for indicator 1, "bytes" for 0), mqtt.response.topic,
 * mqtt.correlation.data (base64: it is binary), mqtt.message.expiry (the interval in seconds as
 * published) and one mqtt.user.<name> per user property (a name given several times: a JSON array
 * of its values, in order).
 */
export function mqtt5Headers(p: NonNullable<IngestMessage['properties']>, headers: Record<string, string>): void {
  if (p.contentType !== undefined) headers['mqtt.content.type'] = p.contentType;
  if (p.payloadFormatIndicator !== undefined)
    headers['mqtt.payload.format'] = p.payloadFormatIndicator ? 'utf-8' : 'bytes';
  if (p.responseTopic !== undefined) headers['mqtt.response.topic'] = p.responseTopic;
  if (p.correlationData !== undefined)
    headers['mqtt.correlation.data'] = Buffer.from(p.correlationData).toString('base64');
  if (p.messageExpiryInterval !== undefined) headers['mqtt.message.expiry'] = String(p.messageExpiryInterval);
  const up = p.userProperties;
  if (up !== undefined)
    for (const name of Object.keys(up)) {
      const v = up[name] as string | string[];
      headers[`mqtt.user.${name}`] = Array.isArray(v) ? JSON.stringify(v) : v;
    }
}

/**
 * KCQL `PROPERTIES('key.user.property'='<name>')`: the record key is the MQTT 5 user property of that
 * name as a plain UTF-8 string (the first value when the name is given several times); a message
 * without it keeps the converter's key.
 */
export const KEY_USER_PROPERTY = 'key.user.property';

/**
 * KCQL `PROPERTIES('retained.on.attach'='true')`: when the task starts on the embedded broker (also
 * after a restart; not on resume), the retained messages matching the statement are written, as an MQTT subscriber is
 * sent them on SUBSCRIBE. Off by default: the gate otherwise writes each message once, and retained
 * messages replayed at every task start would be written again at every restart. Against an external
 * broker the task is a subscriber and the broker sends them (as with Stream Reactor).
 */
export const RETAINED_ON_ATTACH = 'retained.on.attach';

function userProperty(p: IngestMessage['properties'], name: string): string | undefined {
  const v = p?.userProperties?.[name] as string | string[] | undefined;
  return Array.isArray(v) ? v[0] : v;
}

export class MqttSourceTask {
  state: TaskState = 'UNASSIGNED';
  /** The CONNACK of the current MQTT client connection (sessionPresent for a resumed session). */
  private lastConnack: { sessionPresent: boolean } | null = null;
  trace: string | null = null;
  delivery: { blocked: boolean; error: string | null; since: number | null } = {
    blocked: false,
    error: null,
    since: null,
  };
  private readonly routes: Route[];
  private readonly converters = new Map<string, SourceConverter>();
  private pending: Entry[] = [];
  /** Produce requests in flight and the entries they carry. */
  private sends = 0;
  private sendingEntries = 0;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private backoff = 200;
  private closing = false;
  private detachers: Array<() => void> = [];
  private client: MqttClient | null = null;
  private latencySum = 0;
  /** When each produce in flight started (ms epoch), oldest first, for a stalled-send report in the status. */
  private readonly sendStarts: number[] = [];
  /** Settles when the newest send has finished its bookkeeping: sends complete in the order they started. */
  private lastSend: Promise<void> = Promise.resolve();
  /** Entries at the front of `pending` put back by failed sends of this round, in send order. */
  private requeued = 0;
  /** Kafka topics this task has written records to (not the dead-letter topic). */
  readonly topics = new Set<string>();
  /** connect.progress.enabled: records per Kafka topic, logged once a minute like Stream Reactor's ProgressCounter. */
  private readonly progress = new Map<string, number>();
  private progressTimer: NodeJS.Timeout | null = null;
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly maxSends: number;
  private readonly m: Omit<TaskMetrics, 'inFlight'> = {
    messagesIn: 0,
    bytesIn: 0,
    recordsOut: 0,
    bytesOut: 0,
    deadLettered: 0,
    convertErrors: 0,
    skippedDuplicates: 0,
    unrouted: 0,
    refused: 0,
    batches: 0,
    retries: 0,
    produceLatencyMs: 0,
    produceLatencyAvgMs: 0,
  };

  constructor(private readonly o: TaskOptions) {
    this.routes = buildRoutes(o.statements);
    this.maxPending = o.maxPending ?? 20_000;
    this.maxBatch = o.maxBatch ?? 5_000;
    this.maxSends = o.maxConcurrentSends ?? 1;
    for (const s of o.statements) {
      const cls = o.settings.converters.get(s.source) as string;
      this.converters.set(s.source, createConverter(cls, o.settings.avroSchemas));
    }
  }

  get id(): number {
    return this.o.id;
  }

  metrics(): TaskMetrics {
    return { ...this.m, inFlight: this.pending.length + this.sendingEntries };
  }

  async start(): Promise<void> {
    if (this.o.settings.progressEnabled && this.o.log) {
      const log = this.o.log;
      this.progressTimer = setInterval(() => {
        for (const [topic, n] of this.progress)
          log(`task ${this.o.connector}-${this.o.id}: delivered ${n} records to ${topic}`);
      }, 60_000);
      this.progressTimer.unref();
    }
    if (this.o.gate) {
      this.attachAll(true);
    } else {
      await this.connectClient();
    }
    this.setState('RUNNING');
  }

  /** With the gate: detach (new messages wait in the gate under its hold bound) and finish writing
   *  what was taken. As an MQTT client: hold what arrives unacknowledged until resume. */
  pause(): void {
    if (this.state !== 'RUNNING') return;
    if (this.o.gate) this.detachAll();
    this.setState('PAUSED');
  }

  resume(): void {
    if (this.state === 'PAUSED') {
      this.setState('RUNNING');
      if (this.o.gate && !this.closing) this.attachAll(false);
      this.schedule();
    }
  }

  /** Stop taking messages, flush what is queued (up to `drainMs`), refuse the rest, disconnect. */
  async stop(drainMs = 5000): Promise<void> {
    this.closing = true;
    this.detachAll();
    if (this.state === 'PAUSED') this.state = 'RUNNING';
    this.schedule();
    const deadline = Date.now() + drainMs;
    while ((this.pending.length > 0 || this.sends > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.progressTimer) clearInterval(this.progressTimer);
    const left = this.pending.splice(0);
    const err = new BridgeError(
      BridgeErrorCodes.TASK_STOPPING,
      `task ${this.o.connector}-${this.o.id} stopped before Kafka took the record; the publisher redelivers`,
    );
    for (const e of left) e.done?.(err);
    if (this.client) {
      const c = this.client;
      this.client = null;
      await c.endAsync(true).catch(() => {});
    }
    if (this.state !== 'FAILED') this.state = 'UNASSIGNED';
  }

  /** One message from the gate or the client. `done` acknowledges it (no argument) or refuses it. */
  ingest(msg: IngestMessage, done: (err?: Error) => void): void {
    if (this.closing || this.state === 'FAILED') {
      done(new BridgeError(BridgeErrorCodes.TASK_STOPPING, `task ${this.o.connector}-${this.o.id} is not running`));
      return;
    }
    this.m.messagesIn++;
    this.m.bytesIn += msg.payload.length;
    if (this.o.settings.logMessage) {
      this.o.log?.(
        `Message received on topic [${msg.topic}]. Message id =[${msg.messageId}] , isDuplicate=${msg.dup}, payload=${msg.payload.toString('base64')}`,
      );
    }
    if (msg.dup && !this.o.settings.processDuplicates) {
      this.m.skippedDuplicates++;
      done();
      return;
    }
    const route = routeFor(this.routes, msg.topic);
    if (!route) {
      this.m.unrouted++;
      done();
      return;
    }
    if (this.pending.length + this.sendingEntries >= this.maxPending) {
      this.m.refused++;
      done(
        new BridgeError(
          BridgeErrorCodes.BACKPRESSURE,
          `task ${this.o.connector}-${this.o.id} holds ${this.maxPending} unacknowledged messages; refusing until Kafka catches up`,
        ),
      );
      return;
    }
    const headers: Record<string, string> = {
      'mqtt.topic': msg.topic,
      'mqtt.qos': String(msg.qos),
      'mqtt.retained': String(msg.retain),
      'mqtt.duplicate': String(msg.dup),
    };
    if (msg.messageId !== undefined) headers['mqtt.message.id'] = String(msg.messageId);
    if (msg.properties !== undefined) mqtt5Headers(msg.properties, headers);
    const kafkaTopic = kafkaTopicFor(route, msg.topic);
    const source = route.statement.source;
    const converter = this.converters.get(source) as SourceConverter;
    let entry: Entry;
    let converted = true;
    try {
      const c = converter.convert({
        kafkaTopic,
        sourceTopic: this.o.settings.avroSchemas.size > 0 ? source : msg.topic,
        kcqlSource: source,
        messageId: String(msg.messageId ?? 0),
        payload: msg.payload,
        keys: route.statement.withKeys,
        keyDelimiter: route.statement.keyDelimiter,
        utf8: msg.properties?.payloadFormatIndicator === true,
      });
      const keyProperty = route.statement.properties[KEY_USER_PROPERTY];
      const keyValue = keyProperty === undefined ? undefined : userProperty(msg.properties, keyProperty);
      entry = {
        topic: kafkaTopic,
        key: keyValue === undefined ? c.key : { kind: 'raw', bytes: Buffer.from(keyValue) },
        value: c.value,
        headers,
        payload: msg.payload,
        mqttTopic: msg.topic,
        converterClass: converter.className,
        done,
      };
    } catch (e) {
      converted = false;
      this.m.convertErrors++;
      if (this.o.settings.throwOnError) {
        this.fail(e, msg.topic);
        done(e as Error);
        return;
      }
      entry = this.deadLetter(
        {
          topic: kafkaTopic,
          headers,
          payload: msg.payload,
          mqttTopic: msg.topic,
          converterClass: converter.className,
          done,
        },
        e,
      );
    }
    // Single message transforms, between the converter and the producer.
    if (converted && this.o.transform) {
      try {
        if (!this.o.transform(entry)) {
          done();
          return;
        }
      } catch (e) {
        this.fail(e, msg.topic);
        this.trace = `${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack ?? ''}`;
        done(e as Error);
        return;
      }
    }
    this.pending.push(entry);
    this.schedule();
  }

  status(workerId: string): {
    id: number;
    state: TaskState;
    worker_id: string;
    trace?: string;
    delivery?: TaskMetrics | object;
  } {
    const s: { id: number; state: TaskState; worker_id: string; trace?: string; delivery?: object } = {
      id: this.o.id,
      state: this.state,
      worker_id: workerId,
    };
    if (this.trace) s.trace = this.trace;
    if (this.delivery.blocked) s.delivery = { ...this.delivery };
    else if (this.sends > 0 && Date.now() - this.sendSince >= STALLED_SEND_MS) {
      // a frozen Kafka neither answers nor fails: say so before the request times out
      s.delivery = {
        blocked: true,
        error: `no answer from Kafka for ${Math.round((Date.now() - this.sendSince) / 1000)} s; nothing is acknowledged meanwhile`,
        since: this.sendSince,
      };
    }
    return s;
  }

  // ---- internals ----

  private deadLetter(e: Omit<Entry, 'key' | 'value'>, err: unknown): Entry {
    this.m.deadLettered++;
    const error = err as Error;
    return {
      ...e,
      topic: this.o.settings.dlqTopic,
      key: { kind: 'raw', bytes: Buffer.from(e.mqttTopic) },
      value: { kind: 'raw', bytes: e.payload },
      headers: {
        ...e.headers,
        '__connect.errors.topic': e.topic,
        '__connect.errors.connector.name': this.o.connector,
        '__connect.errors.task.id': String(this.o.id),
        '__connect.errors.stage': 'VALUE_CONVERTER',
        '__connect.errors.class.name': e.converterClass,
        '__connect.errors.exception.class.name': (error as { code?: string }).code ?? error.name ?? 'Error',
        '__connect.errors.exception.message': error.message ?? String(err),
      },
    };
  }

  private fail(err: unknown, topic: string): void {
    const e = err as Error;
    this.trace = `org.apache.kafka.connect.errors.ConnectException: Error converting message on topic ${topic}: ${e.message}\n${e.stack ?? ''}`;
    this.setState('FAILED');
    this.detachAll();
    if (this.client) {
      const c = this.client;
      this.client = null;
      c.end(true);
    }
  }

  /** Attach under the connector's name, so the gate's cover for this connector counts it as running.
   *  A `$share/group/` statement attaches with a share key: the connector's tasks that read it take turns. */
  private attachAll(retained: boolean): void {
    const gate = this.o.gate as IngestGate;
    for (const r of this.routes) {
      const source = r.statement.source;
      this.detachers.push(
        gate.attach(
          r.filter,
          (msg, done) => this.ingest(msg, done),
          this.o.connector,
          `${this.o.connector}-${this.o.id}`,
          source.startsWith('$share/') ? `${this.o.connector}\u0000${source}` : undefined,
        ),
      );
    }
    if (!retained || !gate.retained) return;
    for (const r of this.routes) {
      if (r.statement.properties[RETAINED_ON_ATTACH]?.toLowerCase() !== 'true') continue;
      for (const msg of gate.retained(r.filter)) {
        this.ingest(msg, (err) => {
          if (err)
            this.o.log?.(
              `task ${this.o.connector}-${this.o.id}: retained message on ${msg.topic} not written: ${err.message}`,
            );
        });
      }
    }
  }

  /** PAUSED holds records only as an MQTT client; with the gate the task writes what it took. */
  private get holding(): boolean {
    return this.state === 'PAUSED' && !this.o.gate;
  }

  private detachAll(): void {
    for (const d of this.detachers.splice(0)) d();
  }

  private setState(s: TaskState): void {
    this.state = s;
    this.o.onChange?.();
  }

  private schedule(): void {
    if (this.scheduled || this.sends >= this.maxSends || this.retryTimer || this.holding || this.pending.length === 0)
      return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private get sendSince(): number {
    return this.sendStarts[0] ?? 0;
  }

  /**
   * One produce of up to maxBatch pending entries. With maxConcurrentSends > 1 (the idempotent
   * producer keeps order per partition) several run at once; each still completes in the order it
   * started, so PUBACKs leave in arrival order per connection [MQTT-4.6.0-2] and a failed send's
   * entries go back ahead of later ones.
   */
  private async flush(): Promise<void> {
    if (this.sends >= this.maxSends || this.retryTimer || this.holding || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.requeued = Math.max(0, this.requeued - batch.length);
    this.sends++;
    this.sendingEntries += batch.length;
    this.sendStarts.push(Date.now());
    const before = this.lastSend;
    let finished!: () => void;
    this.lastSend = new Promise<void>((r) => (finished = r));
    if (this.sends < this.maxSends) this.schedule();
    const t0 = performance.now();
    try {
      await this.o.serializer.prepare(batch);
      const byTopic = new Map<string, SinkMessage[]>();
      let bytes = 0;
      for (let i = 0; i < batch.length; i++) {
        let e = batch[i] as Entry;
        let key: Buffer | null;
        let value: Buffer | null;
        try {
          key = this.o.serializer.encode(e.topic, '-key', e.key);
          value = this.o.serializer.encode(e.topic, '-value', e.value);
        } catch (err) {
          this.m.convertErrors++;
          if (this.o.settings.throwOnError) {
            this.fail(err, e.mqttTopic);
            e.done?.(err as Error);
            e.done = undefined;
            continue;
          }
          e = this.deadLetter(e, err);
          batch[i] = e;
          key = e.key.kind === 'raw' ? e.key.bytes : null;
          value = e.value.kind === 'raw' ? e.value.bytes : null;
        }
        // Dead letters are counted by deadLettered, not as records or bytes out.
        if (e.topic !== this.o.settings.dlqTopic) bytes += (key?.length ?? 0) + (value?.length ?? 0);
        let list = byTopic.get(e.topic);
        if (!list) byTopic.set(e.topic, (list = []));
        list.push({ key, value, headers: e.headers });
      }
      if (byTopic.size > 0) await this.o.sink.send(byTopic);
      await before;
      const ms = performance.now() - t0;
      this.m.batches++;
      this.latencySum += ms;
      this.m.produceLatencyMs = ms;
      this.m.produceLatencyAvgMs = this.latencySum / this.m.batches;
      this.m.bytesOut += bytes;
      for (const [t, list] of byTopic) {
        if (t !== this.o.settings.dlqTopic) {
          this.m.recordsOut += list.length;
          this.topics.add(t);
        }
        if (this.progressTimer) this.progress.set(t, (this.progress.get(t) ?? 0) + list.length);
      }
      this.backoff = 200;
      if (this.delivery.blocked) {
        this.delivery = { blocked: false, error: null, since: null };
        this.o.onChange?.();
      }
      this.sends--;
      this.sendingEntries -= batch.length;
      this.sendStarts.shift();
      for (const e of batch) e.done?.();
      finished();
    } catch (err) {
      await before;
      finished();
      this.m.retries++;
      this.sends--;
      this.sendingEntries -= batch.length;
      this.sendStarts.shift();
      this.pending.splice(this.requeued, 0, ...batch);
      this.requeued += batch.length;
      if (!this.delivery.blocked) {
        this.delivery = { blocked: true, error: (err as Error).message, since: Date.now() };
        this.o.onChange?.();
      } else this.delivery.error = (err as Error).message;
      this.o.log?.(
        `task ${this.o.connector}-${this.o.id}: produce failed, retrying in ${this.backoff} ms: ${(err as Error).message}`,
      );
      if (this.retryTimer) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.schedule();
      }, this.backoff);
      this.backoff = Math.min(this.backoff * 2, 5000);
      return;
    }
    this.schedule();
  }

  private async connectClient(): Promise<void> {
    const s = this.o.settings;
    const toUrl = (h: string) => h.replace(/^tcp:/, 'mqtt:').replace(/^ssl:|^tls:/, 'mqtts:');
    const urls = s.hosts.map((h) => new URL(toUrl(h)));
    const first = urls[0] as URL;
    const opts: IClientOptions = {
      clientId: this.o.clientId ?? `seaway-${Math.random().toString(16).slice(2, 10)}`,
      clean: s.clean,
      connectTimeout: Math.min(s.connectTimeoutSec * 1000, 2_147_483_647),
      keepalive: Math.min(s.keepAliveSec, 65_535),
      reconnectPeriod: 1000,
      protocolVersion: 4,
      resubscribe: true,
    };
    if (urls.length > 1) {
      opts.servers = urls.map((u) => ({
        host: u.hostname,
        port: Number(u.port || 1883),
        protocol: u.protocol.replace(':', '') as 'mqtt',
      }));
    }
    if (s.username !== undefined) opts.username = s.username;
    if (s.password !== undefined) opts.password = s.password;
    if (s.ssl) {
      // As Stream Reactor's SSL socket factory: TLS whenever the files are set (whatever the scheme),
      // the server chain checked against the CA file, the host name not checked.
      opts.ca = readFileSync(s.ssl.ca);
      opts.cert = readFileSync(s.ssl.cert);
      opts.key = readFileSync(s.ssl.key);
      opts.rejectUnauthorized = true;
      (opts as IClientOptions & { checkServerIdentity: () => undefined }).checkServerIdentity = () => undefined;
      for (const u of urls) u.protocol = 'mqtts:';
      if (opts.servers) for (const sv of opts.servers) sv.protocol = 'mqtts';
    }
    const client = mqtt.connect(first.toString(), opts);
    this.client = client;
    // mqtt.js reconnects by itself; errors after the first connect are logged, never thrown.
    client.on('error', (e) => this.o.log?.(`task ${this.o.connector}-${this.o.id}: MQTT ${e.message}`));
    client.handleMessage = (packet, cb) => {
      if (packet.cmd !== 'publish') return cb();
      const msg: IngestMessage = {
        topic: packet.topic,
        payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
        qos: packet.qos,
        retain: packet.retain,
        dup: packet.dup,
        messageId: packet.messageId,
        clientId: '',
        properties: packet.properties,
      };
      if (packet.qos === 0) {
        this.ingest(msg, () => {});
        cb();
      } else this.ingest(msg, (err) => cb(err));
    };
    await new Promise<void>((resolve, reject) => {
      const limitSec = Math.min(s.connectTimeoutSec, 30);
      const timer = setTimeout(
        () => onError(new Error(`no CONNACK from ${s.hosts.join(',')} within ${limitSec} s`)),
        limitSec * 1000,
      );
      const onConnect = (connack: { sessionPresent?: boolean }) => {
        this.lastConnack = { sessionPresent: connack.sessionPresent === true };
        clearTimeout(timer);
        client.off('error', onClientError);
        resolve();
      };
      const onError = (e: Error) => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onClientError);
        client.end(true);
        reject(e);
      };
      // With several hosts mqtt.js moves to the next one on reconnect, so an error is final only
      // when there is no other host to try (or the connect timeout fires).
      const onClientError = (e: Error) => {
        if (urls.length === 1) onError(e);
      };
      client.once('connect', onConnect);
      client.on('error', onClientError);
    });
    const subs: Record<string, { qos: 0 | 1 | 2 }> = {};
    for (const r of this.routes)
      subs[r.statement.source.startsWith('$share/') ? r.statement.source : plainFilter(r.statement.source)] = {
        qos: s.qos,
      };
    // A resumed persistent session gets its queued messages before the SUBACK, and mqtt.js hands
    // packets over one at a time, each held until Kafka acknowledged it: waiting for the SUBACK
    // here would hold the task's start (and the lab's) until the whole backlog is in Kafka.
    if (client.connected && (this.lastConnack?.sessionPresent ?? false)) {
      client.subscribe(subs, (err, granted) => this.checkGranted(err, granted ?? []));
      return;
    }
    const granted = await client.subscribeAsync(subs);
    this.checkGranted(null, granted);
  }

  private checkGranted(err: Error | null, granted: { topic: string; qos: number }[]): void {
    const refused = granted.find((g) => g.qos === 128);
    const e =
      err ??
      (refused
        ? new BridgeError(
            BridgeErrorCodes.CONFIG_INVALID,
            `the MQTT broker refused the subscription to ${refused.topic}`,
          )
        : null);
    if (!e) return;
    if (this.state === 'UNASSIGNED') throw e;
    this.trace = `org.apache.kafka.connect.errors.ConnectException: ${e.message}\n${e.stack ?? ''}`;
    this.setState('FAILED');
    this.detachAll();
    const c = this.client;
    this.client = null;
    c?.end(true);
  }
}
