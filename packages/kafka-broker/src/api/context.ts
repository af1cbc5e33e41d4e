// What every API handler receives: the broker's state, the request header and the connection.
// A handler returns the response body (plain object, missing fields default), NO_RESPONSE (Produce
// with acks=0) or CLOSE_CONNECTION, possibly after waiting (long-poll Fetch, JoinGroup).

import type { RequestHeader } from '@seaway/kafka-protocol';
import type { AclStore } from '../acl/acl-store.ts';
import type { ResolvedOptions } from '../config.ts';
import type { GroupCoordinator } from '../group/coordinator.ts';
import type { BrokerConfigStore } from '../state/broker-configs.ts';
import type { ClientMetricsStore } from '../state/client-metrics.ts';
import type { ClusterState } from '../state/cluster.ts';
import type { FetchSessionCache } from '../state/fetch-sessions.ts';
import type { TransactionCoordinator } from '../txn/coordinator.ts';

export const NO_RESPONSE = Symbol('no response');
/** Answer nothing and close the connection (Produce acks=0 that failed: the client must notice). */
export const CLOSE_CONNECTION = Symbol('close connection');

export interface ConnectionInfo {
  readonly remote: string;
  /** Set when SASL authentication succeeded. */
  principal: string | null;
  /** SaslHandshake chose this mechanism. */
  saslMechanism: string | null;
  /** Handshake v0: the next frame is a raw SASL token. */
  rawSaslNext: boolean;
  readonly closed: boolean;
  /** Resolves when the connection closes (long polls stop waiting). */
  readonly closedSignal: AbortSignal;
}

export interface BrokerContext {
  readonly opts: ResolvedOptions;
  readonly cluster: ClusterState;
  readonly groups: GroupCoordinator;
  readonly txns: TransactionCoordinator;
  readonly fetchSessions: FetchSessionCache;
  /** ACLs (CreateAcls/DescribeAcls/DeleteAcls), enforced by ../acl/authorizer.ts when SASL is on. */
  readonly acls: AclStore;
  /** Client metrics subscriptions (config resource type 16). */
  readonly clientMetrics: ClientMetricsStore;
  /** Dynamic broker configs (config resource type 4: this node's and the cluster-wide defaults). */
  readonly brokerConfigs: BrokerConfigStore;
  /** The port actually listened on (port 0 resolves at start). */
  port(): number;
  /** Api keys and version ranges served, ascending by key (ApiVersions). */
  readonly apiVersions: ReadonlyArray<{ apiKey: number; minVersion: number; maxVersion: number }>;
}

export interface RequestContext {
  readonly broker: BrokerContext;
  readonly header: RequestHeader;
  readonly version: number;
  readonly connection: ConnectionInfo;
}
