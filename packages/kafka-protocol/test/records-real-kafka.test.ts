// Our record batches against real clients: a batch encoded here with each codec is produced to a real
// Apache Kafka broker (which decompresses and validates every record of a compressed batch before it
// accepts it), then consumed with kcat (librdkafka decompresses it again). Skips without SEAWAY_TEST_KAFKA
// or kcat.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { command, realKafka } from '../../../scripts/testing/needs.mjs';
import { decodeResponse, encodeRequest } from '../src/codec/message-codec.ts';
import { COMPRESSION_NAMES } from '../src/records/batch-header.ts';
import { encodeRecordBatch } from '../src/records/records.ts';

const kafka = realKafka();
const kcat = command('kcat');
const skip = (!kafka && 'no real Kafka') || (!kcat && 'no kcat');

/** One request in flight at a time over one socket. */
class Wire {
  #buf = Buffer.alloc(0);
  #waiting: ((frame: Buffer) => void) | undefined;
  #id = 0;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, chunk]);
      if (this.#buf.length < 4 || this.#buf.length < 4 + this.#buf.readInt32BE(0)) return;
      const frame = this.#buf.subarray(4, 4 + this.#buf.readInt32BE(0));
      this.#buf = this.#buf.subarray(4 + frame.length);
      this.#waiting?.(frame);
    });
  }
  request<K extends number>(apiKey: K, version: number, body: Parameters<typeof encodeRequest<K>>[2]) {
    const correlationId = ++this.#id;
    return new Promise<ReturnType<typeof decodeResponse<K>>['body']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Kafka did not answer api ${apiKey} within 15 s`)), 15_000);
      this.#waiting = (frame) => {
        clearTimeout(timer);
        resolve(decodeResponse(apiKey, version, frame).body);
      };
      this.socket.write(encodeRequest(apiKey, version, body, { correlationId, clientId: 'seaway-records-test' }));
    });
  }
}

let wire: Wire;
const topic = `seaway-records-codecs-${process.pid}-${Date.now()}`;

before(async () => {
  if (skip) return;
  const [host, port] = (kafka as string).split(',')[0]!.split(':');
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port: Number(port) }, () => resolve(s));
    s.once('error', reject);
  });
  wire = new Wire(socket);
  const created = await wire.request(19, 5, {
    topics: [{ name: topic, numPartitions: COMPRESSION_NAMES.length, replicationFactor: 1 }],
    timeoutMs: 10_000,
  });
  assert.equal(created.topics[0]?.errorCode, 0, created.topics[0]?.errorMessage ?? '');
});

after(() => wire?.socket.destroy());

async function produce(partition: number, records: Buffer): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await wire.request(0, 9, {
      acks: -1,
      timeoutMs: 10_000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
    });
    const p = res.responses[0]!.partitionResponses[0]!;
    // a new topic's leader appears asynchronously
    if ((p.errorCode === 3 || p.errorCode === 6 || p.errorCode === 5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    return p.errorCode;
  }
}

COMPRESSION_NAMES.forEach((codec, partition) => {
  test(`a ${codec} batch encoded here is accepted by Kafka and read back by librdkafka`, { skip }, async () => {
    const values = Array.from({ length: 50 }, (_, i) => `${codec} value ${i}:${'abc'.repeat(i % 7)}`);
    const batch = encodeRecordBatch(
      values.map((v, i) => ({ key: `k${i}`, value: v, headers: [{ key: 'codec', value: codec }] })),
      { compression: codec },
    );
    assert.equal(await produce(partition, batch), 0);
    const out = spawnSync(
      kcat as string,
      [
        '-C',
        '-b',
        kafka as string,
        '-t',
        topic,
        '-p',
        String(partition),
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%k|%h|%s\n',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(
      out.stdout.trimEnd().split('\n'),
      values.map((v, i) => `k${i}|codec=${codec}|${v}`),
    );
  });
});
