// Transactions survive a SIGKILL of the broker process: a committed transaction stays committed
// (records and group offsets), a transaction in flight stays open after the restart (the last
// stable offset holds at its first record, DescribeTransactions says Ongoing) until a new producer
// with the same transactional id fences and aborts it, and one with a short transaction.timeout.ms is
// aborted by the timeout. Embedded broker only: this is about its own storage.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '@seaway/kafka-protocol';
import { Kafka, logLevel } from 'kafkajs';
import { RawClient, tempDir, unique } from './support.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

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

function startChild(port: number, dir: string): { child: ChildProcess; exited: Promise<unknown> } {
  const runner = fileURLToPath(new URL('../scripts/run.mts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', runner, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir],
    { stdio: 'ignore', cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return { child, exited: new Promise((r) => child.once('exit', r)) };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Fetch v12 read_committed at offset 0: the LSO, the high watermark and the aborted list. */
async function committedView(raw: RawClient, topic: string) {
  const f = await raw.send(1, 12, {
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const p = f.body.responses[0].partitions[0];
  return {
    lso: Number(p.lastStableOffset),
    hw: Number(p.highWatermark),
    aborted: (p.abortedTransactions ?? []).length as number,
  };
}

async function describeTxn(raw: RawClient, id: string): Promise<string> {
  const r = await raw.send(65, 0, { transactionalIds: [id] });
  assert.equal(r.body.transactionStates[0].errorCode, ErrorCode.NONE);
  return r.body.transactionStates[0].transactionState;
}

test('a transaction in flight at SIGKILL stays open after the restart until fenced; committed ones stay committed; timeouts abort', {
  timeout: 120_000,
}, async () => {
  const { dir, remove } = await tempDir();
  const port = 30000 + Math.floor(Math.random() * 20000);
  let run = startChild(port, dir);
  try {
    await waitForPort(port);
    const topic = unique('txn-crash');
    const slowTopic = unique('txn-crash-timeout');
    const groupId = unique('txn-crash-g');
    const openId = unique('txn-open');
    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }, { topic: slowTopic }] });
    await admin.disconnect();

    const committer = kafka.producer({ transactionalId: unique('txn-done'), idempotent: true, maxInFlightRequests: 1 });
    await committer.connect();
    const done = await committer.transaction();
    await done.send({ topic, messages: [{ value: 'c1' }, { value: 'c2' }] });
    await done.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }],
    });
    await done.commit();

    const open = kafka.producer({ transactionalId: openId, idempotent: true, maxInFlightRequests: 1 });
    await open.connect();
    const inFlight = await open.transaction();
    await inFlight.send({ topic, messages: [{ value: 'o1' }, { value: 'o2' }] });
    await inFlight.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: '99' }] }],
    });

    const slow = kafka.producer({
      transactionalId: unique('txn-slow'),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 3000,
    });
    await slow.connect();
    const slowTxn = await slow.transaction();
    await slowTxn.send({ topic: slowTopic, messages: [{ value: 's1' }] });

    run.child.kill('SIGKILL');
    await run.exited;
    for (const p of [committer, open, slow]) await p.disconnect().catch(() => undefined);

    run = startChild(port, dir);
    await waitForPort(port);
    const raw = await RawClient.open(port);
    try {
      // c1 c2 COMMIT o1 o2: the LSO holds at o1 (offset 3)
      assert.deepEqual(await committedView(raw, topic), { lso: 3, hw: 5, aborted: 0 });
      assert.equal(await describeTxn(raw, openId), 'Ongoing');
      const admin2 = kafka.admin();
      await admin2.connect();
      const offsets = await admin2.fetchOffsets({ groupId, topics: [topic] });
      assert.equal(offsets[0]!.partitions[0]!.offset, '5', 'only the committed transaction moved the group');

      // the 3 s timeout aborts the slow transaction after the restart
      const slowView = await until('the timed-out transaction to abort', async () => {
        const v = await committedView(raw, slowTopic);
        return v.lso === v.hw ? v : undefined;
      });
      assert.deepEqual(slowView, { lso: 2, hw: 2, aborted: 1 });

      // a new producer with the open transaction's id fences it: ABORT marker, LSO moves to the end
      const fresh = kafka.producer({ transactionalId: openId, idempotent: true, maxInFlightRequests: 1 });
      await fresh.connect();
      const t = await fresh.transaction(); // kafkajs sends InitProducerId for the transactional id here
      assert.deepEqual(await committedView(raw, topic), { lso: 6, hw: 6, aborted: 1 });
      await t.send({ topic, messages: [{ value: 'n1' }] });
      await t.commit();
      await fresh.disconnect();

      const consumer = kafka.consumer({ groupId: unique('txn-crash-read'), maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length >= 3) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      assert.deepEqual(seen, ['c1', 'c2', 'n1']);
      assert.equal((await admin2.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset, '5');
      await admin2.disconnect();
    } finally {
      raw.close();
    }
  } finally {
    run.child.kill('SIGKILL');
    await run.exited;
    await remove();
  }
});
