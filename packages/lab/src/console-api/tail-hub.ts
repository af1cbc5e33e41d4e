// The live tail on /ws: a viewer sends {type:'tail', topic} and receives {type:'tail', topic,
// records, dropped} frames with the topic's new records; {type:'untail'} (or closing the socket)
// stops it. One socket follows at most one topic; an empty tail frame acknowledges a subscription.
//
// One kafkajs consumer per tailed topic (unique group seaway-console-scan-tail-<uuid>, starting at
// the end, no commits), shared by every viewer of that topic and stopped when the last one leaves.
// Records collect in one bounded buffer per topic; a timer every FLUSH_MS sends each viewer one
// frame of at most MAX_PER_FRAME records (the newest; older ones count as `dropped`), so a viewer
// gets at most 1000/FLUSH_MS frames a second whatever the topic's rate. A viewer whose socket has
// more than MAX_BUFFERED_BYTES unsent is skipped (its records count as dropped).
import { randomUUID } from 'node:crypto';
import { ClientMessage, type TailErrorFrame, type TailFrame, type TopicMessage } from '@seaway/contracts';
import type { Consumer } from 'kafkajs';
import { logLevel } from 'kafkajs';
import type { ConsoleApiDeps } from './deps.ts';
import { SCAN_GROUP_PREFIX } from './group-routes.ts';
import { toTopicMessage } from './message-scan.ts';

export const TailLimits = { flushMs: 200, maxPerFrame: 200, maxBufferedBytes: 1024 * 1024, maxTopics: 8 };

/** The part of a `ws` WebSocket the hub uses. */
export interface TailSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  readonly readyState: number;
  on(event: 'message', fn: (data: unknown) => void): unknown;
  on(event: 'close', fn: () => void): unknown;
}

interface Viewer {
  ws: TailSocket;
  /** Records not yet sent to this viewer (bounded to maxPerFrame). */
  pending: TopicMessage[];
  dropped: number;
}

interface TopicTail {
  topic: string;
  viewers: Set<Viewer>;
  consumer: Pick<Consumer, 'disconnect'> | null;
  stopping: boolean;
}

export interface TailHub {
  /** Wire a /ws socket: listens for tail/untail messages and cleans up on close. */
  attach(ws: TailSocket): void;
  /** Handle one client message (already parsed JSON); unknown messages are ignored. */
  handleClientMessage(ws: TailSocket, msg: unknown): void;
  /** The socket went away. */
  detach(ws: TailSocket): void;
  /** Topics being tailed and their viewer counts (for tests and health). */
  topics(): Array<{ topic: string; viewers: number }>;
  close(): Promise<void>;
}

/** Starts a consumer at the topic's end; onRecords gets new records and how many older ones were skipped. */
export type StartConsumer = (
  topic: string,
  onRecords: (records: TopicMessage[], skipped: number) => void,
) => Promise<Pick<Consumer, 'disconnect'>>;

function kafkaConsumer(deps: Pick<ConsoleApiDeps, 'kafka'>): StartConsumer {
  return async (topic, onRecords) => {
    const kafka = deps.kafka();
    if (!kafka)
      throw Object.assign(new Error('Kafka is not connected yet; retry in a moment'), {
        code: 'SEAWAY_CONSOLE_KAFKA_UNAVAILABLE',
      });
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        throw Object.assign(new Error(`topic "${topic}" does not exist`), { code: 'SEAWAY_CONSOLE_TOPIC_NOT_FOUND' });
      }
    } finally {
      await admin.disconnect().catch(() => {});
    }
    const groupId = `${SCAN_GROUP_PREFIX}tail-${randomUUID()}`;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
    });
    consumer.logger().setLogLevel(logLevel.NOTHING);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        // Only the newest maxPerFrame of a batch can ever be shown; convert just those.
        const ms = batch.messages;
        const from = Math.max(0, ms.length - TailLimits.maxPerFrame);
        const out: TopicMessage[] = [];
        for (let i = from; i < ms.length; i++) out.push(toTopicMessage(batch.partition, ms[i]!));
        onRecords(out, from);
      },
    });
    return {
      // The group never commits; remove it afterwards so group listings stay clean.
      disconnect: async () => {
        await consumer.disconnect().catch(() => {});
        const a = kafka.admin();
        try {
          await a.connect();
          await a.deleteGroups([groupId]);
        } catch {
          // best effort: an empty group without offsets expires on its own
        } finally {
          await a.disconnect().catch(() => {});
        }
      },
    };
  };
}

export function createTailHub(
  deps: Pick<ConsoleApiDeps, 'kafka'>,
  o: { startConsumer?: StartConsumer; flushMs?: number } = {},
): TailHub {
  const startConsumer = o.startConsumer ?? kafkaConsumer(deps);
  const tails = new Map<string, TopicTail>();
  const viewers = new Map<TailSocket, { viewer: Viewer; tail: TopicTail }>();
  const attached = new WeakSet<TailSocket>();

  const send = (ws: TailSocket, frame: TailFrame | TailErrorFrame) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(frame));
  };

  const deliver = (tail: TopicTail, records: TopicMessage[], skipped: number) => {
    for (const v of tail.viewers) {
      v.dropped += skipped;
      for (const r of records) v.pending.push(r);
      const over = v.pending.length - TailLimits.maxPerFrame;
      if (over > 0) {
        v.pending.splice(0, over);
        v.dropped += over;
      }
    }
  };

  const stopTail = (tail: TopicTail) => {
    if (tail.stopping) return;
    tail.stopping = true;
    tails.delete(tail.topic);
    tail.consumer?.disconnect().catch(() => {});
  };

  const untail = (ws: TailSocket) => {
    const cur = viewers.get(ws);
    if (!cur) return;
    viewers.delete(ws);
    cur.tail.viewers.delete(cur.viewer);
    if (cur.tail.viewers.size === 0) stopTail(cur.tail);
  };

  const tail = (ws: TailSocket, topic: string) => {
    if (viewers.get(ws)?.tail.topic === topic) return;
    untail(ws);
    let t = tails.get(topic);
    if (!t) {
      if (tails.size >= TailLimits.maxTopics) {
        send(ws, {
          type: 'tail-error',
          topic,
          code: 'SEAWAY_CONSOLE_BUSY',
          message: `${tails.size} topics are tailed already; close another tail and retry`,
        });
        return;
      }
      const created: TopicTail = { topic, viewers: new Set(), consumer: null, stopping: false };
      t = created;
      tails.set(topic, created);
      startConsumer(topic, (records, skipped) => deliver(created, records, skipped)).then(
        (c) => {
          if (created.stopping) c.disconnect().catch(() => {});
          else created.consumer = c;
        },
        (e: Error & { code?: string }) => {
          for (const v of created.viewers) {
            send(v.ws, {
              type: 'tail-error',
              topic,
              code: e.code ?? 'SEAWAY_CONSOLE_KAFKA_FAILED',
              message: e.message,
            });
            viewers.delete(v.ws);
          }
          created.viewers.clear();
          created.stopping = true;
          if (tails.get(topic) === created) tails.delete(topic);
        },
      );
    }
    const viewer: Viewer = { ws, pending: [], dropped: 0 };
    t.viewers.add(viewer);
    viewers.set(ws, { viewer, tail: t });
    // An empty frame acknowledges the subscription, so the client knows this server streams.
    send(ws, { type: 'tail', topic, records: [], dropped: 0 });
  };

  const flush = setInterval(() => {
    for (const t of tails.values()) {
      for (const v of t.viewers) {
        if (v.pending.length === 0 && v.dropped === 0) continue;
        if (v.ws.bufferedAmount > TailLimits.maxBufferedBytes) {
          v.dropped += v.pending.length;
          v.pending = [];
          continue;
        }
        send(v.ws, { type: 'tail', topic: t.topic, records: v.pending, dropped: v.dropped });
        v.pending = [];
        v.dropped = 0;
      }
    }
  }, o.flushMs ?? TailLimits.flushMs);
  flush.unref?.();

  const hub: TailHub = {
    attach(ws) {
      if (attached.has(ws)) return;
      attached.add(ws);
      ws.on('message', (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          return;
        }
        hub.handleClientMessage(ws, parsed);
      });
      ws.on('close', () => hub.detach(ws));
    },
    handleClientMessage(ws, msg) {
      const r = ClientMessage.safeParse(msg);
      if (!r.success) return;
      if (r.data.type === 'tail') tail(ws, r.data.topic);
      else untail(ws);
    },
    detach: untail,
    topics: () => [...tails.values()].map((t) => ({ topic: t.topic, viewers: t.viewers.size })),
    async close() {
      clearInterval(flush);
      const all = [...tails.values()];
      viewers.clear();
      tails.clear();
      for (const t of all) t.stopping = true;
      await Promise.all(all.map((t) => t.consumer?.disconnect().catch(() => {})));
    },
  };
  return hub;
}
