// startKafkaBroker: open cluster state and group offsets, listen, serve, and close everything in order.

import { createServer, type Server, type Socket } from 'node:net';
import type { KafkaTransport } from '@seaway/kafka-protocol';
import { AclStore } from '../acl/acl-store.ts';
import type { BrokerContext } from '../api/context.ts';
import { ApiRegistry } from '../api/registry.ts';
import { type BrokerOptions, resolveOptions } from '../config.ts';
import { BrokerError, BrokerErrorCode } from '../errors.ts';
import { GroupCoordinator } from '../group/coordinator.ts';
import { BrokerConfigStore } from '../state/broker-configs.ts';
import { ClientMetricsStore } from '../state/client-metrics.ts';
import { ClusterState } from '../state/cluster.ts';
import { FetchSessionCache } from '../state/fetch-sessions.ts';
import { TransactionCoordinator } from '../txn/coordinator.ts';
import { Connection } from './connection.ts';
import { ConnectionLimits, type ConnectionStats } from './limits.ts';
import { localTransport } from './local-transport.ts';

export interface KafkaBroker {
  /** The port listened on (useful with port 0). */
  readonly port: number;
  readonly host: string;
  /** "advertisedHost:port", for clients. */
  readonly bootstrap: string;
  readonly clusterId: string;
  /** An in-process KafkaTransport to this broker (for a producer in the same process; see local-transport.ts). */
  localTransport(clientId?: string): KafkaTransport;
  /** Runs retention and compaction now (they also run every retentionCheckIntervalMs). */
  runLogMaintenance(): Promise<void>;
  /** Connections on the Kafka port and what the limits did (settings: maxConnections, idleTimeoutMs, ...). */
  connectionStats(): ConnectionStats;
  /** Partitions that cannot be fully read ("topic-partition: why"), e.g. a damaged segment found at open. */
  storageProblems(): string[];
  /** Stops listening, closes connections, flushes and closes logs and offsets. */
  close(): Promise<void>;
}

export async function startKafkaBroker(options: BrokerOptions = {}): Promise<KafkaBroker> {
  const opts = resolveOptions(options);
  const registry = new ApiRegistry();
  const cluster = await ClusterState.open(opts);
  const groups = await GroupCoordinator.open(opts, cluster);
  const txns = await TransactionCoordinator.open(opts, cluster, (group, entries) =>
    groups.offsets.commit(group, entries),
  );
  const acls = await AclStore.open(opts.dataDir);
  const clientMetrics = await ClientMetricsStore.open(opts.dataDir);
  const brokerConfigs = await BrokerConfigStore.open(opts.dataDir);
  let port = opts.port;
  const fetchSessions = new FetchSessionCache();
  const broker: BrokerContext = {
    opts,
    cluster,
    groups,
    txns,
    fetchSessions,
    acls,
    clientMetrics,
    brokerConfigs,
    apiVersions: registry.versions(),
    port: () => port,
  };
  const sockets = new Set<Socket>();
  const limits = new ConnectionLimits(opts);
  const server: Server = createServer((socket) => {
    const refused = limits.admit(socket.remoteAddress ?? '?');
    if (refused !== null) {
      opts.log('warn', `refused a connection from ${socket.remoteAddress}: ${refused}`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, broker, registry, limits);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new BrokerError(
          BrokerErrorCode.LISTEN_FAILED,
          `cannot listen on ${opts.host}:${opts.port}: ${e.code ?? e.message}; choose another BROKER_PORT`,
        ),
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  }).catch(async (e) => {
    await txns.close();
    limits.close();
    await groups.close();
    await cluster.close();
    throw e;
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  const retention = setInterval(() => void cluster.maintain(), opts.retentionCheckIntervalMs);
  retention.unref();
  let closing: Promise<void> | undefined;
  opts.log(
    'info',
    `listening on ${opts.host}:${port} (advertised ${opts.advertisedHost}:${port}, data ${opts.dataDir ?? 'in memory'})`,
  );
  return {
    port,
    host: opts.host,
    bootstrap: `${opts.advertisedHost}:${port}`,
    clusterId: cluster.clusterId,
    localTransport: (clientId = 'in-process') => localTransport(broker, registry, clientId),
    runLogMaintenance: () => cluster.maintain(),
    connectionStats: () => ({ ...limits.stats }),
    storageProblems: () => {
      const out: string[] = [];
      for (const t of cluster.topics.values()) {
        for (const p of t.partitions) {
          const why = p.log.storageProblem?.();
          if (why) out.push(`${t.name}-${p.index}: ${why}`);
        }
      }
      return out;
    },
    close() {
      closing ??= (async () => {
        clearInterval(retention);
        limits.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        await txns.close();
        await groups.close();
        await cluster.close();
      })();
      return closing;
    },
  };
}
