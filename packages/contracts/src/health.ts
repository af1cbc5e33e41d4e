import { z } from 'zod';

export const ServiceStatus = z.object({
  status: z.enum(['up', 'down', 'disabled', 'starting']),
  /** Where users reach it, e.g. "127.0.0.1:9092" or "ws://localhost:3030/mqtt". */
  address: z.string().optional(),
  detail: z.string().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

/** GET /api/health: 200 when every enabled service is up, 503 otherwise. */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'starting', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  services: z.record(z.string(), ServiceStatus),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
