// In-test doubles: an ingest gate that publishes like the embedded broker would, a record sink that
// can be made to fail, and a schema registry with sequential ids.
import type { SchemaRegistry } from '../src/converters/registry-client.ts';
import { topicMatches } from '../src/kcql/routes.ts';
import type { IngestGate, IngestMessage } from '../src/runtime/gate.ts';
import type { RecordSink, SinkMessage } from '../src/runtime/sink.ts';

export class FakeGate implements IngestGate {
  private handlers: Array<{ filter: string; h: (m: IngestMessage, done: (err?: Error) => void) => void }> = [];
  private pending = 0;
  attach(filter: string, h: (m: IngestMessage, done: (err?: Error) => void) => void): () => void {
    const entry = { filter, h };
    this.handlers.push(entry);
    return () => {
      this.handlers = this.handlers.filter((x) => x !== entry);
    };
  }
  inFlight(): number {
    return this.pending;
  }
  attached(): number {
    return this.handlers.length;
  }
  /** Publish; `acked` is called with undefined (PUBACK) or the refusal error. */
  publish(
    m: Partial<IngestMessage> & { topic: string; payload: Buffer },
    acked: (err?: Error) => void = () => {},
  ): void {
    const msg: IngestMessage = { qos: 1, retain: false, dup: false, messageId: 1, clientId: 'pub', ...m };
    const hs = this.handlers.filter((x) => topicMatches(x.filter, msg.topic));
    if (hs.length === 0) {
      acked();
      return;
    }
    this.pending++;
    let left = hs.length;
    let failed: Error | undefined;
    for (const { h } of hs) {
      h(msg, (err) => {
        if (err) failed = err;
        if (--left === 0) {
          this.pending--;
          acked(failed);
        }
      });
    }
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
