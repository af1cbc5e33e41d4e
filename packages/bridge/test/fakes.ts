// In-test doubles: an ingest gate that publishes like the embedded broker would, a record sink that
// can be made to fail, and a schema registry with sequential ids.

import { type GateClient, IngestGateImpl } from '@seaway/mqtt-broker';
import type { SchemaRegistry } from '../src/converters/registry-client.ts';
import type { IngestGate, IngestMessage } from '../src/runtime/gate.ts';
import type { RecordSink, SinkMessage } from '../src/runtime/sink.ts';

/** The broker's real ingest gate (covers, parking, hold bound) driven without sockets. */
export class FakeGate implements IngestGate {
  readonly impl: IngestGateImpl;
  constructor(opts: { holdMs?: number } = {}) {
    this.impl = new IngestGateImpl(10_000, () => {}, opts);
  }
  attach(
    filter: string,
    h: (m: IngestMessage, done: (err?: Error) => void) => void,
    owner?: string,
    name?: string,
    share?: string,
  ): () => void {
    return this.impl.attach(filter, h, owner, name, share);
  }
  cover(owner: string, filter: string): () => void {
    return this.impl.cover(owner, filter);
  }
  hold(reason: string): () => void {
    return this.impl.hold(reason);
  }
  open(): void {
    this.impl.open();
  }
  inFlight(): number {
    return this.impl.inFlight();
  }
  attached(): number {
    return this.impl.stats().handlers;
  }
  /** Publish; `acked` is called with undefined (PUBACK) or the refusal error. */
  publish(
    m: Partial<IngestMessage> & { topic: string; payload: Buffer },
    acked: (err?: Error) => void = () => {},
  ): void {
    const msg: IngestMessage = { qos: 1, retain: false, dup: false, messageId: 1, clientId: 'pub', ...m };
    const client = { id: msg.clientId } as unknown as GateClient;
    this.impl.offer(client, { ...msg, messageId: msg.messageId ?? 1 }, (err) => acked(err ?? undefined));
  }
}

export class FakeSink implements RecordSink {
  sends: Array<Map<string, SinkMessage[]>> = [];
  failing: Error | null = null;
  private gate: Promise<void> | null = null;
  private release: (() => void) | null = null;
  /** Hold every send until unhold(). */
  hold(): void {
    this.gate = new Promise((r) => {
      this.release = r;
    });
  }
  unhold(): void {
    this.release?.();
    this.gate = null;
  }
  attempts = 0;
  async send(byTopic: Map<string, SinkMessage[]>): Promise<void> {
    this.attempts++;
    if (this.gate) await this.gate;
    if (this.failing) throw this.failing;
    this.sends.push(byTopic);
  }
  records(topic?: string): SinkMessage[] {
    return this.sends.flatMap((m) => [...m].filter(([t]) => topic === undefined || t === topic).flatMap(([, l]) => l));
  }
}

export function fakeRegistry(): SchemaRegistry & { subjects: Map<string, string[]> } {
  const ids = new Map<string, number>();
  const subjects = new Map<string, string[]>();
  return {
    subjects,
    async register(subject, schema) {
      const list = subjects.get(subject) ?? [];
      if (!list.includes(schema)) list.push(schema);
      subjects.set(subject, list);
      if (!ids.has(schema)) ids.set(schema, ids.size + 1);
      return ids.get(schema) as number;
    },
  };
}

export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
