// The one error type every codec throws, with a stable code tests assert on.

export class CompressionError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CompressionError';
    this.code = code;
  }
}

export const corrupt = (codec: string, what: string): CompressionError =>
  new CompressionError(
    'SEAWAY_COMPRESSION_CORRUPT',
    `${codec} data is corrupt: ${what}; the producer sent a damaged batch or a codec this broker does not read`,
  );
