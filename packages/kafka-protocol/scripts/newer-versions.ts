/**
 * Versions Apache Kafka 4.1 added after the message JSON snapshot in shared/kafka-protocol/message
 * (trunk, Oct 2024), written out by hand from the KIPs and applied to the parsed JSON before it is
 * converted. Each entry raises a message's validVersions and adds the fields the new version brings,
 * at the given struct path ('' = top level), appended after the existing fields as Kafka does.
 *
 * - Metadata v13 (KIP-1102): top-level ErrorCode in the response (REBOOTSTRAP_REQUIRED); the
 *   request is unchanged.
 * - DescribeCluster v2 (KIP-1073): request IncludeFencedBrokers, response Brokers[].IsFenced.
 */

export interface AddedField {
  name: string;
  type: string;
  versions: string;
  ignorable?: boolean;
  default?: string;
}

export interface NewerVersion {
  validVersions: string;
  /** Struct path (field names joined by '.') to the fields the new version adds. */
  add: ReadonlyArray<readonly [path: string, field: AddedField]>;
}

export const NEWER_VERSIONS: Readonly<Record<string, NewerVersion>> = {
  MetadataRequest: { validVersions: '0-13', add: [] },
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
};
