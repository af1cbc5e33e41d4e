// Random and mutated frames must never crash the broker: each bad frame gets an answer or a closed
// connection, and afterwards a normal client still produces and consumes.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { encodeRecordBatch, encodeRequest } from '@seaway/kafka-protocol';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

let broker: KafkaBroker;
let closes = 0;
before(async () => {
  broker = await startTestBroker({ maxFrameBytes: 1 << 20, log: (level) => void (level === 'warn' && closes++) });
});
after(() => broker.close());

/** A deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function validFrames(topic: string): Buffer[] {
  const head = { correlationId: 1, clientId: 'fuzz' };
  return [
    encodeRequest(18, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }, head),
    encodeRequest(3, 12, { topics: [{ name: topic }], allowAutoTopicCreation: true }, head),
    encodeRequest(
      0,
      9,
      {
        acks: 1,
        timeoutMs: 1000,
        topicData: [
          { name: topic, partitionData: [{ index: 0, records: encodeRecordBatch([{ key: 'k', value: 'v' }]) }] },
        ],
      },
      head,
    ),
    encodeRequest(
      1,
      12,
      {
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 16,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 16 }] }],
      },
      head,
    ),
    encodeRequest(
      11,
      9,
      {
        groupId: 'fuzz',
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: 10000,
        memberId: '',
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(4) }],
      },
      head,
    ),
    encodeRequest(
      8,
      9,
      {
        groupId: 'fuzz',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
      },
      head,
    ),
    encodeRequest(
      19,
      7,
      { topics: [{ name: `${topic}-c`, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 },
      head,
    ),
    encodeRequest(32, 4, { resources: [{ resourceType: 2, resourceName: topic, configurationKeys: null }] }, head),
  ];
}

function mutate(frame: Buffer, r: () => number): Buffer {
  const out = Buffer.from(frame);
  const kind = Math.floor(r() * 4);
  if (kind === 0) {
    // flip bytes after the size prefix
    for (let i = 0; i < 1 + Math.floor(r() * 6); i++) {
      const at = 4 + Math.floor(r() * (out.length - 4));
      out[at] = Math.floor(r() * 256);
    }
    return out;
  }
  if (kind === 1) {
    // truncate the body but keep the size prefix honest
    const cut = 8 + Math.floor(r() * Math.max(1, out.length - 8));
    const t = out.subarray(0, cut);
    t.writeInt32BE(cut - 4, 0);
    return t;
  }
  if (kind === 2) {
    // random tail appended (size prefix honest)
    const t = Buffer.concat([out, randomBytes(1 + Math.floor(r() * 32))]);
    t.writeInt32BE(t.length - 4, 0);
    return t;
  }
  // random api key / version in a valid frame
  out.writeInt16BE(Math.floor(r() * 80) - 5, 4);
  out.writeInt16BE(Math.floor(r() * 20) - 2, 6);
  return out;
}

test('random and mutated frames never crash the broker, and a normal client still works after', {
  timeout: 60_000,
}, async () => {
  const topic = unique('fuzz');
  const frames = validFrames(topic);
  const r = rng(20261125);
  let sent = 0;
  for (let round = 0; round < 300; round++) {
    const c = await RawClient.open(broker.port);
    const burst: Buffer[] = [];
    for (let i = 0; i < 4; i++) {
      const pick = r();
      if (pick < 0.15) {
        const junk = randomBytes(Math.floor(r() * 64));
        burst.push(junk);
      } else if (pick < 0.25) {
        const len = Math.floor(r() * 256);
        const f = Buffer.concat([Buffer.alloc(4), randomBytes(len)]);
        f.writeInt32BE(len, 0);
        burst.push(f);
      } else {
        burst.push(mutate(frames[Math.floor(r() * frames.length)] as Buffer, r));
      }
    }
    c.socket.write(Buffer.concat(burst));
    sent += burst.length;
    // give the broker a moment, then drop the connection (it may already be closed)
    await new Promise((res) => setTimeout(res, 2));
    c.close();
  }
  assert.ok(sent >= 1200);
  assert.ok(closes > 0, 'some frames must have closed their connection');
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const okTopic = unique('fuzz-after');
  await producer.send({ topic: okTopic, messages: [{ value: 'still alive' }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: unique('fuzz-g'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: okTopic, fromBeginning: true });
  const got = await new Promise<string>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') });
  });
  await consumer.disconnect();
  assert.equal(got, 'still alive');
});
