// ListOffsets (key 2), versions 1-7.
// v1: one offset per partition (timestamp -1 latest, -2 earliest, or the first offset whose timestamp
// is >= the given one). v2: isolationLevel (no transactions here: the same answer). v4:
// currentLeaderEpoch, leaderEpoch in the answer (always 0). v6: flexible. v7: timestamp -3 = the
// record with the largest timestamp (KIP-734). Skipped: -4/-5 (tiered storage, v8+), v0.

import { decodeRecordBatch, ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { PartitionLog } from '../log/index.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 2;
export const minVersion = 1;
export const maxVersion = 7;

/** Offset and timestamp of the record with the largest timestamp (first such record), or undefined. */
export async function maxTimestampOffset(
  log: PartitionLog,
): Promise<{ offset: number; timestamp: number } | undefined> {
  let best: { batch: Buffer; ts: number } | undefined;
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const chunk = await log.read(offset, 1 << 20);
    if (chunk.length === 0) break;
    let pos = 0;
    while (pos + 61 <= chunk.length) {
      const size = chunk.readInt32BE(pos + 8) + 12;
      if (pos + size > chunk.length) break;
      const ts = Number(chunk.readBigInt64BE(pos + 35));
      if (best === undefined || ts > best.ts) best = { batch: Buffer.from(chunk.subarray(pos, pos + size)), ts };
      offset = Number(chunk.readBigInt64BE(pos)) + chunk.readInt32BE(pos + 23) + 1;
      pos += size;
    }
  }
  if (!best) return undefined;
  const decoded = decodeRecordBatch(best.batch, 0, { verifyCrc: false });
  let hit = decoded.records[0];
  for (const r of decoded.records) if (r.timestamp > (hit?.timestamp ?? -Infinity)) hit = r;
  if (!hit) return undefined;
  return { offset: Math.max(hit.offset, log.logStartOffset), timestamp: hit.timestamp };
}

export async function handle(req: RequestBody<2>, ctx: RequestContext) {
  const { cluster } = ctx.broker;
  const topics = [];
  for (const t of req.topics) {
    const topic = cluster.topics.get(t.name);
    const partitions = [];
    for (const lp of t.partitions) {
      const out = {
        partitionIndex: lp.partitionIndex,
        errorCode: ErrorCode.NONE as number,
        timestamp: -1n,
        offset: -1n,
        leaderEpoch: -1,
      };
      partitions.push(out);
      const p = topic?.partitions[lp.partitionIndex];
      if (!p) {
        out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        continue;
      }
      if (lp.currentLeaderEpoch > 0) {
        out.errorCode = ErrorCode.UNKNOWN_LEADER_EPOCH;
        continue;
      }
      const ts = Number(lp.timestamp);
      if (ts === -3) {
        const hit = await maxTimestampOffset(p.log);
        if (hit) {
          out.offset = BigInt(hit.offset);
          out.timestamp = BigInt(hit.timestamp);
          out.leaderEpoch = 0;
        }
        continue;
      }
      if (ts < -2) {
        out.errorCode = ErrorCode.UNSUPPORTED_VERSION;
        continue;
      }
      const hit = await p.log.offsetForTimestamp(ts);
      out.leaderEpoch = 0;
      if (hit) {
        out.offset = BigInt(hit.offset);
        out.timestamp = BigInt(hit.timestamp);
      } else {
        // Kafka: no record that new -> offset -1, timestamp -1
        out.leaderEpoch = -1;
      }
    }
    topics.push({ name: t.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}
