// The NMEA 0183 sentence layer of AIVDM/AIVDO (gpsd AIVDM, "AIVDM/AIVDO Sentence Layer"):
//   !AIVDM,<fragments>,<fragment no>,<sequential id>,<channel>,<payload>,<fill bits>*<checksum>
// The checksum is the XOR of every character between '!' (or '$') and '*', as two hex digits.
// A line may carry a leading TAG block (\...\) or other prefix; parsing starts at the '!'.
import { AisError } from '../errors.ts';

export interface Sentence {
  talker: string; // e.g. AI
  kind: 'VDM' | 'VDO';
  fragments: number;
  fragment: number;
  seqId: string;
  channel: string;
  payload: string;
  fillBits: number;
}

export function nmeaChecksum(body: string): number {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x;
}

export function parseSentence(line: string): Sentence {
  const start = line.search(/[!$][A-Z]{2}VD[MO],/);
  if (start < 0) throw new AisError('SEAWAY_AIS_NMEA_SENTENCE', `no !xxVDM/!xxVDO sentence in ${preview(line)}`);
  const star = line.indexOf('*', start);
  if (star < 0) throw new AisError('SEAWAY_AIS_NMEA_SENTENCE', `missing '*checksum' in ${preview(line)}`);
  const body = line.slice(start + 1, star);
  // Receivers append metadata after the checksum (",s36310,d-081,T59.01"); accept and ignore it.
  const sum = line.slice(star + 1, star + 3);
  const after = line.charAt(star + 3);
  if (!/^[0-9A-Fa-f]{2}$/.test(sum) || (after !== '' && !/[\s,\\]/.test(after))) {
    throw new AisError('SEAWAY_AIS_NMEA_SENTENCE', `checksum must be two hex digits in ${preview(line)}`);
  }
  const want = nmeaChecksum(body);
  if (Number.parseInt(sum, 16) !== want) {
    throw new AisError(
      'SEAWAY_AIS_NMEA_CHECKSUM',
      `sentence says ${sum.toUpperCase()}, content gives ${hex2(want)} in ${preview(line)}`,
    );
  }
  const f = body.split(',');
  if (f.length !== 7) {
    throw new AisError('SEAWAY_AIS_NMEA_SENTENCE', `expected 7 fields, got ${f.length} in ${preview(line)}`);
  }
  const [tag, total, num, seqId, channel, payload, fill] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const fragments = Number(total);
  const fragment = Number(num);
  const fillBits = fill === '' ? 0 : Number(fill);
  if (
    !Number.isInteger(fragments) ||
    !Number.isInteger(fragment) ||
    fragments < 1 ||
    fragments > 9 ||
    fragment < 1 ||
    fragment > fragments ||
    !Number.isInteger(fillBits) ||
    fillBits < 0 ||
    fillBits > 5
  ) {
    throw new AisError('SEAWAY_AIS_NMEA_SENTENCE', `bad fragment or fill-bit field in ${preview(line)}`);
  }
  return {
    talker: tag.slice(0, 2),
    kind: tag.endsWith('VDO') ? 'VDO' : 'VDM',
    fragments,
    fragment,
    seqId,
    channel,
    payload,
    fillBits,
  };
}

export interface FormatOptions {
  talker?: string; // AI
  kind?: 'VDM' | 'VDO';
  channel?: string; // A
  seqId?: number; // 0..9 for multi-fragment messages
}

/** Longest payload per sentence so a sentence stays within NMEA's 82 characters. */
export const MAX_FRAGMENT_PAYLOAD = 60;

/** Format an armored payload as one or more sentences (split at 60 characters). */
export function formatSentences(payload: string, fillBits: number, opts: FormatOptions = {}): string[] {
  const head = `${opts.talker ?? 'AI'}${opts.kind ?? 'VDM'}`;
  const channel = opts.channel ?? 'A';
  const parts: string[] = [];
  for (let i = 0; i < payload.length; i += MAX_FRAGMENT_PAYLOAD) parts.push(payload.slice(i, i + MAX_FRAGMENT_PAYLOAD));
  if (parts.length === 0) parts.push('');
  const seq = parts.length > 1 ? String((opts.seqId ?? 0) % 10) : '';
  return parts.map((part, i) => {
    const fill = i === parts.length - 1 ? fillBits : 0;
    const body = `${head},${parts.length},${i + 1},${seq},${channel},${part},${fill}`;
    return `!${body}*${hex2(nmeaChecksum(body))}`;
  });
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function preview(line: string): string {
  return JSON.stringify(line.length > 90 ? `${line.slice(0, 87)}...` : line);
}
