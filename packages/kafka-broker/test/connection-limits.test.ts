// Limits on the Kafka port (server/limits.ts): connections per address and in total, idle and
// partial-frame timeouts, and the bytes all connections may hold in frames; each closes or refuses
// only the offending connection, and a real client (kafkajs) still works afterwards.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { BrokerOptions, KafkaBroker } from '../src/index.ts';
import { startTestBroker } from './support.ts';

async function withBroker(o: BrokerOptions, fn: (b: KafkaBroker, lines: string[]) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const b = await startTestBroker({ ...o, log: (_l, m) => lines.push(m) });
  try {
    await fn(b, lines);
  } finally {
    await b.close();
  }
}

async function socket(port: number): Promise<Socket & { ended: Promise<void> }> {
  const s = connect(port, '127.0.0.1') as Socket & { ended: Promise<void> };
  s.on('error', () => {});
  s.ended = new Promise((r) => s.once('close', () => r()));
  await once(s, 'connect');
  return s;
}

async function kafkajsWorks(b: KafkaBroker): Promise<void> {
  const admin = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect();
  assert.ok(Array.isArray(await admin.listTopics()));
  await admin.disconnect();
}

const until = async (pred: () => boolean, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('past maxConnectionsPerAddress a connection is refused at accept; the others and kafkajs keep working', () =>
  withBroker({ maxConnectionsPerAddress: 3 }, async (b, lines) => {
    const held = [await socket(b.port), await socket(b.port), await socket(b.port)];
    const extra = await socket(b.port);
    await extra.ended;
    assert.equal(b.connectionStats().refusedPerAddress, 1);
    assert.match(lines.join('\n'), /maxConnectionsPerAddress \(3\) reached/);
    held[0]?.destroy();
    await until(() => b.connectionStats().open === 2, 'the slot to free');
    await kafkajsWorks(b);
    for (const s of held) s.destroy();
  }));

test('past maxConnections a connection is refused', () =>
  withBroker({ maxConnections: 2 }, async (b) => {
    const held = [await socket(b.port), await socket(b.port)];
    const extra = await socket(b.port);
    await extra.ended;
    assert.equal(b.connectionStats().refusedTotal, 1);
    for (const s of held) s.destroy();
    await until(() => b.connectionStats().open === 0, 'connections to close');
    await kafkajsWorks(b);
  }));

test('an idle connection is closed after idleTimeoutMs', () =>
  withBroker({ idleTimeoutMs: 1000 }, async (b, lines) => {
    const s = await socket(b.port);
    await s.ended;
    assert.equal(b.connectionStats().closedIdle, 1);
    assert.match(lines.join('\n'), /SEAWAY_BROKER_IDLE/);
  }));

test('a trickled frame (slowloris) is closed after partialFrameTimeoutMs although bytes keep coming', () =>
  withBroker({ partialFrameTimeoutMs: 1000 }, async (b) => {
    const s = await socket(b.port);
    const len = Buffer.alloc(4);
    len.writeInt32BE(1000);
    s.write(len);
    const trickle = setInterval(() => s.write(Buffer.from([0])), 200);
    try {
      await s.ended;
    } finally {
      clearInterval(trickle);
    }
    assert.equal(b.connectionStats().closedPartialTimeout, 1);
    await kafkajsWorks(b);
  }));

test('partial frames of all connections together are capped by maxBufferedBytes; the memory is given back', () =>
  withBroker({ maxFrameBytes: 1024 * 1024, maxBufferedBytes: 2 * 1024 * 1024 }, async (b) => {
    const partial = (n: number) => {
      const buf = Buffer.alloc(4 + n);
      buf.writeInt32BE(1024 * 1024 - 8);
      return buf;
    };
    const a = await socket(b.port);
    const c = await socket(b.port);
    a.write(partial(900_000));
    c.write(partial(900_000));
    await until(() => b.connectionStats().bufferedBytes >= 1_800_000, 'both partial frames held');
    const third = await socket(b.port);
    third.write(partial(900_000));
    await third.ended;
    assert.equal(b.connectionStats().closedBufferFull, 1);
    assert.ok(b.connectionStats().bufferedBytes <= 2 * 1024 * 1024);
    a.destroy();
    c.destroy();
    await until(() => b.connectionStats().bufferedBytes === 0, 'the held bytes to be released');
    await kafkajsWorks(b);
  }));

test('limit settings are validated at start', async () => {
  await assert.rejects(
    startTestBroker({ maxBufferedBytes: 1024, maxFrameBytes: 4096 }),
    /maxBufferedBytes must be at least maxFrameBytes/,
  );
  await assert.rejects(startTestBroker({ maxConnections: 0 }), /maxConnections must be an integer/);
});
