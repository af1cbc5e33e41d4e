// The bridge's error catalogue: every error it raises on purpose carries one of these stable codes.
// Tests assert on codes, never on message text. REST handlers map them to Connect's {error_code, message}.

export const BridgeErrorCodes = {
  /** KCQL text could not be parsed; the message names the position and what was expected. */
  KCQL_PARSE: 'SEAWAY_KCQL_PARSE',
  /** A connector config failed validation; `details` holds the per-key errors. */
  CONFIG_INVALID: 'SEAWAY_CONNECT_CONFIG_INVALID',
  /** No connector plugin matches connector.class. */
  PLUGIN_NOT_FOUND: 'SEAWAY_CONNECT_PLUGIN_NOT_FOUND',
  /** GET /connector-plugins/{class}/config named a class Seaway does not ship (404). */
  PLUGIN_UNKNOWN: 'SEAWAY_CONNECT_PLUGIN_UNKNOWN',
  /** /admin/loggers named a logger nobody registered, or a level Log4j does not know (404, as Connect). */
  LOGGER_NOT_FOUND: 'SEAWAY_CONNECT_LOGGER_NOT_FOUND',
  /** A REST call named a connector that does not exist. */
  CONNECTOR_NOT_FOUND: 'SEAWAY_CONNECT_CONNECTOR_NOT_FOUND',
  /** POST /connectors with a name that is already taken. */
  CONNECTOR_EXISTS: 'SEAWAY_CONNECT_CONNECTOR_EXISTS',
  /** A REST call named a task id the connector does not have. */
  TASK_NOT_FOUND: 'SEAWAY_CONNECT_TASK_NOT_FOUND',
  /** A request body was not what the endpoint takes. */
  BAD_REQUEST: 'SEAWAY_CONNECT_BAD_REQUEST',
  /** A payload could not be converted by the connector's converter. */
  CONVERT: 'SEAWAY_CONVERT_FAILED',
  /** An Avro schema file named in the config could not be read or parsed. */
  AVRO_SCHEMA: 'SEAWAY_AVRO_SCHEMA',
  /** The schema registry refused or could not be reached. */
  REGISTRY: 'SEAWAY_SCHEMA_REGISTRY',
  /** An MQTT topic arrived that no KCQL statement of the task matches. */
  NO_ROUTE: 'SEAWAY_MQTT_NO_ROUTE',
  /** The task is stopping; messages handed to it now are refused (the publisher redelivers). */
  TASK_STOPPING: 'SEAWAY_TASK_STOPPING',
  /** The task's in-flight bound is reached; messages are refused until Kafka catches up. */
  BACKPRESSURE: 'SEAWAY_TASK_BACKPRESSURE',
  /** The connect-configs / connect-status store failed. */
  STORE: 'SEAWAY_CONNECT_STORE',
} as const;

export type BridgeErrorCode = (typeof BridgeErrorCodes)[keyof typeof BridgeErrorCodes];

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  readonly details: unknown;
  constructor(code: BridgeErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
    this.details = details;
  }
}

export function isBridgeError(e: unknown, code?: BridgeErrorCode): e is BridgeError {
  return e instanceof BridgeError && (code === undefined || e.code === code);
}
