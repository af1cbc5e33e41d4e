// SAMPLEDATA: preload sea_vessel_position_reports as fast-data-dev does (3 partitions, key {MMSI},
// fast-data-dev's Avro schemas registered as <topic>-key and <topic>-value, Confluent framing),
// with positions from the fleet simulator. Runs once per Kafka: a topic that exists is left alone.
import type { Kafka } from 'kafkajs';

export const SAMPLE_RECORDS = 10_000;

async function register(registryUrl: string, subject: string, schema: unknown): Promise<number> {
  const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  if (!res.ok) throw new Error(`registering ${subject} failed: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: number }).id;
}

/** Returns the number of records written, or 0 when the topic was there already. */
export async function preloadSampleData(kafka: Kafka, registryUrl: string, n = SAMPLE_RECORDS): Promise<number> {
  const { confluentFrame, sampleVesselPositions } = await import('@seaway/ais');
  const data = sampleVesselPositions(n);
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(data.topic)) return 0;
    await admin.createTopics({ topics: [{ topic: data.topic, numPartitions: data.partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const keyId = await register(registryUrl, `${data.topic}-key`, data.keySchema);
  const valueId = await register(registryUrl, `${data.topic}-value`, data.valueSchema);
  const producer = kafka.producer();
  await producer.connect();
  let written = 0;
  try {
    let batch: { key: Buffer; value: Buffer; timestamp: string }[] = [];
    const flush = async () => {
      await producer.send({ topic: data.topic, acks: -1, messages: batch });
      written += batch.length;
      batch = [];
    };
    for (const r of data.records) {
      batch.push({
        key: confluentFrame(keyId, r.key),
        value: confluentFrame(valueId, r.value),
        timestamp: String(r.timestamp),
      });
      if (batch.length === 1000) await flush();
    }
    if (batch.length) await flush();
  } finally {
    await producer.disconnect();
  }
  return written;
}
