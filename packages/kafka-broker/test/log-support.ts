// Helpers shared by the log tests: batches with known contents, and batch inspection.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CompressionName,
  decodeRecordBatch,
  encodeRecordBatch,
  isBatchCrcValid,
  scanBatches,
} from '@seaway/kafka-protocol';

export const T0 = 1_700_000_000_000;

/** A batch of `n` records with timestamps ts, ts+1, …; values "<tag>-<i>". */
export function batch(
  n: number,
  opts: { ts?: number; tag?: string; compression?: CompressionName; pad?: number } = {},
) {
  const ts = opts.ts ?? T0;
  const tag = opts.tag ?? 'r';
  return encodeRecordBatch(
    Array.from({ length: n }, (_, i) => ({
      key: `${tag}-k${i}`,
      value: `${tag}-${i}` + (opts.pad ? 'x'.repeat(opts.pad) : ''),
      timestamp: ts + i,
    })),
    { compression: opts.compression ?? 'none', baseOffset: 999_999 },
  );
}

export interface Seen {
  baseOffset: number;
  lastOffset: number;
  values: string[];
  offsets: number[];
  crcOk: boolean;
  size: number;
}

/** Decodes every batch in a read result; throws if it does not end on a batch boundary. */
export function inspect(buf: Buffer): Seen[] {
  const { batches, end } = scanBatches(buf);
  if (end !== buf.length) throw new Error(`read result ends in a partial batch (${buf.length - end} bytes)`);
  return batches.map((b) => {
    const d = decodeRecordBatch(buf, b.pos, { verifyCrc: false });
    return {
      baseOffset: b.header.baseOffset,
      lastOffset: b.header.baseOffset + b.header.lastOffsetDelta,
      values: d.records.map((r) => r.value?.toString() ?? ''),
      offsets: d.records.map((r) => r.offset),
      crcOk: isBatchCrcValid(buf, b.pos, b.size),
      size: b.size,
    };
  });
}

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'seaway-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export const errCode = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

/** Every record from the log start to the high watermark, decoded. */
export async function readAll(log: {
  logStartOffset: number;
  highWatermark: number;
  read(offset: number, maxBytes: number): Promise<Buffer>;
}): Promise<{ offset: number; key: string | null; value: string | null }[]> {
  const out: { offset: number; key: string | null; value: string | null }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const buf = await log.read(offset, 1 << 20);
    if (buf.length === 0) break;
    for (const b of scanBatches(buf).batches) {
      for (const r of decodeRecordBatch(buf, b.pos).records) {
        if (r.offset >= offset)
          out.push({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null });
      }
      offset = b.header.baseOffset + b.header.lastOffsetDelta + 1;
    }
  }
  return out;
}
