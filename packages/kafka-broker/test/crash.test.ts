// No acknowledged write is lost when the broker process is killed with SIGKILL (page-cache
// durability, fsync 'never', like Kafka's default): topics, acknowledged records and committed
// offsets are all there when a broker starts again on the same dataDir.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir, unique } from './support.ts';

function waitForPort(port: number, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > end) reject(new Error(`broker child did not listen on ${port}`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

test('records and offsets acknowledged before a SIGKILL are there after a restart', { timeout: 60_000 }, async () => {
  const { dir, remove } = await tempDir();
  const port = 30000 + Math.floor(Math.random() * 20000);
  const runner = fileURLToPath(new URL('../scripts/run.mts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', runner, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir],
    {
      stdio: 'ignore',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitForPort(port);
    const topic = unique('crash');
    const groupId = unique('crash-g');
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 20; i++) {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: `k${i}`, value: `v${i}` },
          { key: `j${i}`, value: `w${i}` },
        ],
      });
    }
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [
        { partition: 0, offset: '3' },
        { partition: 1, offset: '5' },
      ],
    });
    child.kill('SIGKILL');
    await exited;
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  } finally {
    child.kill('SIGKILL');
  }
  const again = await startTestBroker({ dataDir: dir, port });
  const kafka = new Kafka({ brokers: [again.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  const topic = topics.find((t) => t.startsWith('crash-'));
  assert.ok(topic, 'the topic survived');
  const offsets = await admin.fetchTopicOffsets(topic);
  assert.equal(
    offsets.reduce((n, p) => n + Number(p.high), 0),
    40,
  );
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
  const groupId = groups.find((g) => g.startsWith('crash-g'));
  assert.ok(groupId, 'the group survived');
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  assert.deepEqual(committed[0]?.partitions.map((p) => [p.partition, p.offset]).sort(), [
    [0, '3'],
    [1, '5'],
  ]);
  await admin.disconnect();
  await again.close();
  await remove();
});
