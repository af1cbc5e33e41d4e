// Shared test plumbing: the two storage backends every suite runs on, unique topic names, and a
// small JSON HTTP client that speaks the registry's content type.

import { after } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { realKafka } from '../../../scripts/testing/needs.mjs';
import { createKafkaStore, createMemoryStore, MemoryLog, type RegistryStore } from '../src/index.ts';

export const kafka: string | false = realKafka();

let counter = 0;
const created: string[] = [];
/** A topic name no other run (or helper sharing the broker) uses; deleted after the test file. */
export function uniqueTopic(tag: string): string {
  const topic = `_schemas-test-${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  created.push(topic);
  return topic;
}

after(async () => {
  if (!kafka || created.length === 0) return;
  const admin = new Kafka({ brokers: [kafka], logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const topics = created.filter((t) => existing.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // best effort: a leftover test topic is harmless
  } finally {
    await admin.disconnect();
  }
});

export interface Backend {
  name: 'memory' | 'kafka';
  skip: string | false;
  /** A fresh place to keep records: a topic name or a memory log. */
  newLocation(tag: string): string | MemoryLog;
  /** A store over that place; two stores over one place see the same records. */
  store(location: string | MemoryLog): RegistryStore;
}

export const backends: Backend[] = [
  {
    name: 'memory',
    skip: false,
    newLocation: () => new MemoryLog(),
    store: (l) => createMemoryStore(l as MemoryLog),
  },
  {
    name: 'kafka',
    skip: !kafka && 'no real Kafka (set SEAWAY_TEST_KAFKA)',
    newLocation: (tag) => uniqueTopic(tag),
    store: (l) => createKafkaStore({ brokers: [kafka as string], topic: l as string }),
  },
];

export interface Answer {
  status: number;
  contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers of many shapes
  body: any;
}

/** Calls the registry at `base`; the body is sent as application/vnd.schemaregistry.v1+json. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, contentType: res.headers.get('content-type'), body: parsed };
}

export const avro = (o: unknown): string => JSON.stringify(o);
