import { z } from 'zod';
import { TailErrorFrame, TailFrame } from './live.ts';

/** The hops of the data path, in order. */
export const Hop = z.enum(['generator', 'mqtt', 'bridge', 'kafka']);
export type Hop = z.infer<typeof Hop>;

export const HopCounters = z.object({
  /** Messages since start. */
  messages: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Per second over the last frame interval. */
  messagesPerSec: z.number().nonnegative(),
  bytesPerSec: z.number().nonnegative(),
});
export type HopCounters = z.infer<typeof HopCounters>;

/** One frame a second on /ws: aggregates, never a frame per record. */
export const MetricsFrame = z.object({
  type: z.literal('metrics'),
  ts: z.number(),
  hops: z.object({
    generator: HopCounters,
    mqtt: HopCounters,
    bridge: HopCounters,
    kafka: HopCounters,
  }),
  mqttClients: z.number().int().nonnegative(),
});
export type MetricsFrame = z.infer<typeof MetricsFrame>;

/** GET /api/metrics/history: the last minutes of 1 Hz frames, oldest first, so charts start full. */
export const MetricsHistoryResponse = z.object({
  frames: z.array(MetricsFrame),
  /** How much history the server keeps (ms). */
  windowMs: z.number().int().positive(),
});
export type MetricsHistoryResponse = z.infer<typeof MetricsHistoryResponse>;

/** Everything the server sends on /ws. */
export const ServerFrame = z.discriminatedUnion('type', [MetricsFrame, TailFrame, TailErrorFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
