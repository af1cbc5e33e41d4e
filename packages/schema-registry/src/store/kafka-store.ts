// RegistryStore over a Kafka topic (default _schemas), via kafkajs, for the embedded broker and real
// clusters alike. The topic is created compacted with one partition (one partition keeps a total
// order, which the registry needs); an existing topic must have 1 partition and a compact policy. Reading: a consumer in a fresh, never-committing group reads
// from the beginning; open() resolves once it reached the high watermark seen at open time.
// Writing: acks=all produce, then wait until the consumer delivered that offset, so every write is
// applied in log order by the same code path that replays the topic after a restart.
// Single writer: two registries writing to one topic at once could both take the same id or version;
// run one writer per topic (followers that only read are fine).

import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { SeawayCode, SeawayRegistryError } from '../errors.ts';
import type { RecordListener, RegistryStore } from './store.ts';

export interface KafkaStoreOptions {
  brokers: string[];
  topic?: string;
  clientId?: string;
  /** How long open() may take to reach the end of the topic. */
  startTimeoutMs?: number;
  /** How long an append may take to be written and read back. */
  writeTimeoutMs?: number;
  /** SASL/PLAIN credentials (the lab's embedded broker with auth on). */
  sasl?: { mechanism: 'plain'; username: string; password: string };
}

interface Waiter {
  offset: bigint;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export function createKafkaStore(o: KafkaStoreOptions): RegistryStore {
  const topic = o.topic ?? '_schemas';
  const startTimeoutMs = o.startTimeoutMs ?? 60_000;
  const writeTimeoutMs = o.writeTimeoutMs ?? 30_000;
  const description = `kafka ${o.brokers.join(',')} topic ${topic}`;
  const kafka = new Kafka({
    clientId: o.clientId ?? 'seaway-schema-registry',
    brokers: o.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
    ...(o.sasl ? { sasl: o.sasl } : {}),
  });
  let admin: Admin | null = null;
  let producer: Producer | null = null;
  let consumer: Consumer | null = null;
  let delivered = -1n;
  let closed = false;
  /** Set when the reader stopped for good: appends fail fast instead of timing out. */
  let failure: SeawayRegistryError | null = null;
  const waiters = new Set<Waiter>();

  function waitFor(offset: bigint, timeoutMs: number, what: string): Promise<void> {
    if (delivered >= offset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        offset,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(w);
          reject(
            new SeawayRegistryError(
              SeawayCode.STORE_WRITE,
              `${what}: offset ${offset} of ${description} was not read back within ${timeoutMs} ms; is the consumer stuck?`,
            ),
          );
        }, timeoutMs),
      };
      waiters.add(w);
    });
  }

  function settle(): void {
    for (const w of waiters)
      if (delivered >= w.offset) {
        clearTimeout(w.timer);
        waiters.delete(w);
        w.resolve();
      }
  }

  async function ensureTopic(a: Admin): Promise<void> {
    const existing = await a.listTopics();
    if (!existing.includes(topic)) {
      await a.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      });
      return;
    }
    const meta = await a.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions !== 1)
      throw new SeawayRegistryError(
        SeawayCode.TOPIC_PARTITIONS,
        `topic ${topic} has ${partitions} partitions; the schema registry needs exactly 1 (create it with --partitions 1 --config cleanup.policy=compact, or choose another topic)`,
      );
    let policy: string | undefined;
    try {
      const cfg = await a.describeConfigs({
        resources: [
          {
            type: 2 /* ConfigResourceTypes.TOPIC (kafkajs is CommonJS) */,
            name: topic,
            configNames: ['cleanup.policy'],
          },
        ],
        includeSynonyms: false,
      });
      policy = cfg.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
    } catch {
      // a broker without DescribeConfigs: nothing to check
    }
    if (policy !== undefined && !policy.split(',').includes('compact'))
      throw new SeawayRegistryError(
        SeawayCode.TOPIC_POLICY,
        `topic ${topic} has cleanup.policy=${policy}; schemas would be deleted by retention. Fix it with: kafka-configs --alter --entity-type topics --entity-name ${topic} --add-config cleanup.policy=compact`,
      );
  }

  return {
    description,
    async open(listener: RecordListener) {
      if (closed)
        throw new SeawayRegistryError(SeawayCode.STORE_CLOSED, `${description} was closed; create a new store`);
      try {
        admin = kafka.admin();
        await admin.connect();
        await ensureTopic(admin);
        const offsets = await admin.fetchTopicOffsets(topic);
        const high = BigInt(offsets[0]?.high ?? '0');
        producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        consumer = kafka.consumer({
          groupId: `seaway-schema-registry-${randomUUID()}`,
          allowAutoTopicCreation: false,
          // bounds how long close() waits for an idle fetch
          maxWaitTimeInMs: 1000,
        });
        consumer.on(consumer.events.CRASH, (e) => {
          if (e.payload.restart) return;
          failure = new SeawayRegistryError(
            SeawayCode.STORE_WRITE,
            `the reader of ${description} stopped: ${e.payload.error.message}; restart the registry`,
            { cause: e.payload.error },
          );
          for (const w of waiters) {
            clearTimeout(w.timer);
            w.reject(failure);
          }
          waiters.clear();
        });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            const offset = BigInt(message.offset);
            // after a consumer restart the fresh group starts over from the beginning: skip what
            // was already applied so the state never steps back
            if (offset <= delivered) return;
            listener(message.key?.toString('utf8') ?? null, message.value?.toString('utf8') ?? null);
            delivered = offset;
            settle();
          },
        });
        await waitFor(high - 1n, startTimeoutMs, 'reading to the end at start');
      } catch (e) {
        if (e instanceof SeawayRegistryError) throw e;
        throw new SeawayRegistryError(
          SeawayCode.STORE_START,
          `could not open ${description}: ${(e as Error).message}; check that Kafka is reachable at ${o.brokers.join(',')}`,
          { cause: e },
        );
      }
    },
    async append(key, value) {
      if (closed || !producer) throw new SeawayRegistryError(SeawayCode.STORE_CLOSED, `${description} is not open`);
      if (failure) throw failure;
      let offset: bigint;
      try {
        const [meta] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
        offset = BigInt(meta?.baseOffset ?? meta?.offset ?? '-1');
      } catch (e) {
        throw new SeawayRegistryError(
          SeawayCode.STORE_WRITE,
          `write to ${description} failed: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
      await waitFor(offset, writeTimeoutMs, 'write');
    },
    async close() {
      closed = true;
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new SeawayRegistryError(SeawayCode.STORE_CLOSED, `${description} closed while waiting`));
      }
      waiters.clear();
      await Promise.allSettled([consumer?.disconnect(), producer?.disconnect(), admin?.disconnect()]);
    },
  };
}
