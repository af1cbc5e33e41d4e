// Broker options: defaults, validation at the edge, then frozen. Bad values fail at start with a
// BrokerError (SEAWAY_BROKER_BAD_CONFIG) that names the option and the fix.

import { BrokerError, BrokerErrorCode } from './errors.ts';
import type { FsyncPolicy } from './log/index.ts';

export interface SaslPlainOptions {
  mechanism: 'PLAIN';
  /** user name -> password */
  users: Record<string, string>;
}

export interface BrokerOptions {
  /** TCP port (0 picks a free one; default 9092). */
  port?: number;
  /** Interface to listen on (default 0.0.0.0). */
  host?: string;
  /** Host name clients are told to connect to (Metadata); default host, or 127.0.0.1 for 0.0.0.0. */
  advertisedHost?: string;
  /** Directory for topics, logs and group offsets; null keeps everything in memory. */
  dataDir?: string | null;
  nodeId?: number;
  clusterId?: string;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  /** Largest request frame accepted; larger ones close the connection (default 100 MiB). */
  maxFrameBytes?: number;
  /** Connections open at once on the Kafka port (default 10000); more are refused at accept. */
  maxConnections?: number;
  /** Connections from one address (max.connections.per.ip; default 1000). */
  maxConnectionsPerAddress?: number;
  /** Close a connection with no traffic and no request in progress after this (connections.max.idle.ms, default 600000). */
  idleTimeoutMs?: number;
  /** Close a connection whose request frame stays incomplete this long (default 30000; slowloris guard). */
  partialFrameTimeoutMs?: number;
  /** Bytes all connections together may hold in unprocessed or partial frames (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Largest record batch accepted (message.max.bytes, default 1048588 like Kafka). */
  messageMaxBytes?: number;
  fsync?: FsyncPolicy;
  groupMinSessionTimeoutMs?: number;
  groupMaxSessionTimeoutMs?: number;
  /** Delay before the first rebalance of an empty group (Kafka default 3000; here 0). */
  groupInitialRebalanceDelayMs?: number;
  /** How often retention and compaction run (log.retention.check.interval.ms, default 300000). */
  retentionCheckIntervalMs?: number;
  sasl?: SaslPlainOptions | null;
  /** Principals ("User:name") that pass every ACL check when SASL is on (super.users); default none. */
  superUsers?: string[];
  /** Where log lines go (default: console.error with a prefix). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export type ResolvedOptions = Readonly<Required<Omit<BrokerOptions, 'sasl'>> & { sasl: SaslPlainOptions | null }>;

function fail(option: string, problem: string): never {
  throw new BrokerError(BrokerErrorCode.BAD_CONFIG, `kafka broker option ${option} ${problem}`);
}

function int(option: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) fail(option, `must be an integer from ${min} to ${max}, got ${v}`);
  return v;
}

export function resolveOptions(o: BrokerOptions = {}): ResolvedOptions {
  const host = o.host ?? '0.0.0.0';
  const resolved = {
    port: int('port', o.port ?? 9092, 0, 65535),
    host,
    advertisedHost: o.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
    dataDir: o.dataDir === undefined ? null : o.dataDir,
    nodeId: int('nodeId', o.nodeId ?? 1, 0, 2 ** 31 - 1),
    clusterId: o.clusterId ?? '',
    autoCreateTopics: o.autoCreateTopics ?? true,
    defaultPartitions: int('defaultPartitions', o.defaultPartitions ?? 1, 1, 100_000),
    maxFrameBytes: int('maxFrameBytes', o.maxFrameBytes ?? 100 * 1024 * 1024, 1024, 2 ** 31 - 1),
    maxConnections: int('maxConnections', o.maxConnections ?? 10_000, 1, 2 ** 31 - 1),
    maxConnectionsPerAddress: int('maxConnectionsPerAddress', o.maxConnectionsPerAddress ?? 1000, 1, 2 ** 31 - 1),
    idleTimeoutMs: int('idleTimeoutMs', o.idleTimeoutMs ?? 600_000, 1000, 2 ** 31 - 1),
    partialFrameTimeoutMs: int('partialFrameTimeoutMs', o.partialFrameTimeoutMs ?? 30_000, 1000, 2 ** 31 - 1),
    maxBufferedBytes: int('maxBufferedBytes', o.maxBufferedBytes ?? 256 * 1024 * 1024, 1024, 2 ** 53),
    messageMaxBytes: int('messageMaxBytes', o.messageMaxBytes ?? 1048588, 1024, 2 ** 31 - 1),
    fsync: o.fsync ?? 'never',
    groupMinSessionTimeoutMs: int('groupMinSessionTimeoutMs', o.groupMinSessionTimeoutMs ?? 6000, 1, 2 ** 31 - 1),
    groupMaxSessionTimeoutMs: int('groupMaxSessionTimeoutMs', o.groupMaxSessionTimeoutMs ?? 1_800_000, 1, 2 ** 31 - 1),
    groupInitialRebalanceDelayMs: int('groupInitialRebalanceDelayMs', o.groupInitialRebalanceDelayMs ?? 0, 0, 600_000),
    retentionCheckIntervalMs: int('retentionCheckIntervalMs', o.retentionCheckIntervalMs ?? 300_000, 10, 2 ** 31 - 1),
    sasl: o.sasl ?? null,
    superUsers: o.superUsers ?? [],
    log: o.log ?? ((level: string, message: string) => console.error(`[kafka-broker] ${level}: ${message}`)),
  };
  if (resolved.dataDir !== null && (typeof resolved.dataDir !== 'string' || resolved.dataDir === '')) {
    fail('dataDir', 'must be a directory path or null (memory)');
  }
  if (resolved.sasl && resolved.sasl.mechanism !== 'PLAIN') fail('sasl.mechanism', 'must be PLAIN');
  if (resolved.maxBufferedBytes < resolved.maxFrameBytes) {
    fail(
      'maxBufferedBytes',
      `must be at least maxFrameBytes (${resolved.maxFrameBytes}), got ${resolved.maxBufferedBytes}`,
    );
  }
  if (resolved.groupMinSessionTimeoutMs > resolved.groupMaxSessionTimeoutMs) {
    fail('groupMinSessionTimeoutMs', 'must not exceed groupMaxSessionTimeoutMs');
  }
  return Object.freeze(resolved);
}
