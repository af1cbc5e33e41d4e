// What the producer needs from a connection to one broker. KafkaConnection (TCP) is the usual one;
// the embedded broker offers an in-process one with the same contract, so a producer in the broker's
// own process skips the sockets and nothing else.

import type { RequestInput, ResponseBody } from '../codec/message-codec.ts';

export interface KafkaTransport {
  /** host:port, for messages. */
  readonly address: string;
  /** False once the transport failed or was closed: open a new one. */
  readonly alive: boolean;
  /** The highest version of `apiKey` both sides speak; throws a KafkaClientError when there is none. */
  version(apiKey: number, ourMin: number, ourMax: number): number;
  /** Sends one request and resolves with the decoded response body. */
  request<K extends number>(apiKey: K, version: number, body: RequestInput<K>): Promise<ResponseBody<K>>;
  close(): void;
}

export interface TransportOptions {
  host: string;
  port: number;
  clientId: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export type OpenTransport = (o: TransportOptions) => Promise<KafkaTransport>;
