// Reading back what the connector wrote, the way a Confluent Avro consumer would: a real kafkajs
// consumer, magic byte 0 + schema id, the schema fetched from the registry, Avro decode.
import { Kafka, logLevel } from 'kafkajs';
import { avroType } from '../src/converters/avro-types.ts';
import type { RegistryStub } from './registry-stub.ts';

export interface ReadRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export async function readTopic(
  brokers: string,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  // Wait for the records to exist first: subscribing to a topic that is still being auto-created fails.
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = await endOffset(brokers, topic).catch(() => 0);
    if (n >= count) break;
    if (Date.now() > until) throw new Error(`${topic} has ${n} of ${count} records after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const kafka = new Kafka({ clientId: 'bridge-test-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bridge-test-${topic}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  const out: ReadRecord[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`read ${out.length}/${count} records of ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
            out.push({ key: message.key, value: message.value, headers });
            if (out.length >= count) {
              clearTimeout(t);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

export function decodeConfluent(
  buf: Buffer | null,
  registry: RegistryStub,
): { id: number; schema: string; value: unknown } {
  if (buf?.[0] !== 0 || !buf) throw new Error('not Confluent wire format');
  const id = buf.readInt32BE(1);
  const schema = registry.schemaById(id);
  if (!schema) throw new Error(`schema id ${id} is not in the registry`);
  return { id, schema, value: plain(avroType(schema).fromBuffer(buf.subarray(5))) };
}

export async function endOffset(brokers: string, topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'bridge-test-offsets', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offs = await admin.fetchTopicOffsets(topic);
    return offs.reduce((a, p) => a + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** avsc decodes records as class instances; tests compare plain objects. */
function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}
