// The AIVDM/AIVDO codec's public surface: decode lines into messages, encode position reports
// into sentences.
import { armor, BitReader, unarmor } from './armor.ts';
import { type AssembledPayload, FragmentAssembler } from './assembler.ts';
import {
  type AisMessage,
  decodeMessage,
  encodePosition,
  type PositionReportA,
  type PositionReportB,
} from './messages.ts';
import { type FormatOptions, formatSentences } from './sentence.ts';

export * from './armor.ts';
export * from './assembler.ts';
export * from './messages.ts';
export * from './sentence.ts';

/** Decode an assembled payload into a message (throws AisError for unsupported or short ones). */
export function decodePayload(p: Pick<AssembledPayload, 'payload' | 'fillBits'>): AisMessage {
  return decodeMessage(new BitReader(unarmor(p.payload, p.fillBits)));
}

/** Encode a position report (1, 2, 3, 18) as NMEA sentences (one sentence for these types). */
export function encodePositionSentences(m: PositionReportA | PositionReportB, opts?: FormatOptions): string[] {
  const { payload, fillBits } = armor(encodePosition(m));
  return formatSentences(payload, fillBits, opts);
}

/**
 * Decode every supported message of a text (lines of sentences, '#' comments allowed).
 * Unsupported types are counted in `skipped`; malformed lines in the assembler's stats.
 */
export function decodeText(text: string): { messages: AisMessage[]; skipped: number; assembler: FragmentAssembler } {
  const asm = new FragmentAssembler();
  const messages: AisMessage[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const p = asm.pushLine(line);
    if (!p) continue;
    try {
      messages.push(decodePayload(p));
    } catch {
      skipped++;
    }
  }
  return { messages, skipped, assembler: asm };
}
