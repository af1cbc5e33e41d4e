/**
 * librdkafka (kcat) against a stub that speaks only through this codec: its ApiVersions and
 * Metadata requests must decode, and our responses must be good enough for `kcat -L` to print
 * the cluster. Checks the codec against a second independent implementation besides Kafka's.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { command } from '../../../scripts/testing/needs.mjs';
import { type DecodedRequest, decodeRequest, encodeResponse } from '../src/codec/message-codec.ts';

const kcat = command('kcat');

function serve(socket: Socket, port: () => number, seen: DecodedRequest[]): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = buffered.readInt32BE(0);
      const request = decodeRequest(buffered.subarray(4, 4 + size));
      buffered = buffered.subarray(4 + size);
      seen.push(request);
      const { apiKey, apiVersion, correlationId } = request.header;
      if (apiKey === 18) {
        const apiKeys = [
          { apiKey: 3, minVersion: 0, maxVersion: 12 },
          { apiKey: 18, minVersion: 0, maxVersion: 4 },
        ];
        socket.write(encodeResponse(18, apiVersion, { errorCode: 0, apiKeys }, correlationId));
      } else if (apiKey === 3) {
        const metadata = {
          brokers: [{ nodeId: 1, host: '127.0.0.1', port: port(), rack: null }],
          clusterId: 'seaway-codec',
          controllerId: 1,
          topics: [
            {
              errorCode: 0,
              name: 'ais.positions',
              topicId: 'MxQ4ynAfQuCV3dQ4lYVy9Q',
              partitions: [
                { partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1] },
                { partitionIndex: 1, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1] },
              ],
            },
          ],
        };
        socket.write(encodeResponse(3, apiVersion, metadata, correlationId));
      }
    }
  });
  socket.on('error', () => {});
}

test('kcat -L decodes our ApiVersions and Metadata responses and its requests decode', {
  skip: !kcat && 'no kcat',
}, async () => {
  const seen: DecodedRequest[] = [];
  const sockets = new Set<Socket>();
  let port = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    serve(socket, () => port, seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(kcat as string, ['-L', '-J', '-b', `127.0.0.1:${port}`, '-m', '10']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(stdout);
        else reject(new Error(`kcat exited ${code}: ${stderr}`));
      });
    });
    const listing = JSON.parse(out) as {
      brokers: Array<{ id: number }>;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; leader: number }> }>;
    };
    assert.deepEqual(
      listing.brokers.map((b) => b.id),
      [1],
    );
    assert.equal(listing.topics[0]?.topic, 'ais.positions');
    assert.deepEqual(
      listing.topics[0]?.partitions.map((p) => [p.partition, p.leader]),
      [
        [0, 1],
        [1, 1],
      ],
    );

    const apiVersions = seen.find((r) => r.header.apiKey === 18);
    assert.ok(apiVersions, 'kcat sent ApiVersions');
    if (apiVersions.header.apiVersion >= 3) assert.equal(apiVersions.body.clientSoftwareName, 'librdkafka');
    assert.ok(
      seen.some((r) => r.header.apiKey === 3),
      'kcat sent Metadata',
    );
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
