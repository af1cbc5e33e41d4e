/**
 * Versions Apache Kafka 4.1 added after the message JSON snapshot in shared/kafka-protocol/message
 * (trunk, Oct 2024), written out by hand from the KIPs and applied to the parsed JSON before it is
 * converted. Each entry raises a message's validVersions and adds the fields the new version brings,
 * at the given struct path ('' = top level), appended after the existing fields as Kafka does.
 *
 * - Metadata v13 (KIP-1102): top-level ErrorCode in the response (REBOOTSTRAP_REQUIRED); the
 *   request is unchanged.
 * - DescribeCluster v2 (KIP-1073): request IncludeFencedBrokers, response Brokers[].IsFenced.
 * - Produce v12 (KIP-890): same layout as v11 (partitions join a transaction implicitly). Produce v13
 *   (KIP-516): topics by TopicId instead of Name, in the request and the response.
 * - Fetch v18 (KIP-1166): tagged HighWatermark (tag 1) in a request partition, for followers; the
 *   response is unchanged.
 * - DescribeGroups v6 (KIP-1043): Groups[].ErrorMessage after ErrorCode; unknown groups answer
 *   GROUP_ID_NOT_FOUND. The request is unchanged.
 * - ListClientMetricsResources v1 (KIP-1142, renamed ListConfigResources): request ResourceTypes
 *   ([]int8: which config resource types to list), response entries gain ResourceType.
 * - AlterPartitionReassignments v1 (KIP-860): AllowReplicationFactorChange (default true) after
 *   TimeoutMs in the request and after ThrottleTimeMs in the response.
 * - TxnOffsetCommit v5 (KIP-890 part 2): same layout as v4; the group joins the transaction implicitly.
 * Layouts checked against the SCHEMAS of kafka-clients 4.1.1 (printed with a throwaway Java program).
 */

export interface AddedField {
  name: string;
  type: string;
  versions: string;
  ignorable?: boolean;
  default?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  /** Insert after this field (default: append), where Kafka's JSON puts the new field. */
  after?: string;
}

export interface NewerVersion {
  validVersions: string;
  /** Struct path (field names joined by '.') to the fields the new version adds. */
  add: ReadonlyArray<readonly [path: string, field: AddedField]>;
  /** Existing fields the new versions drop: their versions become the given range. */
  limit?: ReadonlyArray<readonly [path: string, name: string, versions: string]>;
}

export const NEWER_VERSIONS: Readonly<Record<string, NewerVersion>> = {
  MetadataRequest: { validVersions: '0-13', add: [] },
  AlterPartitionReassignmentsRequest: {
    validVersions: '0-1',
    add: [
      [
        '',
        {
          name: 'AllowReplicationFactorChange',
          type: 'bool',
          versions: '1+',
          default: 'true',
          ignorable: true,
          after: 'TimeoutMs',
        },
      ],
    ],
  },
  AlterPartitionReassignmentsResponse: {
    validVersions: '0-1',
    add: [
      [
        '',
        {
          name: 'AllowReplicationFactorChange',
          type: 'bool',
          versions: '1+',
          default: 'true',
          ignorable: true,
          after: 'ThrottleTimeMs',
        },
      ],
    ],
  },
  ListClientMetricsResourcesRequest: {
    validVersions: '0-1',
    add: [['', { name: 'ResourceTypes', type: '[]int8', versions: '1+' }]],
  },
  ListClientMetricsResourcesResponse: {
    validVersions: '0-1',
    add: [['ClientMetricsResources', { name: 'ResourceType', type: 'int8', versions: '1+' }]],
  },
  MetadataResponse: {
    validVersions: '0-13',
    add: [['', { name: 'ErrorCode', type: 'int16', versions: '13+', ignorable: true }]],
  },
  DescribeClusterRequest: {
    validVersions: '0-2',
    add: [['', { name: 'IncludeFencedBrokers', type: 'bool', versions: '2+' }]],
  },
  DescribeClusterResponse: {
    validVersions: '0-2',
    add: [['Brokers', { name: 'IsFenced', type: 'bool', versions: '2+' }]],
  },
  // KIP-890 part 2: v5 has v4's layout; the group coordinator adds the group to the transaction itself
  TxnOffsetCommitRequest: { validVersions: '0-5', add: [] },
  TxnOffsetCommitResponse: { validVersions: '0-5', add: [] },
  ProduceRequest: {
    validVersions: '0-13',
    add: [['TopicData', { name: 'TopicId', type: 'uuid', versions: '13+', after: 'Name' }]],
    limit: [['TopicData', 'Name', '0-12']],
  },
  ProduceResponse: {
    validVersions: '0-13',
    add: [['Responses', { name: 'TopicId', type: 'uuid', versions: '13+', after: 'Name' }]],
    limit: [['Responses', 'Name', '0-12']],
  },
  FetchRequest: {
    validVersions: '0-18',
    add: [
      [
        'Topics.Partitions',
        {
          name: 'HighWatermark',
          type: 'int64',
          versions: '18+',
          taggedVersions: '18+',
          tag: 1,
          default: '9223372036854775807',
          ignorable: true,
        },
      ],
    ],
  },
  FetchResponse: { validVersions: '0-18', add: [] },
  DescribeGroupsRequest: { validVersions: '0-6', add: [] },
  DescribeGroupsResponse: {
    validVersions: '0-6',
    add: [
      [
        'Groups',
        {
          name: 'ErrorMessage',
          type: 'string',
          versions: '6+',
          nullableVersions: '6+',
          default: 'null',
          ignorable: true,
          after: 'ErrorCode',
        },
      ],
    ],
  },
};
