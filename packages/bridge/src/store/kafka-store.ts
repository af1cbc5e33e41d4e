// The ConnectStore in Kafka: connector configs and target states in a compacted config topic
// (default connect-configs), statuses in a compacted status topic (default connect-status), so they
// survive restarts and work against any Kafka (real or embedded). Topics are created on first use
// (1 partition for configs as Kafka Connect requires, cleanup.policy=compact). load() replays the
// config topic from the beginning up to its end offset with a throwaway consumer group; a record it
// cannot parse is skipped with a log line naming its offset, never a failed start.
import { randomBytes } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import { applyConfigRecord, type ConnectStore, type StoredConnector } from './store.ts';
import { isLeadershipError, leadersOf, topicOffsets } from './topic-offsets.ts';

export interface KafkaStoreOptions {
  kafka: Kafka;
  producer: Producer;
  configTopic?: string;
  statusTopic?: string;
  replicationFactor?: number;
  /** Where load() says what it could not use (a damaged record, a connector whose config is gone). */
  log?: (line: string) => void;
  /** Tag every record with header seaway.writer=<this> (a cluster worker skips its own config records). */
  writer?: string;
}

/** Creates the compacted topic unless it exists (a concurrent creation by another worker is fine). */
export async function ensureTopic(
  admin: Admin,
  topic: string,
  partitions: number,
  rf: number | undefined,
): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          ...(rf ? { replicationFactor: rf } : {}),
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
  } catch (e) {
    if (/already exists/i.test((e as Error).message)) return;
    // a multi-broker Kafka may answer the create's leader wait before every broker knows the topic
    if (!isLeadershipError(e)) throw e;
    await leadersOf(admin, topic);
  }
}

/** The JSON of a record value, null for a tombstone, undefined when it does not parse. */
function parseRecord(value: Buffer | null): unknown {
  if (value === null) return null;
  try {
    const v = JSON.parse(value.toString()) as unknown;
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function kafkaStore(o: KafkaStoreOptions): Promise<ConnectStore> {
  const log = o.log ?? (() => {});
  const configTopic = o.configTopic ?? 'connect-configs';
  const statusTopic = o.statusTopic ?? 'connect-status';
  const admin = o.kafka.admin();
  try {
    await admin.connect();
    await ensureTopic(admin, configTopic, 1, o.replicationFactor);
    await ensureTopic(admin, statusTopic, 5, o.replicationFactor);
  } catch (e) {
    await admin.disconnect().catch(() => {});
    throw new BridgeError(
      BridgeErrorCodes.STORE,
      `cannot prepare the Connect topics ${configTopic}/${statusTopic}: ${(e as Error).message}`,
      undefined,
      { cause: e },
    );
  }
  // One send is one record batch, and a batch is appended whole or not at all: records that must
  // not be split by a crash (a connector's two tombstones) go in one call.
  const write = async (topic: string, ...records: Array<[key: string, value: unknown]>) => {
    await o.producer.send({
      topic,
      acks: -1,
      messages: records.map(([key, value]) => ({
        key,
        value: value === null ? null : JSON.stringify(value),
        ...(o.writer ? { headers: { 'seaway.writer': o.writer } } : {}),
      })),
    });
  };

  return {
    async load() {
      const map = new Map<string, StoredConnector>();
      const offsets = await topicOffsets(admin, configTopic);
      const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
      const starts = new Map(offsets.map((p) => [p.partition, BigInt(p.low)]));
      const targets = new Set<string>();
      const configured = new Set<string>(); // names with a config record or its tombstone
      const todo = new Set([...ends].filter(([p, h]) => h > (starts.get(p) ?? 0n)).map(([p]) => p));
      if (todo.size === 0) return map;
      const consumer = o.kafka.consumer({
        groupId: `seaway-connect-load-${randomBytes(6).toString('hex')}`,
        sessionTimeout: 10_000,
      });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: configTopic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              eachMessage: async ({ partition, message }) => {
                const key = message.key?.toString() ?? '';
                const value = parseRecord(message.value);
                if (value === undefined) {
                  log(
                    `connect store: ${configTopic} partition ${partition} offset ${message.offset} (key ${JSON.stringify(key)}) is not valid JSON; skipped, the connector keeps its earlier record if there is one`,
                  );
                } else {
                  applyConfigRecord(map, key, value);
                  if (key.startsWith('target-state-')) targets.add(key.slice('target-state-'.length));
                  if (key.startsWith('connector-')) configured.add(key.slice('connector-'.length));
                }
                if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) {
                  todo.delete(partition);
                  if (todo.size === 0) resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      // A target state is written after its connector's config: one without a config means the
      // config record was lost (a damaged or truncated log), so the connector will not start.
      for (const name of targets) {
        if (!configured.has(name)) {
          log(
            `connect store: ${configTopic} has a target state for connector "${name}" but no config; its config record is lost (damaged log?) and it will not run: create it again`,
          );
        }
      }
      return map;
    },
    putConfig: (name, config, target) =>
      write(
        configTopic,
        [`connector-${name}`, { properties: config }],
        ...(target ? [[`target-state-${name}`, { state: target }] as [string, unknown]] : []),
      ),
    putTarget: (name, target) => write(configTopic, [`target-state-${name}`, { state: target }]),
    remove: (name) => write(configTopic, [`connector-${name}`, null], [`target-state-${name}`, null]),
    putStatus: (key, status) => write(statusTopic, [`status-${key}`, status]),
    putRestart: (name, includeTasks, onlyFailed) =>
      write(configTopic, [`restart-connector-${name}`, { 'include-tasks': includeTasks, 'only-failed': onlyFailed }]),
    async close() {
      await admin.disconnect();
    },
  };
}
