// Log storage errors: one class, stable codes, and the Kafka error code a handler should answer with.

export const LogErrorCode = {
  /** Offset below logStartOffset or above the high watermark. Kafka: OFFSET_OUT_OF_RANGE (1). */
  OFFSET_OUT_OF_RANGE: 'SEAWAY_LOG_OFFSET_OUT_OF_RANGE',
  /** Appended bytes are not whole, valid v2 batches. Kafka: CORRUPT_MESSAGE (2). */
  CORRUPT_BATCH: 'SEAWAY_LOG_CORRUPT_BATCH',
  /** Appended bytes hold magic 0/1 messages. Kafka: UNSUPPORTED_FOR_MESSAGE_FORMAT (43). */
  LEGACY_FORMAT: 'SEAWAY_LOG_LEGACY_FORMAT',
  /** Append of a batch larger than the configured maximum. Kafka: MESSAGE_TOO_LARGE (10). */
  BATCH_TOO_LARGE: 'SEAWAY_LOG_BATCH_TOO_LARGE',
  /** The log was closed. Kafka: NOT_LEADER_OR_FOLLOWER (6) tells clients to refresh metadata. */
  CLOSED: 'SEAWAY_LOG_CLOSED',
  /** Bytes on disk are damaged (a bad batch inside a closed segment). Kafka: KAFKA_STORAGE_ERROR (56). */
  STORAGE_DAMAGED: 'SEAWAY_LOG_STORAGE_DAMAGED',
  /** The directory holds files this log cannot use. */
  BAD_DIRECTORY: 'SEAWAY_LOG_BAD_DIRECTORY',
  /** Invalid option value. */
  BAD_CONFIG: 'SEAWAY_LOG_BAD_CONFIG',
} as const;

export type LogErrorCodeValue = (typeof LogErrorCode)[keyof typeof LogErrorCode];

const KAFKA_CODES: Record<LogErrorCodeValue, number> = {
  SEAWAY_LOG_OFFSET_OUT_OF_RANGE: 1,
  SEAWAY_LOG_CORRUPT_BATCH: 2,
  SEAWAY_LOG_LEGACY_FORMAT: 43,
  SEAWAY_LOG_BATCH_TOO_LARGE: 10,
  SEAWAY_LOG_CLOSED: 6,
  SEAWAY_LOG_STORAGE_DAMAGED: 56,
  SEAWAY_LOG_BAD_DIRECTORY: -1,
  SEAWAY_LOG_BAD_CONFIG: -1,
};

export class LogError extends Error {
  readonly code: LogErrorCodeValue;
  /** The Kafka protocol error code a request handler should put in its response. */
  readonly kafkaErrorCode: number;
  constructor(code: LogErrorCodeValue, message: string) {
    super(message);
    this.name = 'LogError';
    this.code = code;
    this.kafkaErrorCode = KAFKA_CODES[code];
  }
}
