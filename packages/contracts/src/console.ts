// Shapes of the console's own APIs on the lab server (packages/lab/src/console-api): connection
// strings, topic detail, the bounded message browser, produce, topic admin, consumer groups, MQTT.
import { z } from 'zod';

/** GET /api/connection-info: what users paste into their clients. null means the service is disabled. */
export const ConnectionInfo = z.object({
  kafkaBootstrap: z.string(),
  mqttUrl: z.string().nullable(),
  mqttWebSocketUrl: z.string().nullable(),
  schemaRegistryUrl: z.string().nullable(),
  connectUrl: z.string().nullable(),
  consoleUrl: z.string(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const PartitionDetail = z.object({
  partition: z.number().int().nonnegative(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  /** Log start offset. */
  low: z.string(),
  /** High watermark (the next offset to be written). */
  high: z.string(),
  /** Bytes on disk of the leader's copy (DescribeLogDirs), when known. */
  bytes: z.number().int().nonnegative().optional(),
});
export type PartitionDetail = z.infer<typeof PartitionDetail>;

export const TopicConfigEntry = z.object({
  name: z.string(),
  value: z.string().nullable(),
  isDefault: z.boolean(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
});
export type TopicConfigEntry = z.infer<typeof TopicConfigEntry>;

/** GET /api/topics/:name */
export const TopicDetail = z.object({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.array(PartitionDetail),
  records: z.number().int().nonnegative(),
  /** Bytes on disk over all partitions (leader copies), when known. */
  bytes: z.number().int().nonnegative().optional(),
  configs: z.array(TopicConfigEntry),
  /** Consumer groups with committed offsets on this topic, with lag per partition. */
  consumerGroups: z.array(z.object({ groupId: z.string(), state: z.string(), lag: z.number().int().nonnegative() })),
});
export type TopicDetail = z.infer<typeof TopicDetail>;

/** One header; the value is base64 since Kafka headers are bytes. */
export const MessageHeader = z.object({ key: z.string(), value: z.string().nullable() });
export type MessageHeader = z.infer<typeof MessageHeader>;

export const TopicMessage = z.object({
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  /** Milliseconds since epoch, as Kafka stores it. */
  timestamp: z.number(),
  /** base64 of the key bytes, null for a null key. */
  key: z.string().nullable(),
  /** base64 of the value bytes, null for a tombstone. */
  value: z.string().nullable(),
  headers: z.array(MessageHeader),
  /** Size of key + value in bytes. */
  size: z.number().int().nonnegative(),
});
export type TopicMessage = z.infer<typeof TopicMessage>;

export const ScanStop = z.enum(['limit', 'end', 'timeout', 'empty']);
export type ScanStop = z.infer<typeof ScanStop>;

/** GET /api/topics/:name/messages?partition&offset|timestamp|newest&limit&timeoutMs */
export const MessagesResponse = z.object({
  topic: z.string(),
  messages: z.array(TopicMessage),
  /** Why the scan ended: enough messages, reached the high watermark, ran out of time, nothing to read. */
  stoppedBy: ScanStop,
  elapsedMs: z.number().nonnegative(),
  /** Where each partition's read started, and its high watermark when the scan began. */
  partitions: z.array(z.object({ partition: z.number().int(), start: z.string(), high: z.string() })),
});
export type MessagesResponse = z.infer<typeof MessagesResponse>;

export const ScanLimits = { maxLimit: 1000, defaultLimit: 100, maxTimeoutMs: 30_000, defaultTimeoutMs: 5_000 };

/** POST /api/topics/:name/messages. Values are text unless encoding says base64. */
export const ProduceRequest = z.object({
  partition: z.number().int().nonnegative().optional(),
  key: z.string().nullable().optional(),
  value: z.string().nullable(),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
  headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).default([]),
});
export type ProduceRequest = z.input<typeof ProduceRequest>;

export const ProduceResponse = z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() });
export type ProduceResponse = z.infer<typeof ProduceResponse>;

/** POST /api/topics */
export const CreateTopicRequest = z.object({
  name: z
    .string()
    .min(1)
    .max(249)
    .regex(/^[a-zA-Z0-9._-]+$/, 'topic names use letters, digits, ".", "_" and "-"'),
  partitions: z.number().int().min(1).max(1000).default(1),
  replicationFactor: z.number().int().min(1).max(32).default(1),
  configs: z.record(z.string(), z.string()).default({}),
});
export type CreateTopicRequest = z.input<typeof CreateTopicRequest>;

/**
 * PUT /api/topics/:name/configs: IncrementalAlterConfigs SET for `set`, DELETE (back to the default)
 * for `delete`; the broker validates. Answers the topic's configs after the change.
 */
export const TopicConfigChange = z.object({
  set: z.record(z.string().min(1), z.string()).default({}),
  delete: z.array(z.string().min(1)).default([]),
  validateOnly: z.boolean().default(false),
});
export type TopicConfigChange = z.input<typeof TopicConfigChange>;

/** POST /api/topics/:name/partitions: grow the topic to `count` partitions (Kafka never shrinks one). */
export const AddPartitionsRequest = z.object({ count: z.number().int().min(1).max(10_000) });
export type AddPartitionsRequest = z.infer<typeof AddPartitionsRequest>;

/**
 * POST /api/topics/:name/purge: delete the records before `beforeOffset` (DeleteRecords) on the given
 * partitions (all when absent); without `beforeOffset`, everything up to the high watermark.
 */
export const PurgeRequest = z.object({
  partitions: z.array(z.number().int().nonnegative()).optional(),
  beforeOffset: z.string().regex(/^\d+$/, 'an offset is a non-negative whole number').optional(),
});
export type PurgeRequest = z.infer<typeof PurgeRequest>;

export const PurgeResponse = z.object({
  topic: z.string(),
  /** Each purged partition's log start offset afterwards. */
  partitions: z.array(z.object({ partition: z.number().int(), low: z.string() })),
});
export type PurgeResponse = z.infer<typeof PurgeResponse>;

export const GroupPartitionLag = z.object({
  topic: z.string(),
  partition: z.number().int(),
  /** Committed offset, or null when the group has none for this partition. */
  committed: z.string().nullable(),
  high: z.string(),
  lag: z.number().int().nonnegative(),
});
export type GroupPartitionLag = z.infer<typeof GroupPartitionLag>;

export const ConsumerGroup = z.object({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  members: z.array(
    z.object({
      memberId: z.string(),
      clientId: z.string(),
      host: z.string(),
      assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
    }),
  ),
  offsets: z.array(GroupPartitionLag),
  totalLag: z.number().int().nonnegative(),
  /** The lab's own groups (schema registry and Connect store readers): hidden unless asked for. */
  internal: z.boolean().default(false),
});
export type ConsumerGroup = z.infer<typeof ConsumerGroup>;

/**
 * POST /api/consumer-groups/:id/reset-offsets, as kafka-consumer-groups --reset-offsets: to the
 * earliest or latest offset, the first offset at or after a timestamp (ms), an absolute offset, or
 * shifted by N from the committed one; clamped to the partition's range. dryRun answers the new
 * positions without writing them (kafka-consumer-groups' default). The group must have no members.
 */
export const ResetOffsetsRequest = z.object({
  topic: z.string().min(1).max(249),
  to: z.enum(['earliest', 'latest', 'timestamp', 'offset', 'shift']),
  /** Timestamp in ms for "timestamp", the offset for "offset", N (may be negative) for "shift". */
  value: z.number().int().optional(),
  /** Partitions to reset; every partition of the topic when absent. */
  partitions: z.array(z.number().int().nonnegative()).optional(),
  dryRun: z.boolean().default(true),
});
export type ResetOffsetsRequest = z.input<typeof ResetOffsetsRequest>;

export const ResetOffsetsResponse = z.object({
  groupId: z.string(),
  topic: z.string(),
  dryRun: z.boolean(),
  partitions: z.array(z.object({ partition: z.number().int(), current: z.string().nullable(), next: z.string() })),
});
export type ResetOffsetsResponse = z.infer<typeof ResetOffsetsResponse>;

/** GET /api/consumer-groups */
export const ConsumerGroupsResponse = z.object({ groups: z.array(ConsumerGroup) });
export type ConsumerGroupsResponse = z.infer<typeof ConsumerGroupsResponse>;

export const MqttClientInfo = z.object({
  id: z.string(),
  address: z.string().nullable().optional(),
  transport: z.string().optional(),
  protocolVersion: z.number().nullable().optional(),
  session: z.string().optional(),
  username: z.string().nullable().optional(),
  connectedSinceMs: z.number().optional(),
  subscriptions: z.number().int().nonnegative().optional(),
  queued: z.number().int().nonnegative().optional(),
});
export type MqttClientInfo = z.infer<typeof MqttClientInfo>;

/** GET /api/mqtt: the embedded broker's counters, and its detail views when the broker offers them. */
export const MqttSummary = z.object({
  enabled: z.boolean(),
  clients: z.number().int().nonnegative(),
  messagesIn: z.number().int().nonnegative(),
  bytesIn: z.number().int().nonnegative(),
  messagesOut: z.number().int().nonnegative().optional(),
  /** Whether POST /api/mqtt/publish works. */
  canPublish: z.boolean().optional(),
  clientList: z.array(MqttClientInfo).optional(),
  subscriptions: z.array(z.object({ clientId: z.string(), topic: z.string(), qos: z.number().int() })).optional(),
  topics: z
    .array(
      z.object({
        topic: z.string(),
        messages: z.number().nonnegative(),
        bytes: z.number().nonnegative(),
        rate: z.number().nonnegative(),
        lastSeenMs: z.number(),
      }),
    )
    .optional(),
  retained: z.array(z.object({ topic: z.string(), bytes: z.number().nonnegative(), qos: z.number().int() })).optional(),
});
export type MqttSummary = z.infer<typeof MqttSummary>;

/** POST /api/mqtt/publish: a test message into the embedded broker (payload as UTF-8 text). */
export const MqttPublishRequest = z.object({
  topic: z
    .string()
    .min(1)
    .max(65535)
    .refine((t) => !/[+#]/.test(t), 'a topic to publish to has no wildcards (+ or #)'),
  payload: z.string().max(1024 * 1024),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  retain: z.boolean().default(false),
});
export type MqttPublishRequest = z.input<typeof MqttPublishRequest>;
