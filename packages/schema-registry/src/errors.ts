// The package's error catalogue. Two kinds:
// - RegistryError: what the REST API answers, with Confluent's error codes (HTTP status = first three
//   digits), e.g. 40401 subject not found, 42201 invalid schema. Tests assert on `errorCode`.
// - SeawayRegistryError: lifecycle and storage failures (SEAWAY_SR_*), thrown to the embedding code.

/** Confluent Schema Registry error codes this server answers with. */
export const ErrorCode = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  VERSION_SOFT_DELETED: 40406,
  VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: 40408,
  SUBJECT_MODE_NOT_CONFIGURED: 40409,
  INCOMPATIBLE_SCHEMA: 40901,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  INVALID_MODE: 42204,
  OPERATION_NOT_PERMITTED: 42205,
  REFERENCE_EXISTS: 42206,
  ID_DOES_NOT_MATCH: 42207,
  STORE_ERROR: 50001,
  NOT_READY: 50301,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An API error: `status` is the HTTP status, `errorCode` Confluent's code, `message` the reason. */
export class RegistryError extends Error {
  readonly status: number;
  readonly errorCode: number;
  constructor(errorCode: number, message: string, status = Math.floor(errorCode / 100)) {
    super(message);
    this.name = 'RegistryError';
    this.errorCode = errorCode;
    this.status = status;
  }
  toJSON(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

export const subjectNotFound = (s: string) =>
  new RegistryError(ErrorCode.SUBJECT_NOT_FOUND, `Subject '${s}' not found.`);
export const versionNotFound = (v: number | string) =>
  new RegistryError(ErrorCode.VERSION_NOT_FOUND, `Version ${v} not found.`);
export const schemaNotFound = (what = 'Schema not found') => new RegistryError(ErrorCode.SCHEMA_NOT_FOUND, what);
export const invalidSchema = (why: string) => new RegistryError(ErrorCode.INVALID_SCHEMA, `Invalid schema: ${why}`);
export const invalidVersion = (v: string) =>
  new RegistryError(
    ErrorCode.INVALID_VERSION,
    `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );

/** Lifecycle and storage failures, with stable codes. */
export const SeawayCode = {
  /** The _schemas topic exists with more than one partition: ordering would be lost. */
  TOPIC_PARTITIONS: 'SEAWAY_SR_TOPIC_PARTITIONS',
  /** The _schemas topic exists without cleanup.policy=compact: retention would delete schemas. */
  TOPIC_POLICY: 'SEAWAY_SR_TOPIC_POLICY',
  /** Kafka could not be reached or the _schemas topic could not be created or read. */
  STORE_START: 'SEAWAY_SR_STORE_START',
  /** A write to _schemas failed or was not read back in time. */
  STORE_WRITE: 'SEAWAY_SR_STORE_WRITE',
  /** The store was used after close(). */
  STORE_CLOSED: 'SEAWAY_SR_STORE_CLOSED',
  /** Options passed to startSchemaRegistry are invalid. */
  CONFIG: 'SEAWAY_SR_CONFIG',
} as const;
export type SeawayCode = (typeof SeawayCode)[keyof typeof SeawayCode];

export class SeawayRegistryError extends Error {
  readonly code: SeawayCode;
  constructor(code: SeawayCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeawayRegistryError';
    this.code = code;
  }
}
