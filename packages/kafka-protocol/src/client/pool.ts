// Connections to a cluster: bootstrap addresses, the brokers metadata names (node id → address), one
// transport per address opened on first use and replaced once it fails. Shared by the producer and
// the offsets reader.

import type { MetadataResponse } from '../messages/types.generated.ts';
import { KafkaConnection } from './connection.ts';
import { ClientErrorCodes, KafkaClientError } from './errors.ts';
import type { KafkaTransport, OpenTransport } from './transport.ts';

export interface PoolOptions {
  /** host:port pairs to bootstrap from. */
  brokers: readonly string[];
  clientId?: string;
  /** Per-request wait of the client. */
  requestTimeoutMs?: number;
  /** How to reach a broker; TCP (KafkaConnection.open) unless given, e.g. an embedded broker's in-process transport. */
  transport?: OpenTransport;
}

const METADATA = 3;
const ANY_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class BrokerPool {
  readonly clientId: string;
  /** Brokers by node id, as the last metadata answer named them. */
  readonly nodes = new Map<number, { host: string; port: number }>();
  private readonly conns = new Map<string, Promise<KafkaTransport>>();
  private readonly requestTimeoutMs: number;

  constructor(private readonly o: PoolOptions) {
    if (o.brokers.length === 0) throw new KafkaClientError(ClientErrorCodes.CONNECT, 'no Kafka brokers given');
    this.clientId = o.clientId ?? 'seaway-client';
    this.requestTimeoutMs = o.requestTimeoutMs ?? 35_000;
  }

  /** The transport to one address, opened (or reopened after a failure) on demand. */
  connection(host: string, port: number): Promise<KafkaTransport> {
    const addr = `${host}:${port}`;
    const existing = this.conns.get(addr);
    if (existing) {
      return existing.then((c) => {
        if (c.alive) return c;
        if (this.conns.get(addr) === existing) this.conns.delete(addr);
        return this.connection(host, port);
      });
    }
    const opening = (this.o.transport ?? KafkaConnection.open)({
      host,
      port,
      clientId: this.clientId,
      requestTimeoutMs: this.requestTimeoutMs,
    });
    this.conns.set(addr, opening);
    opening.catch(() => {
      if (this.conns.get(addr) === opening) this.conns.delete(addr);
    });
    return opening;
  }

  /** The transport to a node named by metadata. */
  node(id: number): Promise<KafkaTransport> {
    const n = this.nodes.get(id);
    if (!n)
      return Promise.reject(
        new KafkaClientError(ClientErrorCodes.METADATA, `broker ${id} is not in the cluster metadata`, undefined, true),
      );
    return this.connection(n.host, n.port);
  }

  /** Any broker that answers: known nodes first, then the bootstrap list. */
  async any(): Promise<KafkaTransport> {
    for (const n of this.nodes.values()) {
      try {
        return await this.connection(n.host, n.port);
      } catch {}
    }
    let last: unknown;
    for (const b of this.o.brokers) {
      const i = b.lastIndexOf(':');
      try {
        return await this.connection(b.slice(0, i), Number(b.slice(i + 1)));
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error
      ? last
      : new KafkaClientError(ClientErrorCodes.CONNECT, `no Kafka broker answered at ${this.o.brokers.join(',')}`);
  }

  /** Metadata for `topics` (null: every topic), remembering the brokers it names. */
  async metadata(topics: readonly string[] | null, allowAutoTopicCreation = false): Promise<MetadataResponse> {
    const conn = await this.any();
    const v = conn.version(METADATA, 4, 12);
    const res = await conn.request(METADATA, v, {
      topics: topics === null ? null : topics.map((name) => ({ name, topicId: ANY_TOPIC_ID })),
      allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    for (const b of res.brokers) this.nodes.set(b.nodeId, { host: b.host, port: b.port });
    return res;
  }

  close(): void {
    for (const c of this.conns.values()) c.then((x) => x.close()).catch(() => {});
    this.conns.clear();
  }
}
