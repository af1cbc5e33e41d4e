/**
 * The one error type the message codec throws, with stable codes that callers and tests match on.
 *
 * Codes (catalogue for this part of @seaway/kafka-protocol):
 * - SEAWAY_KPROTO_TRUNCATED       input ended before a field did (short frame or wrong api version)
 * - SEAWAY_KPROTO_INVALID         bytes that no valid encoder produces (bad varint, negative length,
 *                                 null where the version forbids it, bad uuid)
 * - SEAWAY_KPROTO_UNSUPPORTED     api key or version the definitions do not cover
 * - SEAWAY_KPROTO_ENCODE          a value cannot be encoded (wrong type, out of range, null not allowed)
 */

export type KafkaCodecErrorCode =
  | 'SEAWAY_KPROTO_TRUNCATED'
  | 'SEAWAY_KPROTO_INVALID'
  | 'SEAWAY_KPROTO_UNSUPPORTED'
  | 'SEAWAY_KPROTO_ENCODE';

export class KafkaCodecError extends Error {
  override readonly name = 'KafkaCodecError';
  readonly code: KafkaCodecErrorCode;
  /** Field path from the message root, filled in as the error travels up through nested structs. */
  path: string[] = [];

  private readonly detail: string;

  constructor(code: KafkaCodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.detail = message;
  }

  /** Prepends a field name to the path and rewrites the message to name it; used by struct codecs. */
  within(field: string): this {
    this.path.unshift(field);
    const where = this.path.map((p, i) => (i === 0 || p.startsWith('[') ? p : `.${p}`)).join('');
    this.message = `${this.detail} (at ${where})`;
    return this;
  }
}

export function truncatedInput(needed: number, offset: number, end: number): KafkaCodecError {
  return new KafkaCodecError(
    'SEAWAY_KPROTO_TRUNCATED',
    `needed ${needed} byte(s) at offset ${offset} but the input ends at ${end}; ` +
      'the frame is shorter than its fields say (truncated frame, or encoded with another api version)',
  );
}

export function invalidInput(message: string): KafkaCodecError {
  return new KafkaCodecError('SEAWAY_KPROTO_INVALID', message);
}
