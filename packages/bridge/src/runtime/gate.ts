// The in-process ingest gate of @seaway/mqtt-broker, restated structurally so the bridge compiles
// and tests run whether or not the broker package exports it yet. Shape agreed with the broker:
// a handler sees every client PUBLISH matching `filter` before the broker acknowledges it;
// done() once Kafka has the record, done(err) to refuse (no PUBACK, the publisher redelivers).
export interface IngestMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  messageId: number | undefined;
  clientId: string;
}

export interface IngestGate {
  attach(filter: string, handler: (msg: IngestMessage, done: (err?: Error) => void) => void): () => void;
  inFlight(): number;
}
