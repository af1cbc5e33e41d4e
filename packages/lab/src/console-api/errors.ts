// Error catalogue of the console API. Every non-2xx answer is an ApiError ({error_code, message,
// code}); tests assert on `code`, never on message text.
import type { ApiError } from '@seaway/contracts';
import type { FastifyReply } from 'fastify';

export const ConsoleErrors = {
  SEAWAY_CONSOLE_KAFKA_UNAVAILABLE: 503,
  SEAWAY_CONSOLE_KAFKA_FAILED: 502,
  SEAWAY_CONSOLE_TOPIC_NOT_FOUND: 404,
  SEAWAY_CONSOLE_TOPIC_EXISTS: 409,
  SEAWAY_CONSOLE_BAD_REQUEST: 400,
  SEAWAY_CONSOLE_PARTITION_NOT_FOUND: 404,
  SEAWAY_CONSOLE_BUSY: 429,
  SEAWAY_CONSOLE_MQTT_DISABLED: 503,
  SEAWAY_CONSOLE_MQTT_PUBLISH_FAILED: 502,
  SEAWAY_CONSOLE_GENERATOR_FAILED: 400,
  SEAWAY_CONSOLE_RUN_NOT_FOUND: 404,
  SEAWAY_CONSOLE_CONNECT_DISABLED: 503,
  SEAWAY_CONSOLE_GROUP_NOT_FOUND: 404,
  SEAWAY_CONSOLE_GROUP_ACTIVE: 409,
  SEAWAY_CONSOLE_CONFIG_INVALID: 400,
  SEAWAY_CONSOLE_KAFKA_REFUSED: 400,
} as const;
export type ConsoleErrorCode = keyof typeof ConsoleErrors;

export class ConsoleApiError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof ConsoleApiError) {
    const status = ConsoleErrors[e.code];
    const body: ApiError = { error_code: status, message: e.message, code: e.code };
    return reply.code(status).send(body);
  }
  const body: ApiError = {
    error_code: 502,
    message: `Kafka did not answer as expected: ${(e as Error).message ?? String(e)}. Check that Kafka is up (GET /api/health) and retry.`,
    code: 'SEAWAY_CONSOLE_KAFKA_FAILED',
  };
  return reply.code(502).send(body);
}
