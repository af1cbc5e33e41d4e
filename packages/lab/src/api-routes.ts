// GET /api/health: per-service status, 200 once every enabled service is up, 503 before.
// (The topic list and the console's other routes live in console-api/.)
import type { HealthResponse, ServiceStatus } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';

export interface ApiDeps {
  version: string;
  startedAt: number;
  services: () => Record<string, ServiceStatus>;
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
}
