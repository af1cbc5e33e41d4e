// Peer "direct to Kafka": the generator's records (same fleet simulator, seed and encoder as the
// AIS generator CLI) produced straight to Kafka with kafkajs, batching and acks=all, no MQTT hop.
// `node --import tsx direct-producer.ts --brokers B --topic T --messages N --format avro
//  --batch 1000 --concurrency 4`. Prints one JSON line: msg/s, MB/s, per-batch ack latency, distinct payloads.
import { createHash } from 'node:crypto';
import { createEncoder, FleetSimulator, type FormatName } from '@seaway/ais';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

const brokers = flag('brokers', '127.0.0.1:9092').split(',');
const topic = flag('topic', 'position-reports');
const messages = Number(flag('messages', '100000'));
const format = flag('format', 'avro') as FormatName;
const batchSize = Number(flag('batch', '1000'));
const concurrency = Number(flag('concurrency', '4'));

const t0 = performance.now();
const sim = new FleetSimulator({ vessels: 300, seed: 1 });
const enc = createEncoder({ format, ...(format === 'confluent' ? { schemaId: 1 } : {}) });
const payloads: Buffer[] = new Array(messages);
const hashes = new Set<string>();
let bytes = 0;
for (let i = 0; i < messages; i++) {
  const r = sim.next();
  const p = enc.encode(r.message, BigInt(Math.round(r.time)) * 1_000_000n);
  payloads[i] = p;
  bytes += p.length;
  hashes.add(createHash('sha1').update(p).digest('base64'));
}
const prepareSeconds = (performance.now() - t0) / 1000;

const kafka = new Kafka({ clientId: 'seaway-bench-direct', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: concurrency });
await producer.connect();
const latencies: number[] = [];
let next = 0;
const s0 = performance.now();
async function lane(): Promise<void> {
  while (next < messages) {
    const from = next;
    const to = Math.min(messages, from + batchSize);
    next = to;
    const b0 = performance.now();
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: payloads.slice(from, to).map((value) => ({ value })),
    });
    latencies.push(performance.now() - b0);
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const seconds = (performance.now() - s0) / 1000;
await producer.disconnect();
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    messages,
    bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    msgPerSec: Math.round(messages / seconds),
    mbPerSec: Math.round((bytes / seconds / 1e6) * 100) / 100,
    batch: batchSize,
    concurrency,
    batchAckMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
    distinctPayloads: hashes.size,
    prepareSeconds: Math.round(prepareSeconds * 100) / 100,
    client: 'kafkajs 2.2.4',
  })}\n`,
);
