// The API registry: one module per API in this folder (`NN-name.ts`), each exporting
// { apiKey, minVersion, maxVersion, handle }. The registry throws on duplicate keys; ApiVersions reads
// the served ranges from here, never from a hand-written list.

import type { RequestBody, ResponseInput } from '@seaway/kafka-protocol';
import { BrokerError, BrokerErrorCode } from '../errors.ts';
import * as produce from './00-produce.ts';
import * as fetch from './01-fetch.ts';
import * as listOffsets from './02-list-offsets.ts';
import * as metadata from './03-metadata.ts';
import * as offsetCommit from './08-offset-commit.ts';
import * as offsetFetch from './09-offset-fetch.ts';
import * as findCoordinator from './10-find-coordinator.ts';
import * as joinGroup from './11-join-group.ts';
import * as heartbeat from './12-heartbeat.ts';
import * as leaveGroup from './13-leave-group.ts';
import * as syncGroup from './14-sync-group.ts';
import * as describeGroups from './15-describe-groups.ts';
import * as listGroups from './16-list-groups.ts';
import * as saslHandshake from './17-sasl-handshake.ts';
import * as apiVersions from './18-api-versions.ts';
import * as createTopics from './19-create-topics.ts';
import * as deleteTopics from './20-delete-topics.ts';
import * as deleteRecords from './21-delete-records.ts';
import * as initProducerId from './22-init-producer-id.ts';
import * as offsetForLeaderEpoch from './23-offset-for-leader-epoch.ts';
import * as addPartitionsToTxn from './24-add-partitions-to-txn.ts';
import * as addOffsetsToTxn from './25-add-offsets-to-txn.ts';
import * as endTxn from './26-end-txn.ts';
import * as writeTxnMarkers from './27-write-txn-markers.ts';
import * as txnOffsetCommit from './28-txn-offset-commit.ts';
import * as describeAcls from './29-describe-acls.ts';
import * as createAcls from './30-create-acls.ts';
import * as deleteAcls from './31-delete-acls.ts';
import * as describeConfigs from './32-describe-configs.ts';
import * as alterConfigs from './33-alter-configs.ts';
import * as describeLogDirs from './35-describe-log-dirs.ts';
import * as saslAuthenticate from './36-sasl-authenticate.ts';
import * as createPartitions from './37-create-partitions.ts';
import * as deleteGroups from './42-delete-groups.ts';
import * as electLeaders from './43-elect-leaders.ts';
import * as incrementalAlterConfigs from './44-incremental-alter-configs.ts';
import * as alterPartitionReassignments from './45-alter-partition-reassignments.ts';
import * as listPartitionReassignments from './46-list-partition-reassignments.ts';
import * as offsetDelete from './47-offset-delete.ts';
import * as describeQuorum from './55-describe-quorum.ts';
import * as updateFeatures from './57-update-features.ts';
import * as describeCluster from './60-describe-cluster.ts';
import * as describeProducers from './61-describe-producers.ts';
import * as describeTransactions from './65-describe-transactions.ts';
import * as listTransactions from './66-list-transactions.ts';
import * as consumerGroupHeartbeat from './68-consumer-group-heartbeat.ts';
import * as consumerGroupDescribe from './69-consumer-group-describe.ts';
import * as listConfigResources from './74-list-config-resources.ts';
import * as describeTopicPartitions from './75-describe-topic-partitions.ts';
import type { CLOSE_CONNECTION, NO_RESPONSE, RequestContext } from './context.ts';

type Answer<K extends number> = ResponseInput<K> | typeof NO_RESPONSE | typeof CLOSE_CONNECTION;

export interface ApiModule<K extends number = number> {
  readonly apiKey: K;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: RequestBody<K>, ctx: RequestContext): Answer<K> | Promise<Answer<K>>;
}

export const ALL_APIS: ReadonlyArray<ApiModule<number>> = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeAcls,
  createAcls,
  deleteAcls,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  saslAuthenticate,
  createPartitions,
  deleteGroups,
  electLeaders,
  incrementalAlterConfigs,
  alterPartitionReassignments,
  listPartitionReassignments,
  offsetDelete,
  describeQuorum,
  updateFeatures,
  describeCluster,
  describeProducers,
  describeTransactions,
  listTransactions,
  consumerGroupHeartbeat,
  consumerGroupDescribe,
  listConfigResources,
  describeTopicPartitions,
] as unknown as ApiModule<number>[];

export class ApiRegistry {
  readonly #byKey: Array<ApiModule | undefined> = [];

  constructor(modules: ReadonlyArray<ApiModule> = ALL_APIS) {
    for (const m of modules) {
      if (this.#byKey[m.apiKey] !== undefined) {
        throw new BrokerError(BrokerErrorCode.DUPLICATE_API, `api key ${m.apiKey} is registered twice`);
      }
      this.#byKey[m.apiKey] = m;
    }
  }

  get(apiKey: number): ApiModule | undefined {
    return apiKey >= 0 ? this.#byKey[apiKey] : undefined;
  }

  /** Served ranges ascending by api key, for ApiVersions. */
  versions(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
    return this.#byKey
      .filter((m): m is ApiModule => m !== undefined)
      .map((m) => ({ apiKey: m.apiKey, minVersion: m.minVersion, maxVersion: m.maxVersion }));
  }
}
