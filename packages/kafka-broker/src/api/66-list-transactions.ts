// ListTransactions (key 66), versions 0-1 (flexible; KIP-664, kafka-transactions list).
// v0: stateFilters (Kafka's state names; unknown ones are echoed in unknownStateFilters and match
// nothing), producerIdFilters. v1 (KIP-994): durationFilter, only transactional ids whose current or
// last transaction started at least that many ms ago (-1: no filter); as in Kafka this compares with
// the start time whatever the state, so an Empty id (start -1) always passes and a completed one
// keeps its last start. Empty filters match everything.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { TXN_STATES } from '../txn/txn-log.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 66;
export const minVersion = 0;
export const maxVersion = 1;

const KNOWN: ReadonlySet<string> = new Set(TXN_STATES);

export function handle(req: RequestBody<66>, ctx: RequestContext) {
  const states = new Set(req.stateFilters.filter((s) => KNOWN.has(s)));
  const unknownStateFilters = req.stateFilters.filter((s) => !KNOWN.has(s));
  const pids = new Set(req.producerIdFilters.map(Number));
  const minDuration = Number(req.durationFilter);
  const now = Date.now();
  const transactionStates = [];
  for (const t of ctx.broker.txns.txns.values()) {
    if (req.stateFilters.length > 0 && !states.has(t.state)) continue;
    if (pids.size > 0 && !pids.has(t.producerId)) continue;
    if (minDuration >= 0 && now - t.startMs < minDuration) continue;
    transactionStates.push({
      transactionalId: t.transactionalId,
      producerId: BigInt(t.producerId),
      transactionState: t.state,
    });
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters, transactionStates };
}
