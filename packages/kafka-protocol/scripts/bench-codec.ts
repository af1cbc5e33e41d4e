/**
 * Micro-benchmark of the message codec (measures, asserts nothing):
 *   node --import tsx scripts/bench-codec.ts
 * Encodes and decodes a Produce v9 request and a Fetch v12 response shaped like bridge traffic
 * (10 partitions, 16 KiB record bytes each) and a Metadata v12 response with 50 topics.
 */

import {
  decodeRequest,
  decodeResponse,
  encodeResponse,
  writeRequest,
  writeResponse,
} from '../src/codec/message-codec.ts';
import { Writer } from '../src/primitives/writer.ts';

const records = Buffer.alloc(16 * 1024, 7);
const partitions = Array.from({ length: 10 }, (_, i) => ({ index: i, records }));
const produce = {
  transactionalId: null,
  acks: -1,
  timeoutMs: 30000,
  topicData: [{ name: 'ais.positions', partitionData: partitions }],
};
const fetch = {
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  responses: [
    {
      topic: 'ais.positions',
      partitions: Array.from({ length: 10 }, (_, i) => ({
        partitionIndex: i,
        errorCode: 0,
        highWatermark: 1000n,
        lastStableOffset: 1000n,
        logStartOffset: 0n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records,
      })),
    },
  ],
};
const metadata = {
  throttleTimeMs: 0,
  brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
  clusterId: 'seaway',
  controllerId: 1,
  topics: Array.from({ length: 50 }, (_, t) => ({
    errorCode: 0,
    name: `topic-${t}`,
    topicId: 'MxQ4ynAfQuCV3dQ4lYVy9Q',
    isInternal: false,
    partitions: Array.from({ length: 3 }, (_, p) => ({
      errorCode: 0,
      partitionIndex: p,
      leaderId: 1,
      leaderEpoch: 0,
      replicaNodes: [1],
      isrNodes: [1],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: -2147483648,
  })),
};

function bench(name: string, iterations: number, fn: () => void): void {
  for (let i = 0; i < Math.min(2000, iterations); i++) fn(); // warm up and compile
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.log(
    `${name.padEnd(44)} ${(ns / 1000).toFixed(2).padStart(8)} µs/op ${Math.round(1e9 / ns)
      .toString()
      .padStart(9)} op/s`,
  );
}

const w = new Writer(256 * 1024);
const produceFrame = (() => {
  writeRequest(w.reset(), 0, 9, produce, { correlationId: 1, clientId: 'bench' });
  return w.toBuffer().subarray(4);
})();
const fetchFrame = encodeResponse(1, 12, fetch, 1).subarray(4);
const metadataFrame = encodeResponse(3, 12, metadata, 1).subarray(4);

bench('Produce v9 request encode (reused writer)', 50000, () => {
  writeRequest(w.reset(), 0, 9, produce, { correlationId: 1, clientId: 'bench' });
});
bench('Produce v9 request decode', 100000, () => decodeRequest(produceFrame));
bench('Fetch v12 response encode (copy out)', 20000, () => encodeResponse(1, 12, fetch, 1));
bench('Fetch v12 response decode', 100000, () => decodeResponse(1, 12, fetchFrame));
bench('Metadata v12 response, 50 topics, encode', 20000, () => encodeResponse(3, 12, metadata, 1));
bench('Metadata v12 response, 50 topics, decode', 20000, () => decodeResponse(3, 12, metadataFrame));
bench('Fetch v12 response encode (reused writer)', 20000, () => writeResponse(w.reset(), 1, 12, fetch, 1));
