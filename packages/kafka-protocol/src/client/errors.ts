// Errors of the Kafka client (connection and producer), with codes tests and callers match on.

export const ClientErrorCodes = {
  /** The TCP connection could not be opened. */
  CONNECT: 'SEAWAY_KCLIENT_CONNECT',
  /** An open connection failed (reset, closed by the broker). */
  NETWORK: 'SEAWAY_KCLIENT_NETWORK',
  /** The broker did not answer within the request timeout. */
  TIMEOUT: 'SEAWAY_KCLIENT_TIMEOUT',
  /** The broker sent something that is not a valid response. */
  PROTOCOL: 'SEAWAY_KCLIENT_PROTOCOL',
  /** Broker and client share no version of an API. */
  UNSUPPORTED_VERSION: 'SEAWAY_KCLIENT_UNSUPPORTED_VERSION',
  /** The client was closed while the request waited. */
  CLOSED: 'SEAWAY_KCLIENT_CLOSED',
  /** Kafka refused the records with a (non-retriable, or still failing after retries) error code. */
  PRODUCE: 'SEAWAY_KCLIENT_PRODUCE',
  /** The topic has no usable metadata (does not exist and was not created, or has no leader). */
  METADATA: 'SEAWAY_KCLIENT_METADATA',
} as const;

export type ClientErrorCode = (typeof ClientErrorCodes)[keyof typeof ClientErrorCodes];

export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** Kafka's error name when the broker answered with one (e.g. NOT_LEADER_OR_FOLLOWER). */
    readonly kafkaError?: string,
    /** Whether trying again may succeed. */
    readonly retriable = code !== ClientErrorCodes.UNSUPPORTED_VERSION,
  ) {
    super(message);
  }
}
