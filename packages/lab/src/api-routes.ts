// The lab's own read APIs under /api: health and the topic list. Shapes live in @seaway/contracts.
import type { HealthResponse, ServiceStatus, TopicsResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { Admin } from 'kafkajs';

export interface ApiDeps {
  version: string;
  startedAt: number;
  services: () => Record<string, ServiceStatus>;
  admin: () => Admin | null;
}

export function registerApi(app: FastifyInstance, d: ApiDeps): void {
  app.get('/api/health', async (_req, reply) => {
    const services = d.services();
    const enabled = Object.values(services).filter((s) => s.status !== 'disabled');
    const status: HealthResponse['status'] = enabled.every((s) => s.status === 'up')
      ? 'ok'
      : enabled.some((s) => s.status === 'starting')
        ? 'starting'
        : 'degraded';
    const body: HealthResponse = {
      status,
      version: d.version,
      uptimeSeconds: Math.round((Date.now() - d.startedAt) / 1000),
      services,
    };
    return reply.code(status === 'ok' ? 200 : 503).send(body);
  });

  app.get('/api/topics', async (_req, reply) => {
    const admin = d.admin();
    if (!admin)
      return reply.code(503).send({ error_code: 503, message: 'Kafka is not connected yet; retry in a moment' });
    try {
      const meta = await admin.fetchTopicMetadata();
      // A topic deleted between the listing and its offsets must not fail the whole list.
      const topics = await Promise.all(
        meta.topics.map(async (t) => {
          const summary = { name: t.name, partitions: t.partitions.length, internal: t.name.startsWith('_') };
          try {
            const offsets = await admin.fetchTopicOffsets(t.name);
            return { ...summary, records: offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0) };
          } catch {
            return summary;
          }
        }),
      );
      topics.sort((a, b) => a.name.localeCompare(b.name));
      const body: TopicsResponse = { topics };
      return body;
    } catch (e) {
      return reply
        .code(502)
        .send({ error_code: 502, message: `Kafka did not answer the topic listing: ${(e as Error).message}` });
    }
  });
}
