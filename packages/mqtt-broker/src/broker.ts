// The embedded MQTT broker: aedes 2 (MQTT 3.1, 3.1.1 and 5) behind a TCP listener, an optional TLS listener, and a
// hook the lab uses to hand it WebSocket connections from its own HTTP server (ws://host:3030/mqtt).
// This file composes the parts: limits and hooks (hooks.ts), auth (auth.ts), the ingest gate
// (ingest-gate.ts), the session store (session-store.ts) and observability (observe.ts).
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import { createWebSocketStream, type WebSocket } from 'ws';
import { Authenticator, parseUsersString, readUsersFile } from './auth.ts';
import { coalesceWrites } from './coalesce.ts';
import {
  type MqttBrokerConfigInput,
  type MqttBrokerConfigResolved,
  parseMqttBrokerConfig,
  type UserSpec,
} from './config.ts';
import { MqttBrokerError } from './errors.ts';
import { type FastClient, installFastPublish } from './fast-publish.ts';
import { type AedesClient, droppedFor, installHooks, limitPacketSize } from './hooks.ts';
import { type IngestGate, IngestGateImpl, type IngestGateStats } from './ingest-gate.ts';
import { type MqttCounters, newCounters, prometheusText, TopicTable, type TopicView } from './observe.ts';
import { type LimitedClient, OutboundLimits } from './outbound-limits.ts';
import { installSessionPresent } from './session-present.ts';
import { SessionStore } from './session-store.ts';
import { type MemberClient, SharedSubscriptions, shownFilter } from './shared-subscriptions.ts';
import { startSysTopics } from './sys-topics.ts';

export type MqttBrokerConfig = MqttBrokerConfigInput;

export interface MqttBrokerStats extends MqttCounters {
  clients: number;
  openConnections: number;
  retained: number;
  trackedTopics: number;
  ingest: IngestGateStats;
  journalBytes: number;
  /** Bytes (payload + topic) queued for all persistent sessions. */
  queuedBytes: number;
  /** QoS 1/2 messages not queued: the session held maxQueuedBytesPerClient bytes. */
  droppedQueueBytes: number;
  /** QoS 1/2 messages not queued: all sessions together held maxQueuedBytes. */
  droppedQueueAllBytes: number;
  /** Client PUBLISHes no subscriber could see, acknowledged and completed by the shortcut (fast-publish.ts). */
  shortcutPublishes: number;
}

export interface ClientView {
  id: string;
  address: string | null;
  /** 'in-process': a connector task attached to the ingest gate (its filters are its subscriptions). */
  transport: 'tcp' | 'tls' | 'ws' | 'in-process';
  protocolVersion: number | null;
  session: 'clean' | 'persistent';
  username: string | null;
  connectedSinceMs: number;
  subscriptions: number;
  queued: number;
  /** Deliveries skipped because this subscriber did not keep up. */
  droppedSlow: number;
}

export interface SessionView {
  clientId: string;
  connected: boolean;
  /** Queued QoS 1/2 messages (offline or unacknowledged). */
  queued: number;
}

export interface SubscriptionView {
  clientId: string;
  topic: string;
  qos: number;
}

export interface MqttBroker {
  readonly aedes: Aedes;
  /** The bound TCP port, or null when the TCP listener is disabled. */
  readonly port: number | null;
  /** The bound TLS port, or null when TLS is not configured. */
  readonly tlsPort: number | null;
  readonly ingest: IngestGate & Required<Pick<IngestGate, 'cover' | 'hold' | 'open'>>;
  readonly config: MqttBrokerConfigResolved;
  stats(): MqttBrokerStats;
  clients(): ClientView[];
  subscriptions(limit?: number): SubscriptionView[];
  topics(limit?: number): TopicView[];
  retained(limit?: number): { topic: string; bytes: number; qos: number }[];
  /** Persistent sessions, connected or not, with their queue length. */
  sessions(limit?: number): SessionView[];
  /** Prometheus text exposition (counters and gauges, prefix seaway_mqtt_). */
  prometheus(): string;
  /** Serve one MQTT-over-WebSocket connection accepted by someone else's HTTP server. */
  handleWebSocket(socket: WebSocket, req: IncomingMessage): void;
  close(): Promise<void>;
}

function loadUsers(cfg: MqttBrokerConfigResolved): UserSpec[] {
  const list: UserSpec[] = [];
  if (typeof cfg.users === 'string') list.push(...parseUsersString(cfg.users));
  else if (cfg.users) list.push(...cfg.users);
  if (cfg.usersFile) list.push(...readUsersFile(cfg.usersFile));
  return list;
}

async function listen(srv: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => {
      srv.off('error', reject);
      resolve();
    });
  });
  return (srv.address() as AddressInfo).port;
}

export async function startMqttBroker(input: MqttBrokerConfig): Promise<MqttBroker> {
  const cfg = parseMqttBrokerConfig(input);
  const log = cfg.log ?? (() => {});
  // read certificate files before anything listens, so a bad path leaves nothing behind
  let tlsOpts: { cert: Buffer; key: Buffer; ca?: Buffer } | null = null;
  if (cfg.tls) {
    try {
      tlsOpts = { cert: readFileSync(cfg.tls.certFile), key: readFileSync(cfg.tls.keyFile) };
      if (cfg.tls.caFile) tlsOpts.ca = readFileSync(cfg.tls.caFile);
    } catch (err) {
      throw new MqttBrokerError('SEAWAY_MQTT_TLS', `${(err as Error).message}; check tls.certFile and tls.keyFile`, {
        cause: err,
      });
    }
  }
  const counters = newCounters();
  const auth = new Authenticator(loadUsers(cfg));
  const topics = new TopicTable(cfg.maxTrackedTopics);
  const store = new SessionStore({
    dir: cfg.dataDir,
    fsyncIntervalMs: cfg.fsyncIntervalMs,
    compactBytes: cfg.compactBytes,
    maxQueuedPerClient: cfg.limits.maxQueuedPerClient,
    maxQueuedBytesPerClient: cfg.limits.maxQueuedBytesPerClient,
    maxQueuedBytes: cfg.limits.maxQueuedBytes,
    log,
  });
  const L = cfg.limits;
  const aedes = new Aedes({
    persistence: store as never,
    // no emitter queue: publishers are flow-controlled per connection (ingest-gate.ts, adopt), and
    // aedes' bounded emitter drains its queue recursively (stack overflow with a deep backlog)
    concurrency: 0,
    id: cfg.brokerName,
    connectTimeout: L.connectTimeoutMs,
    drainTimeout: L.drainTimeoutMs,
    maxInflightInbound: L.maxInflightInbound,
    maxTopicLevels: L.maxTopicLevels,
    // MQTT 5, advertised in CONNACK: the packet-size limit (also enforced from the announced length,
    // hooks.ts), inbound topic aliases, the inbound QoS 2 window, keep-alive and session-expiry caps
    maximumPacketSize: L.maxPacketSize,
    topicAliasMaximum: L.topicAliasMaximum,
    receiveMaximum: Math.min(L.maxInflightInbound, 65535),
    keepaliveLimit: L.maxKeepAliveSeconds,
    sessionExpiryIntervalLimit: L.maxSessionExpirySeconds,
    pendingSessionsLimit: L.maxConnections,
  } as never);
  const fast = cfg.fastPublish ? installFastPublish(aedes, () => store.hasPersistentSubscriptions()) : null;
  installSessionPresent(aedes, store);
  const shares = new SharedSubscriptions();
  shares.install(aedes);
  const gate = new IngestGateImpl(cfg.ingestMaxInFlight, log, {
    holdMs: cfg.ingestHoldMs,
    retainedWhere: (matches) => store.retainedWhere(matches) as never,
    maxInFlightPerClient: cfg.ingestMaxInFlightPerClient,
    ...(cfg.ingestHeldAtStart ? { heldAtStart: 'until the stored connectors are loaded' } : {}),
    ...(fast
      ? { release: (client, packet, callback) => fast.release(client as unknown as FastClient, packet, callback) }
      : {}),
  });
  installHooks(aedes, { cfg, auth, gate, fast, counters, topics, log });
  const outbound = new OutboundLimits(counters, L.maxQueuedPerClient);
  outbound.install(aedes, store as never);
  await aedes.listen();

  const meta = new WeakMap<object, { address: string | null; transport: 'tcp' | 'tls' | 'ws'; since: number }>();
  let open = 0;
  const perAddress = new Map<string, number>();
  const sockets = new Set<Duplex>();
  function accept(
    conn: Duplex,
    req: IncomingMessage | undefined,
    address: string | null,
    transport: 'tcp' | 'tls' | 'ws',
  ) {
    if (open >= L.maxConnections) {
      counters.rejectedConnectionLimit++;
      log(`refused a connection from ${address}: maxConnections (${L.maxConnections}) reached`);
      conn.destroy();
      return;
    }
    const fromAddr = address === null ? 0 : (perAddress.get(address) ?? 0);
    if (fromAddr >= L.maxConnectionsPerAddress) {
      counters.rejectedConnectionLimit++;
      log(`refused a connection from ${address}: maxConnectionsPerAddress (${L.maxConnectionsPerAddress}) reached`);
      conn.destroy();
      return;
    }
    if (address !== null) perAddress.set(address, fromAddr + 1);
    open++;
    counters.connectionsTotal++;
    sockets.add(conn);
    conn.once('close', () => {
      open--;
      sockets.delete(conn);
      if (address !== null) {
        const n = (perAddress.get(address) ?? 1) - 1;
        if (n <= 0) perAddress.delete(address);
        else perAddress.set(address, n);
      }
    });
    // writes below maxOutgoingBytes + one packet never report backpressure (see hooks.ts, authorizeForward)
    const ws = (conn as unknown as { _writableState?: { highWaterMark: number } })._writableState;
    if (ws) ws.highWaterMark = L.maxOutgoingBytes + L.maxPacketSize;
    if (cfg.coalesceWrites) coalesceWrites(conn);
    const client = aedes.handle(conn as never, req as never) as unknown as AedesClient;
    meta.set(client, { address, transport, since: Date.now() });
    limitPacketSize(client, L.maxPacketSize, counters, log);
    client._parser.prependListener('packet', SharedSubscriptions.rewrite);
    outbound.adopt(client as unknown as LimitedClient);
    shares.adopt(client as unknown as MemberClient);
    gate.adopt(client);
  }

  const servers: Server[] = [];
  let port: number | null = null;
  let tlsPort: number | null = null;
  try {
    if (cfg.port !== null) {
      // small packets (PUBACKs) must not wait for Nagle's algorithm: with stop-and-wait publishers
      // that meets the peer's delayed ACK and costs tens of milliseconds per message
      // TCP keep-alive finds dead peers of clients that asked for MQTT keep-alive 0
      const srv = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }, (s: Socket) =>
        accept(s, undefined, s.remoteAddress ?? null, 'tcp'),
      );
      servers.push(srv);
      port = await listen(srv, cfg.port, cfg.host);
    }
    if (cfg.tls && tlsOpts) {
      const srv = createTlsServer({ ...tlsOpts, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }, (s) =>
        accept(s, undefined, s.remoteAddress ?? null, 'tls'),
      );
      servers.push(srv);
      tlsPort = await listen(srv, cfg.tls.port, cfg.host);
    }
  } catch (err) {
    // a port in use: leave nothing running behind the error
    for (const srv of servers) srv.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    topics.close();
    await store.destroy();
    throw err;
  }

  const allClients = () => Object.values((aedes as unknown as { clients: Record<string, AedesClient> }).clients);

  const stopSys = startSysTopics(
    (p, done) => aedes.publish(p as never, done),
    {
      counters,
      clients: () => aedes.connectedClients,
      retained: () => store.retainedCount(),
      subscriptions: () => allClients().reduce((n, c) => n + Object.keys(c.subscriptions).length, 0),
      version: `seaway (aedes ${(aedes as unknown as { version?: string }).version ?? '2'})`,
    },
    cfg.sysIntervalSec,
  );

  // connector tasks attached to the gate, one entry per name, listed like MQTT clients
  const inProcessClients = (): ClientView[] => {
    const byName = new Map<string, ClientView>();
    for (const h of gate.attached()) {
      const v = byName.get(h.name);
      if (v) v.subscriptions++;
      else
        byName.set(h.name, {
          id: h.name,
          address: null,
          transport: 'in-process',
          protocolVersion: null,
          session: 'clean',
          username: null,
          connectedSinceMs: h.since,
          subscriptions: 1,
          queued: 0,
          droppedSlow: 0,
        });
    }
    return [...byName.values()];
  };

  const stats = (): MqttBrokerStats => ({
    ...counters,
    droppedQueueFull: store.counters.droppedQueueFull,
    droppedQueueBytes: store.counters.droppedQueueBytes,
    droppedQueueAllBytes: store.counters.droppedQueueAllBytes,
    queuedBytes: store.queuedBytes(),
    clients: aedes.connectedClients,
    openConnections: open,
    retained: store.retainedCount(),
    trackedTopics: topics.size(),
    ingest: gate.stats(),
    journalBytes: store.counters.journalBytes,
    shortcutPublishes: fast?.count ?? 0,
  });

  return {
    aedes,
    port,
    tlsPort,
    ingest: gate,
    config: cfg,
    stats,
    clients: () => [
      ...allClients().map((c) => {
        const m = meta.get(c);
        return {
          id: c.id,
          address: m?.address ?? null,
          transport: m?.transport ?? 'tcp',
          protocolVersion: c.version ?? null,
          session: c.clean ? 'clean' : 'persistent',
          username: auth.usernameOf(c),
          connectedSinceMs: m?.since ?? 0,
          subscriptions: Object.keys(c.subscriptions).length,
          queued: store.queued(c.id),
          droppedSlow: droppedFor.get(c) ?? 0,
        } satisfies ClientView;
      }),
      ...inProcessClients(),
    ],
    subscriptions: (limit = 1000) => {
      const out: SubscriptionView[] = [];
      for (const c of allClients()) {
        for (const [topic, s] of Object.entries(c.subscriptions)) {
          if (out.length >= limit) return out;
          out.push({ clientId: c.id, topic: shownFilter(topic), qos: s.qos });
        }
      }
      for (const h of gate.attached()) {
        if (out.length >= limit) return out;
        out.push({ clientId: h.name, topic: h.filter, qos: 1 });
      }
      return out;
    },
    topics: (limit = 100) => topics.list(limit),
    retained: (limit = 1000) => store.retainedList(limit),
    sessions: (limit = 1000) => {
      const online = (aedes as unknown as { clients: Record<string, AedesClient> }).clients;
      return store.persistentSessions(limit).map((s) => ({ ...s, connected: online[s.clientId] !== undefined }));
    },
    prometheus() {
      const s = stats();
      // shortcutPublishes: QoS 0/1 messages acknowledged without aedes' publish pipeline (fast-publish.ts)
      const all = {
        ...counters,
        droppedQueueFull: s.droppedQueueFull,
        droppedQueueBytes: s.droppedQueueBytes,
        droppedQueueAllBytes: s.droppedQueueAllBytes,
        shortcutPublishes: s.shortcutPublishes,
        // publishers held because they alone had ingestMaxInFlightPerClient messages waiting
        ingestClientHolds: s.ingest.clientHolds,
      };
      return prometheusText(all, {
        clients: s.clients,
        openConnections: s.openConnections,
        retainedMessages: s.retained,
        ingestInFlight: s.ingest.inFlight,
        ingestHeldClients: s.ingest.heldClients,
        queuedBytes: s.queuedBytes,
      });
    },
    handleWebSocket(socket, req) {
      const stream = createWebSocketStream(socket);
      stream.on('error', () => socket.terminate());
      accept(stream, req, req.socket.remoteAddress ?? null, 'ws');
    },
    async close() {
      gate.close();
      stopSys();
      const closing = servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve())));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      topics.close();
      await store.destroy();
    },
  };
}
