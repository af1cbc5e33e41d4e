// aedes hooks that enforce Seaway's rules, in the order aedes calls them:
//  authenticate      users and passwords (auth.ts); CONNACK 4 or 5 on failure
//  authorizePublish  topic length; $SYS is the broker's and the publish ACL: 3.1.1 acked and dropped
//                    ([MQTT-3.3.5-2], as mosquitto), 5 answered 0x87; a QoS 2 DUP already stored skips
//                    the gate; counts the message in; then the ingest gate, whose callback releases the PUBACK/PUBREC
//                    (for messages no subscriber can see, through the shortcut in fast-publish.ts)
//  authorizeSubscribe topic length; subscribe ACL → 0x80 in the SUBACK [MQTT-3.9.3-2]
//  authorizeForward  slow subscribers: a QoS 0 or clean-session delivery to a client with more than
//                    maxOutgoingBytes unsent is skipped and counted. The socket's writable
//                    high-water mark is raised above that (broker.ts), so these writes never wait
//                    for 'drain' and one stuck reader cannot stall the publishers whose messages it
//                    is sent. Persistent-session QoS 1/2 deliveries are never skipped: they wait
//                    for 'drain', bounded by maxQueuedPerClient, and drainTimeoutMs disconnects a
//                    subscriber that stays stuck
// plus a packet-size limit installed in each client's MQTT parser before any payload is buffered.
import type { Aedes } from 'aedes';
import type { Authenticator } from './auth.ts';
import type { MqttBrokerConfigResolved } from './config.ts';
import { MqttBrokerError } from './errors.ts';
import type { FastPublish } from './fast-publish.ts';
import type { IngestGateImpl } from './ingest-gate.ts';
import type { MqttCounters, TopicTable } from './observe.ts';
import { innerFilter } from './shared-subscriptions.ts';

/** The parts of an aedes Client (lib/client.js) Seaway reads. */
export interface AedesClient {
  id: string;
  clean: boolean;
  version: number | null;
  closed: boolean;
  conn: NodeJS.EventEmitter & {
    read(size?: number | null): unknown;
    writableLength: number;
    remoteAddress?: string;
    destroyed?: boolean;
    write(chunk: Buffer): boolean;
  };
  subscriptions: Record<string, { qos: number }>;
  _nextBatch: (err?: Error | null) => void;
  /** aedes 2: DISCONNECT 0x95 for a connected MQTT 5 client, else an error that closes the connection. */
  rejectPacketTooLarge?: (size: number, done?: () => void) => void;
  _parser: NodeJS.EventEmitter & {
    packet: { length: number };
    _parseLength: () => boolean;
    _emitError: (err: Error) => void;
  };
}

interface PublishPacket {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
  dup: boolean;
  messageId?: number;
}

type Callback = (err?: Error | null) => void;

/** Deliveries skipped per slow subscriber (console view). */
export const droppedFor = new WeakMap<object, number>();

export interface HookDeps {
  cfg: MqttBrokerConfigResolved;
  auth: Authenticator;
  gate: IngestGateImpl;
  /** The shortcut for messages nobody subscribes to, or null when turned off (fastPublish: false). */
  fast: FastPublish | null;
  counters: MqttCounters;
  topics: TopicTable;
  log: (line: string) => void;
}

/** Bytes of a whole packet with this remaining length: type byte, length varint, the rest. */
export function packetWireSize(remaining: number): number {
  return 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4) + remaining;
}

/**
 * Refuse a packet whose announced size is over the limit as soon as its length is parsed, before
 * its body is buffered: an MQTT 5 client is sent DISCONNECT 0x95 "Packet too large" (aedes'
 * rejectPacketTooLarge), a 3.1.1 client is closed (it has no way to be told); either way the reason
 * is logged.
 */
export function limitPacketSize(
  client: AedesClient,
  max: number,
  counters: MqttCounters,
  log: (line: string) => void,
): void {
  const parser = client._parser;
  const parseLength = parser._parseLength;
  parser._parseLength = function limitedParseLength(this: typeof parser) {
    const ok = parseLength.call(this);
    if (ok && packetWireSize(this.packet.length) > max) {
      counters.rejectedTooLarge++;
      const size = packetWireSize(this.packet.length);
      log(
        `refused a packet of ${size} bytes from client ${JSON.stringify(client.id ?? null)} (${client.conn?.remoteAddress ?? '?'}): ` +
          `over maxPacketSize ${max} (MQTT_MAX_PACKET_SIZE)${client.version === 5 ? '; sent DISCONNECT 0x95' : '; connection closed'}`,
      );
      if (client.version === 5 && typeof client.rejectPacketTooLarge === 'function') client.rejectPacketTooLarge(size);
      else
        this._emitError(new MqttBrokerError('SEAWAY_MQTT_PACKET_TOO_LARGE', `packet of ${size} bytes, limit ${max}`));
      return false;
    }
    return ok;
  };
}

const SYS = '$SYS/';
/** The publisher the gate sees for broker-side publishes: client id "" and no connection. */
const BROKER_SIDE = { id: '', connected: false, version: null };
const REASON_NOT_AUTHORIZED = 0x87;
const PUBACK_V5 = 0x40;
const PUBREC_V5 = 0x50;

/** Write PUBACK (QoS 1) or PUBREC (QoS 2) with a failure reason code and mark the packet so aedes does not publish it. */
function refuseInAck(client: AedesClient, packet: PublishPacket, reasonCode: number): void {
  const id = packet.messageId ?? 0;
  (packet as { _notAuthorized?: boolean })._notAuthorized = true;
  if (!client.conn.destroyed)
    client.conn.write(Buffer.from([packet.qos === 1 ? PUBACK_V5 : PUBREC_V5, 3, id >> 8, id & 0xff, reasonCode]));
}

/**
 * The gate's callback for an MQTT 5 QoS 1/2 message. aedes would answer any authorizePublish error
 * with PUBACK 0x87, which ends the exchange: the message would be lost. So: an error carrying a
 * `reasonCode` (0x80-0xFF, e.g. 0x97 quota exceeded) is answered with it in the PUBACK/PUBREC; any
 * other error closes the connection without an ack, as for 3.1.1, and the publisher redelivers.
 */
function v5Refusal(client: AedesClient, packet: PublishPacket, cb: Callback): Callback {
  return (err) => {
    if (!err) return cb(null);
    const code = reasonCodeOf(err);
    if (code !== undefined) {
      refuseInAck(client, packet, code);
      return cb(null);
    }
    (packet as { _notAuthorized?: boolean })._notAuthorized = true;
    (client as unknown as NodeJS.EventEmitter).emit('error', err);
    cb(null);
  };
}

/** The MQTT 5 reason code an ingest handler put on its error (`err.reasonCode`, or on its cause). */
export function reasonCodeOf(err: Error): number | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const rc = (e as { reasonCode?: unknown }).reasonCode;
    if (typeof rc === 'number' && rc >= 0x80 && rc <= 0xff) return rc;
  }
  return undefined;
}

export function installHooks(aedes: Aedes, d: HookDeps): void {
  const { cfg, auth, gate, fast, counters, topics, log } = d;
  const maxTopic = cfg.limits.maxTopicLength;
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short strings skip the byte count
  const denied = new WeakSet<object>();
  const a = aedes as unknown as Record<string, unknown>;
  const who = (c: AedesClient | null) =>
    `client ${JSON.stringify(c?.id ?? null)} from ${c?.conn?.remoteAddress ?? '?'}`;

  a.authenticate = (
    client: AedesClient,
    username: string | undefined,
    password: Buffer | undefined,
    cb: (err: Error | null, ok?: boolean) => void,
  ) => {
    auth.check(client, username, password, (err) => {
      if (err) {
        if (err.returnCode === 5) counters.rejectedNotAuthorized++;
        else counters.rejectedAuth++;
        log(
          `connection refused (CONNACK ${err.returnCode}) for ${who(client)} user ${JSON.stringify(username ?? null)}: ${err.message}`,
        );
        cb(err, false);
      } else cb(null, true);
    });
  };

  const persistence = () =>
    (aedes as unknown as { persistence: { incomingGetPacket(c: unknown, p: unknown): Promise<unknown> } }).persistence;

  /** ACL-denied and `$SYS` publishes: 3.1.1 is acknowledged and dropped ([MQTT-3.3.5-2]), 5 gets PUBACK/PUBREC 0x87. */
  const refuse = (client: AedesClient, packet: PublishPacket, why: string, cb: Callback) => {
    if (client.version === 5 && packet.qos > 0) {
      log(`${why} for ${who(client)}; answered with reason code 0x87`);
      refuseInAck(client, packet, REASON_NOT_AUTHORIZED);
      return cb(null);
    }
    log(`${why} for ${who(client)}; acknowledged and dropped`);
    denied.add(packet);
    cb(null);
  };

  const admit = (client: AedesClient, packet: PublishPacket, cb: Callback) => {
    counters.messagesIn++;
    counters.bytesIn += packet.payload.length;
    topics.record(packet.topic, packet.payload.length);
    gate.offer(client, packet, client.version === 5 && packet.qos > 0 ? v5Refusal(client, packet, cb) : cb);
  };

  a.authorizePublish = (client: AedesClient | null, packet: PublishPacket, cb: Callback) => {
    const topic = packet.topic;
    if (topic.length * 3 > maxTopic && Buffer.byteLength(topic) > maxTopic) {
      counters.rejectedBadTopic++;
      return cb(
        new MqttBrokerError(
          'SEAWAY_MQTT_TOPIC_INVALID',
          `topic of ${Buffer.byteLength(topic)} bytes, limit ${maxTopic}`,
        ),
      );
    }
    if (client === null) return cb(null); // a will published by the broker for a client that is gone
    if (topic.startsWith(SYS) || topic.startsWith('$share/')) {
      // $SYS is the broker's; $share/... names shared subscriptions, never a topic (mosquitto refuses both)
      counters.rejectedPublishSys++;
      return refuse(client, packet, `publish to ${JSON.stringify(topic)} (a reserved topic)`, cb);
    }
    if (auth.enabled && !auth.mayPublish(client, topic)) {
      counters.rejectedPublishAcl++;
      return refuse(client, packet, `publish to ${JSON.stringify(topic)} denied by ACL`, cb);
    }
    // a QoS 2 retransmission (DUP) of a message stored before its PUBREL: aedes answers PUBREC
    // again without publishing; it must not be counted nor offered to the gate (Kafka) twice
    if (packet.qos === 2 && packet.dup) {
      persistence()
        .incomingGetPacket(client, packet)
        .then(
          () => {
            counters.duplicatesIgnored++;
            cb(null);
          },
          () => admit(client, packet, cb),
        );
      return;
    }
    admit(client, packet, cb);
  };

  // drop ACL-denied messages after aedes acknowledged them; complete the ones that took the
  // shortcut (fast-publish.ts) without aedes' publish pipeline; offer broker-side publishes (the
  // console's test message, aedes.publish() from the lab or an API) to the ingest gate first, so an
  // in-process connector sees what a subscriber with its filter would see. Wills are offered to the
  // gate in authorizePublish (aedes 2 authorizes them with the departed client).
  const publish = aedes.publish.bind(aedes) as (p: object, c: unknown, done?: Callback) => void;
  a.publish = (packet: PublishPacket, client: unknown, done?: Callback) => {
    if (fast?.skipPublish(packet, done)) return;
    if (denied.has(packet)) {
      const cb = typeof client === 'function' ? (client as Callback) : done;
      if (cb) process.nextTick(cb, null);
      return;
    }
    if (
      (client === null || client === undefined || typeof client === 'function') &&
      packet.topic.charCodeAt(0) !== 36
    ) {
      const cb = typeof client === 'function' ? (client as Callback) : done;
      counters.brokerPublishes++;
      if (!Buffer.isBuffer(packet.payload)) packet.payload = Buffer.from(packet.payload as unknown as string);
      gate.offer(BROKER_SIDE as never, packet, (err) => {
        if (err) return cb?.(err);
        publish(packet, null, cb);
      });
      return;
    }
    publish(packet, client, done);
  };

  a.authorizeSubscribe = (
    client: AedesClient,
    sub: { topic: string; qos: number },
    cb: (err: Error | null, sub: unknown) => void,
  ) => {
    if (sub.topic.length * 3 > maxTopic && Buffer.byteLength(sub.topic) > maxTopic) {
      counters.rejectedBadTopic++;
      return cb(null, null);
    }
    if (auth.enabled && !auth.maySubscribe(client, innerFilter(sub.topic))) {
      counters.rejectedSubscribeAcl++;
      log(`subscribe to ${JSON.stringify(sub.topic)} denied by ACL for ${who(client)} (SUBACK 0x80)`);
      return cb(null, null);
    }
    cb(null, sub);
  };

  const maxOut = cfg.limits.maxOutgoingBytes;
  a.authorizeForward = (client: AedesClient, packet: PublishPacket) => {
    if (client.conn.writableLength >= maxOut && (packet.qos === 0 || client.clean)) {
      counters.droppedSlowSubscriber++;
      droppedFor.set(client, (droppedFor.get(client) ?? 0) + 1);
      return null;
    }
    counters.messagesOut++;
    return packet;
  };

  aedes.on('clientError', (client, err) => {
    counters.closedForErrors++;
    log(`closed ${who(client as unknown as AedesClient)}: ${err.message}`);
  });
  aedes.on('connectionError', (client, err) => {
    counters.closedForErrors++;
    log(`closed a connection before CONNECT completed (${who(client as unknown as AedesClient)}): ${err.message}`);
  });
  aedes.on('keepaliveTimeout', () => {
    counters.keepaliveTimeouts++;
  });
}
