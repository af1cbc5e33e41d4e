// DescribeQuorum (key 55), versions 0-2, answered truthfully for one node: the KRaft-style quorum
// of the metadata partition __cluster_metadata-0 has one voter, this node, which leads it at epoch 1
// and has no observers. This broker keeps its metadata in <dataDir>/cluster.json, not in a log, so
// the metadata log's high watermark and the voter's log end offset are 0 and its lag is 0.
// Timestamps (v1+): the leader's own lastFetch/lastCaughtUp are "now", as Kafka reports for its leader.
// v1: lastFetchTimestamp, lastCaughtUpTimestamp. v2: flexible tagged errorMessage fields, voters'
// replicaDirectoryId (the zero uuid, as a single-directory Kafka reports), nodes with their
// listeners: this broker's one listener, named PLAINTEXT, serves as the controller endpoint.
// Any other topic or partition: UNKNOWN_TOPIC_OR_PARTITION for that partition.
// Authorization (SASL on): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED (top level).

import { ErrorCode, type RequestBody, ZERO_UUID } from '@seaway/kafka-protocol';
import { authorizeCluster, Operation } from '../acl/authorizer.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 55;
export const minVersion = 0;
export const maxVersion = 2;

const METADATA_TOPIC = '__cluster_metadata';

export function handle(req: RequestBody<55>, ctx: RequestContext) {
  const { opts } = ctx.broker;
  if (!authorizeCluster(ctx, Operation.DESCRIBE)) {
    return { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, topics: [], nodes: [] };
  }
  const now = BigInt(Date.now());
  const topics = req.topics.map((t) => ({
    topicName: t.topicName,
    partitions: t.partitions.map((p) => {
      if (t.topicName !== METADATA_TOPIC || p.partitionIndex !== 0) {
        return {
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: 'This server does not host this topic-partition.',
          leaderId: 0,
          leaderEpoch: 0,
          highWatermark: 0n,
          currentVoters: [],
          observers: [],
        };
      }
      return {
        partitionIndex: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        leaderId: opts.nodeId,
        leaderEpoch: 1,
        highWatermark: 0n,
        currentVoters: [
          {
            replicaId: opts.nodeId,
            replicaDirectoryId: ZERO_UUID,
            logEndOffset: 0n,
            lastFetchTimestamp: ctx.version >= 1 ? now : -1n,
            lastCaughtUpTimestamp: ctx.version >= 1 ? now : -1n,
          },
        ],
        observers: [],
      };
    }),
  }));
  const nodes =
    ctx.version >= 2
      ? [
          {
            nodeId: opts.nodeId,
            listeners: [{ name: 'PLAINTEXT', host: opts.advertisedHost, port: ctx.broker.port() }],
          },
        ]
      : [];
  return { errorCode: ErrorCode.NONE, errorMessage: null, topics, nodes };
}
