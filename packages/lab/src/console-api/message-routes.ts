// GET /api/topics/:name/messages (bounded scan) and POST /api/topics/:name/messages (produce one
// record, acks=all). At most `scans.max` scans (CONSOLE_MAX_SCANS, default 4) run at once; more get
// 429, counted in `scans.stats.refused`.
import { ProduceRequest, type ProduceResponse, ScanLimits } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import { ConsoleApiError, sendError } from './errors.ts';
import { type ConsoleKafka, requireKafka, requireTopic } from './kafka-access.ts';
import { type ScanRequest, scanMessages } from './message-scan.ts';

const DEFAULT_MAX_SCANS = 4;

type Query = Record<string, string | undefined>;

function intParam(q: Query, name: string, min: number, max: number): number | undefined {
  const raw = q[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_BAD_REQUEST',
      `${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return n;
}

export function parseScanQuery(topic: string, q: Query): ScanRequest {
  const given = ['offset', 'timestamp', 'newest'].filter((k) => q[k] !== undefined);
  if (given.length > 1) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_BAD_REQUEST',
      `give one of offset, timestamp or newest, not ${given.join(' and ')}`,
    );
  }
  const offset = intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const timestamp = intParam(q, 'timestamp', 0, Number.MAX_SAFE_INTEGER);
  return {
    topic,
    partition: intParam(q, 'partition', 0, 100_000),
    from:
      offset !== undefined
        ? { kind: 'offset', offset }
        : timestamp !== undefined
          ? { kind: 'timestamp', timestamp }
          : { kind: 'newest' },
    limit: intParam(q, 'limit', 1, ScanLimits.maxLimit) ?? ScanLimits.defaultLimit,
    timeoutMs: intParam(q, 'timeoutMs', 100, ScanLimits.maxTimeoutMs) ?? ScanLimits.defaultTimeoutMs,
  };
}

export function registerMessageRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  const max = k.deps.scans?.max ?? DEFAULT_MAX_SCANS;
  const stats = k.deps.scans?.stats ?? { running: 0, refused: 0 };
  app.get<{ Params: { name: string }; Querystring: Query }>('/api/topics/:name/messages', async (req, reply) => {
    try {
      const scan = parseScanQuery(req.params.name, req.query);
      const kafka = requireKafka(k.deps);
      if (stats.running >= max) {
        stats.refused++;
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BUSY',
          `${stats.running} scans are already running (CONSOLE_MAX_SCANS=${max}); wait for one to finish and retry`,
        );
      }
      stats.running++;
      try {
        return await k.admin.use((admin) => scanMessages(kafka, admin, scan));
      } finally {
        stats.running--;
      }
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.post<{ Params: { name: string } }>('/api/topics/:name/messages', async (req, reply) => {
    try {
      const parsed = ProduceRequest.safeParse(req.body);
      if (!parsed.success) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      }
      const m = parsed.data;
      const topic = req.params.name;
      await k.admin.use((admin) => requireTopic(admin, topic));
      const enc = m.encoding === 'base64' ? 'base64' : 'utf8';
      const [r] = await k.producer.use((p) =>
        p.send({
          topic,
          acks: -1,
          messages: [
            {
              partition: m.partition,
              key: m.key === null || m.key === undefined ? null : Buffer.from(m.key, enc),
              value: m.value === null ? null : Buffer.from(m.value, enc),
              headers: Object.fromEntries(m.headers.map((h) => [h.key, h.value])),
            },
          ],
        }),
      );
      const body: ProduceResponse = { topic, partition: r?.partition ?? 0, offset: r?.baseOffset ?? '-1' };
      return reply.code(201).send(body);
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
