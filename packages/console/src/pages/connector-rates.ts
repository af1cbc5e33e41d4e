// Throughput per connector from GET /api/connectors/metrics: the server sends totals, the console
// turns two successive polls into rates. A counter that went down (connector restarted) gives no
// rate for that interval instead of a negative one.
import { type ConnectorMetricsEntry, ConnectorMetricsResponse } from '@seaway/contracts';
import { useRef } from 'react';
import { request } from '../api/http.ts';
import { useQuery } from '../api/query.ts';

export interface ConnectorRates {
  m: ConnectorMetricsEntry;
  /** Per second over the last poll interval; null until two polls are in (or after a reset). */
  messagesInPerSec: number | null;
  recordsOutPerSec: number | null;
  bytesOutPerSec: number | null;
  deadLetteredPerSec: number | null;
}

function per(cur: number, prev: number | undefined, seconds: number): number | null {
  if (prev === undefined || seconds <= 0 || cur < prev) return null;
  return (cur - prev) / seconds;
}

export function connectorRates(
  prev: ConnectorMetricsResponse | undefined,
  cur: ConnectorMetricsResponse,
): Map<string, ConnectorRates> {
  const before = new Map(prev?.connectors.map((c) => [c.name, c]));
  const seconds = prev ? (cur.ts - prev.ts) / 1000 : 0;
  const out = new Map<string, ConnectorRates>();
  for (const m of cur.connectors) {
    const p = before.get(m.name);
    out.set(m.name, {
      m,
      messagesInPerSec: per(m.messagesIn, p?.messagesIn, seconds),
      recordsOutPerSec: per(m.recordsOut, p?.recordsOut, seconds),
      bytesOutPerSec: per(m.bytesOut, p?.bytesOut, seconds),
      deadLetteredPerSec: per(m.deadLettered, p?.deadLettered, seconds),
    });
  }
  return out;
}

/** Polls the metrics every 2 s and keeps the previous answer to compute rates. */
export function useConnectorRates(enabled: boolean): { available: boolean; rates: Map<string, ConnectorRates> } {
  const q = useQuery(
    ['connect', 'metrics'],
    (signal) => request('/api/connectors/metrics', ConnectorMetricsResponse, { signal }),
    { refreshMs: 2_000, enabled },
  );
  const last = useRef<{ prev?: ConnectorMetricsResponse; cur?: ConnectorMetricsResponse }>({});
  if (q.data && q.data !== last.current.cur) last.current = { prev: last.current.cur, cur: q.data };
  const { prev, cur } = last.current;
  return { available: cur?.available ?? false, rates: cur ? connectorRates(prev, cur) : new Map() };
}
