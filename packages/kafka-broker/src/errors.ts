// Broker errors that are not Kafka protocol errors: bad configuration, state files that cannot be read,
// framing violations. Each has a stable code that tests assert on; Kafka error codes for responses
// come from @seaway/kafka-protocol's ErrorCode table instead.

export const BrokerErrorCode = {
  /** An option passed to startKafkaBroker is invalid. */
  BAD_CONFIG: 'SEAWAY_BROKER_BAD_CONFIG',
  /** The cluster metadata file in dataDir cannot be parsed. */
  BAD_METADATA: 'SEAWAY_BROKER_BAD_METADATA',
  /** A frame's size prefix is negative or larger than maxFrameBytes: the connection is closed. */
  FRAME_TOO_LARGE: 'SEAWAY_BROKER_FRAME_TOO_LARGE',
  /** A connection sat idle past idleTimeoutMs: closed. */
  IDLE: 'SEAWAY_BROKER_IDLE',
  /** A request frame stayed incomplete past partialFrameTimeoutMs: closed. */
  PARTIAL_FRAME_TIMEOUT: 'SEAWAY_BROKER_PARTIAL_FRAME_TIMEOUT',
  /** Buffered request bytes of all connections would pass maxBufferedBytes: this connection is closed. */
  BUFFER_FULL: 'SEAWAY_BROKER_BUFFER_FULL',
  /** A frame could not be decoded: the connection is closed. */
  BAD_REQUEST: 'SEAWAY_BROKER_BAD_REQUEST',
  /** A request uses an API key the broker does not serve: the connection is closed. */
  UNKNOWN_API: 'SEAWAY_BROKER_UNKNOWN_API',
  /** A request uses a version outside the range the broker advertises: the connection is closed. */
  UNSUPPORTED_VERSION: 'SEAWAY_BROKER_UNSUPPORTED_VERSION',
  /** A request arrived before SASL authentication completed: the connection is closed. */
  UNAUTHENTICATED: 'SEAWAY_BROKER_UNAUTHENTICATED',
  /** A Produce with acks=0 failed for some partition: the connection is closed, as Kafka does. */
  ACKS0_FAILED: 'SEAWAY_BROKER_ACKS0_FAILED',
  /** A handler threw: the connection is closed. */
  HANDLER_FAILED: 'SEAWAY_BROKER_HANDLER_FAILED',
  /** Two API handlers registered the same key. */
  DUPLICATE_API: 'SEAWAY_BROKER_DUPLICATE_API',
  /** The ACL file in dataDir (acls.json) cannot be parsed. */
  BAD_ACLS: 'SEAWAY_BROKER_BAD_ACLS',
  BAD_CLIENT_METRICS: 'SEAWAY_BROKER_BAD_CLIENT_METRICS',
  /** The dynamic broker config file in dataDir (broker-configs.json) cannot be parsed. */
  BAD_BROKER_CONFIGS: 'SEAWAY_BROKER_BAD_BROKER_CONFIGS',
  /** The listening port is taken or not allowed. */
  LISTEN_FAILED: 'SEAWAY_BROKER_LISTEN_FAILED',
} as const;

export type BrokerErrorCodeValue = (typeof BrokerErrorCode)[keyof typeof BrokerErrorCode];

export class BrokerError extends Error {
  readonly code: BrokerErrorCodeValue;
  constructor(code: BrokerErrorCodeValue, message: string) {
    super(message);
    this.name = 'BrokerError';
    this.code = code;
  }
}
