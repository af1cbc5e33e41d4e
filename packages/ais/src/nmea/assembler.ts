// Reassembles multi-fragment AIVDM messages. Fragments of one message share a sequential id and
// channel and arrive in order; a fragment 1 restarts its slot, an out-of-order fragment drops the
// partial message (counted, as gpsd does). Single-fragment sentences pass straight through.
import { parseSentence, type Sentence } from './sentence.ts';

export interface AssembledPayload {
  payload: string;
  fillBits: number;
  channel: string;
  kind: 'VDM' | 'VDO';
}

export interface AssemblerStats {
  sentences: number;
  messages: number;
  malformed: number;
  /** Fragments that arrived without their predecessors. */
  orphans: number;
}

export class FragmentAssembler {
  private readonly partial = new Map<string, { next: number; payload: string; of: number }>();
  readonly stats: AssemblerStats = { sentences: 0, messages: 0, malformed: 0, orphans: 0 };
  /** The last parse error, for logs. */
  lastError: Error | null = null;

  /** Feed one text line; returns the completed payload or null (comment, partial, malformed). */
  pushLine(line: string): AssembledPayload | null {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return null;
    let s: Sentence;
    try {
      s = parseSentence(trimmed);
    } catch (err) {
      this.stats.malformed++;
      this.lastError = err as Error;
      return null;
    }
    return this.push(s);
  }

  push(s: Sentence): AssembledPayload | null {
    this.stats.sentences++;
    if (s.fragments === 1) {
      this.stats.messages++;
      return { payload: s.payload, fillBits: s.fillBits, channel: s.channel, kind: s.kind };
    }
    const key = `${s.channel}|${s.seqId}`;
    if (s.fragment === 1) {
      this.partial.set(key, { next: 2, payload: s.payload, of: s.fragments });
      return null;
    }
    const p = this.partial.get(key);
    if (!p || p.next !== s.fragment || p.of !== s.fragments) {
      this.partial.delete(key);
      this.stats.orphans++;
      return null;
    }
    p.payload += s.payload;
    p.next++;
    if (s.fragment < s.fragments) return null;
    this.partial.delete(key);
    this.stats.messages++;
    return { payload: p.payload, fillBits: s.fillBits, channel: s.channel, kind: s.kind };
  }
}
