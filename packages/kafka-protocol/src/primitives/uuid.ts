/**
 * Kafka UUIDs (topic ids, directory ids) travel as 16 raw bytes. In JS values they are strings in
 * Kafka's own text form: URL-safe base64 without padding, 22 characters, as `kafka-topics
 * --describe` prints them. Strings compare with === and work as Map keys.
 */

import { KafkaCodecError } from './codec-error.ts';

/** Kafka's Uuid.ZERO_UUID ("no id"), the default of every uuid field. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const UUID_TEXT = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** Writes the 16 bytes of `uuid` into `out` at `offset`; returns 16. */
export function uuidToBytes(uuid: string, out: Buffer, offset: number): number {
  if (typeof uuid !== 'string' || !UUID_TEXT.test(uuid)) {
    throw new KafkaCodecError(
      'SEAWAY_KPROTO_ENCODE',
      `not a Kafka uuid: ${String(uuid)} (expected 22 characters of URL-safe base64, e.g. ${ZERO_UUID})`,
    );
  }
  return out.write(uuid, offset, 16, 'base64url');
}

/** Reads 16 bytes at `offset` as a Kafka uuid string. */
export function uuidFromBytes(buf: Buffer, offset: number): string {
  return buf.toString('base64url', offset, offset + 16);
}

/** A random version-4 uuid in Kafka's text form. */
export function randomUuid(): string {
  const bytes = Buffer.alloc(16);
  for (;;) {
    crypto.getRandomValues(bytes);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const text = bytes.toString('base64url');
    // Kafka never hands out ids starting with '-' (CLI parsing) and reserves the zero id.
    if (!text.startsWith('-') && text !== ZERO_UUID) return text;
  }
}
