// The embedded broker's in-process ingest gate, as the connector tasks use it: a handler sees every
// client PUBLISH matching `filter` before the broker acknowledges it; done() once Kafka has the
// record, done(err) to refuse (no PUBACK, the publisher redelivers). Defined by @seaway/mqtt-broker.
export type { IngestGate, IngestMessage } from '@seaway/mqtt-broker';
