// Topic and broker configuration keys with Kafka's defaults (Kafka 4.1 documentation), used by
// DescribeConfigs, CreateTopics, AlterConfigs and IncrementalAlterConfigs. Values are strings, as on the
// wire. Only the keys listed here are accepted; anything else is INVALID_CONFIG, as Kafka answers.

/** Kafka's ConfigType values in DescribeConfigs v3+. */
export const ConfigType = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;

export interface ConfigDef {
  default: string | null;
  type: number;
  doc: string;
}

const { BOOLEAN, STRING, INT, LONG, DOUBLE, LIST } = ConfigType;
const MAX_LONG = '9223372036854775807';

export const TOPIC_CONFIGS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { default: 'delete', type: LIST, doc: 'delete or compact (or both)' },
  'compression.type': {
    default: 'producer',
    type: STRING,
    doc: 'Final compression type; producer keeps batches as sent',
  },
  'compression.gzip.level': { default: '-1', type: INT, doc: 'gzip level when compression.type is gzip' },
  'compression.lz4.level': { default: '9', type: INT, doc: 'lz4 level when compression.type is lz4' },
  'compression.zstd.level': { default: '3', type: INT, doc: 'zstd level when compression.type is zstd' },
  'delete.retention.ms': { default: '86400000', type: LONG, doc: 'How long tombstones are kept in compacted topics' },
  'file.delete.delay.ms': { default: '60000', type: LONG, doc: 'Delay before a deleted segment file is removed' },
  'flush.messages': { default: MAX_LONG, type: LONG, doc: 'Force an fsync after this many messages' },
  'flush.ms': { default: MAX_LONG, type: LONG, doc: 'Force an fsync after this many milliseconds' },
  'index.interval.bytes': { default: '4096', type: INT, doc: 'Bytes between offset index entries' },
  'max.compaction.lag.ms': { default: MAX_LONG, type: LONG, doc: 'Longest time a message stays uncompacted' },
  'max.message.bytes': { default: '1048588', type: INT, doc: 'Largest record batch size allowed' },
  'message.timestamp.after.max.ms': { default: MAX_LONG, type: LONG, doc: 'Allowed future timestamp skew' },
  'message.timestamp.before.max.ms': { default: MAX_LONG, type: LONG, doc: 'Allowed past timestamp skew' },
  'message.timestamp.type': { default: 'CreateTime', type: STRING, doc: 'CreateTime or LogAppendTime' },
  'min.cleanable.dirty.ratio': { default: '0.5', type: DOUBLE, doc: 'Dirty ratio that triggers compaction' },
  'min.compaction.lag.ms': { default: '0', type: LONG, doc: 'Shortest time a message stays uncompacted' },
  'min.insync.replicas': { default: '1', type: INT, doc: 'Replicas that must acknowledge acks=all' },
  preallocate: { default: 'false', type: BOOLEAN, doc: 'Preallocate segment files' },
  'retention.bytes': { default: '-1', type: LONG, doc: 'Largest partition size before old segments are deleted' },
  'retention.ms': { default: '604800000', type: LONG, doc: 'Longest time a segment is kept' },
  'segment.bytes': { default: '1073741824', type: INT, doc: 'Segment file size' },
  'segment.index.bytes': { default: '10485760', type: INT, doc: 'Offset index size' },
  'segment.jitter.ms': { default: '0', type: LONG, doc: 'Random jitter subtracted from segment.ms' },
  'segment.ms': { default: '604800000', type: LONG, doc: 'Time after which a segment rolls' },
  'unclean.leader.election.enable': { default: 'false', type: BOOLEAN, doc: 'Allow out-of-sync replicas to lead' },
  'message.downconversion.enable': { default: 'true', type: BOOLEAN, doc: 'Down-convert for old consumers' },
  'local.retention.bytes': { default: '-2', type: LONG, doc: 'Local retention with tiered storage' },
  'local.retention.ms': { default: '-2', type: LONG, doc: 'Local retention with tiered storage' },
  'remote.storage.enable': { default: 'false', type: BOOLEAN, doc: 'Tiered storage' },
  'follower.replication.throttled.replicas': { default: '', type: LIST, doc: 'Throttled follower replicas' },
  'leader.replication.throttled.replicas': { default: '', type: LIST, doc: 'Throttled leader replicas' },
};

/** Broker configs DescribeConfigs reports (static; AlterConfigs on the broker is rejected). */
export function brokerConfigs(o: {
  nodeId: number;
  port: number;
  advertisedHost: string;
  dataDir: string | null;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  messageMaxBytes: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupInitialRebalanceDelayMs: number;
}): Record<string, { value: string | null; type: number; isDefault: boolean }> {
  const s = (value: string | null, type: number, isDefault = false) => ({ value, type, isDefault });
  return {
    'node.id': s(String(o.nodeId), INT),
    'broker.id': s(String(o.nodeId), INT),
    'process.roles': s('broker,controller', LIST),
    listeners: s(`PLAINTEXT://:${o.port}`, LIST),
    'advertised.listeners': s(`PLAINTEXT://${o.advertisedHost}:${o.port}`, LIST),
    'log.dirs': s(o.dataDir ?? '(memory)', STRING),
    'auto.create.topics.enable': s(String(o.autoCreateTopics), BOOLEAN, o.autoCreateTopics),
    'num.partitions': s(String(o.defaultPartitions), INT, o.defaultPartitions === 1),
    'default.replication.factor': s('1', INT, true),
    'offsets.topic.replication.factor': s('1', SHORT_TYPE),
    'transaction.state.log.replication.factor': s('1', SHORT_TYPE),
    'message.max.bytes': s(String(o.messageMaxBytes), INT, o.messageMaxBytes === 1048588),
    'log.retention.hours': s('168', INT, true),
    'log.retention.bytes': s('-1', LONG, true),
    'log.segment.bytes': s('1073741824', INT, true),
    'log.cleanup.policy': s('delete', LIST, true),
    'min.insync.replicas': s('1', INT, true),
    'group.min.session.timeout.ms': s(String(o.groupMinSessionTimeoutMs), INT),
    'group.max.session.timeout.ms': s(String(o.groupMaxSessionTimeoutMs), INT),
    'group.initial.rebalance.delay.ms': s(String(o.groupInitialRebalanceDelayMs), INT),
    'delete.topic.enable': s('true', BOOLEAN, true),
    'compression.type': s('producer', STRING, true),
  };
}

const SHORT_TYPE = ConfigType.SHORT;

/** Lower bounds the logs need (segment.bytes: the FileLog minimum, smaller than Kafka's 1 MiB). */
const MINIMUM: Readonly<Record<string, number>> = { 'segment.bytes': 1024, 'segment.ms': 1 };

/** Checks a topic config value; returns an error message or undefined. */
export function validateTopicConfig(name: string, value: string | null): string | undefined {
  const def = TOPIC_CONFIGS[name];
  if (!def) return `unknown topic config ${name}`;
  if (value === null) return undefined; // reset to default
  switch (def.type) {
    case BOOLEAN:
      return value === 'true' || value === 'false' ? undefined : `${name} must be true or false`;
    case INT:
    case LONG: {
      if (!/^-?\d+$/.test(value)) return `${name} must be an integer`;
      const min = MINIMUM[name];
      return min !== undefined && Number(value) < min ? `${name} must be at least ${min}` : undefined;
    }
    case DOUBLE:
      return Number.isFinite(Number(value)) ? undefined : `${name} must be a number`;
    default:
      if (name === 'cleanup.policy' && !/^(delete|compact)(,\s*(delete|compact))?$|^$/.test(value)) {
        return 'cleanup.policy must be delete, compact or both';
      }
      if (name === 'message.timestamp.type' && value !== 'CreateTime' && value !== 'LogAppendTime') {
        return 'message.timestamp.type must be CreateTime or LogAppendTime';
      }
      return undefined;
  }
}
