// Finding the first record at or after a timestamp inside one batch (ListOffsets by time).

import { decodeRecordBatch } from './protocol.ts';
import type { TimestampLookup } from './types.ts';

/** First record in the batch at `pos` whose timestamp >= ts, with a minimum offset; undefined if none. */
export function firstRecordAtOrAfter(
  buf: Buffer,
  pos: number,
  ts: number,
  minOffset: number,
): TimestampLookup | undefined {
  const { records } = decodeRecordBatch(buf, pos, { verifyCrc: false });
  for (const r of records) {
    if (r.offset >= minOffset && r.timestamp >= ts) return { offset: r.offset, timestamp: r.timestamp };
  }
  return undefined;
}
