// GET /api/connectors/metrics: per-connector counters from the lab's bridge runtime (its
// metrics()), for throughput and dead-letter counts on the console's Connectors page. Counters are
// totals since the connector started; the console turns successive answers into rates.
// GET /api/metrics/history: the hub's kept 1 Hz frames, so the console's charts start full.
import type { ConnectorMetricsResponse, MetricsHistoryResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConnectorMetricsLike, ConsoleApiDeps } from './deps.ts';

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function toMetricsEntry(m: ConnectorMetricsLike): ConnectorMetricsResponse['connectors'][number] {
  const counters = (x: ConnectorMetricsLike | ConnectorMetricsLike['tasks'][number]) => ({
    messagesIn: n(x.messagesIn),
    recordsOut: n(x.recordsOut),
    bytesOut: n(x.bytesOut),
    deadLettered: n(x.deadLettered),
    inFlight: n(x.inFlight),
    produceLatencyMs: typeof x.produceLatencyMs === 'number' && n(x.recordsOut) > 0 ? x.produceLatencyMs : null,
    convertErrors: n(x.convertErrors),
  });
  return {
    name: m.name,
    state: m.state,
    ...counters(m),
    tasks: (m.tasks ?? []).map((t) => ({ id: t.id, state: t.state, ...counters(t) })),
  };
}

export function registerConnectorMetrics(app: FastifyInstance, deps: ConsoleApiDeps): void {
  app.get('/api/connectors/metrics', async () => {
    const list = deps.connectorMetrics?.() ?? null;
    const body: ConnectorMetricsResponse = {
      available: list !== null,
      ts: Date.now(),
      connectors: (list ?? []).map(toMetricsEntry),
    };
    return body;
  });
  app.get('/api/metrics/history', async () => {
    const h = deps.metricsHistory;
    const body: MetricsHistoryResponse = { frames: h?.frames() ?? [], windowMs: h?.windowMs ?? 1 };
    return body;
  });
}
