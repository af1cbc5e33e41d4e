// Shapes of the console's live features: the vessel map, generator runs, per-connector metrics and
// the live tail over /ws (the tail frames themselves join ServerFrame in metrics.ts).
import { z } from 'zod';
import { TopicMessage } from './console.ts';

// --- GET /api/map/vessels?topic=&since= -------------------------------------------------------

/** The latest known position of one vessel (AIS position report fields, as the schemas name them). */
export const Vessel = z.object({
  mmsi: z.string(),
  name: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  /** Knots; null when not available. */
  speed: z.number().nullable(),
  /** Course over ground, degrees; null when not available (360). */
  course: z.number().nullable(),
  /** True heading, degrees; null when not available (511). */
  heading: z.number().nullable(),
  /** AIS navigation status code (0 under way … 15 undefined); null when absent. */
  status: z.number().int().nullable(),
  /** Kafka record timestamp, ms since the epoch. */
  lastSeen: z.number(),
});
export type Vessel = z.infer<typeof Vessel>;

export const MapVesselsResponse = z.object({
  topic: z.string(),
  vessels: z.array(Vessel),
  /** Records read by the scans behind this answer, and how many could not be decoded. */
  scanned: z.number().int().nonnegative(),
  undecodable: z.number().int().nonnegative(),
  /** Vessels dropped because the map was full (maxVessels). */
  truncated: z.boolean(),
  /** Server time of the answer; pass it back as `since` for positions newer than this. */
  ts: z.number(),
});
export type MapVesselsResponse = z.infer<typeof MapVesselsResponse>;

// --- /api/generator/runs ------------------------------------------------------------------------

export const GeneratorFormat = z.enum(['avro', 'fdd', 'confluent', 'json', 'nmea']);

export const GeneratorRunRequest = z.object({
  messages: z.number().int().min(0).max(100_000_000).default(10_000),
  workers: z.number().int().min(1).max(1000).default(8),
  inflight: z.number().int().min(1).max(1000).default(1),
  /** Messages per second in total, 0 = as fast as possible. */
  rate: z.number().int().min(0).max(10_000_000).default(0),
  format: GeneratorFormat.default('avro'),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  /** MQTT topic the records are published to. */
  origin: z
    .string()
    .min(1)
    .max(200)
    .refine((t) => !/[#+]/.test(t), 'a topic to publish to cannot hold wildcards')
    .default('/ais'),
  fleet: z.number().int().min(1).max(100_000).default(300),
  /** Seconds to run, 0 = until `messages` are sent. */
  duration: z.number().int().min(0).max(86_400).default(0),
});
export type GeneratorRunRequest = z.infer<typeof GeneratorRunRequest>;

export const GeneratorRunState = z.enum(['preparing', 'running', 'stopping', 'done', 'failed']);

export const GeneratorRunSummary = z.object({
  messages: z.number(),
  sent: z.number(),
  errors: z.number(),
  bytes: z.number(),
  seconds: z.number(),
  msgPerSec: z.number(),
  latencyMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }).nullable(),
  lastError: z.string().nullable(),
});
export type GeneratorRunSummary = z.infer<typeof GeneratorRunSummary>;

export const GeneratorRunInfo = z.object({
  id: z.string(),
  state: GeneratorRunState,
  params: GeneratorRunRequest,
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** Progress while it runs (and the last figures after). */
  progress: z.object({
    messages: z.number(),
    sent: z.number(),
    errors: z.number(),
    target: z.number(),
    seconds: z.number(),
    msgPerSec: z.number(),
  }),
  summary: GeneratorRunSummary.nullable(),
  /** Why the run failed to start or ended badly. */
  error: z.string().nullable(),
});
export type GeneratorRunInfo = z.infer<typeof GeneratorRunInfo>;

export const GeneratorRunsResponse = z.object({
  runs: z.array(GeneratorRunInfo),
  /** Where runs publish (null: the lab's MQTT broker is disabled). */
  mqttUrl: z.string().nullable(),
  maxConcurrent: z.number().int(),
});
export type GeneratorRunsResponse = z.infer<typeof GeneratorRunsResponse>;

// --- GET /api/connectors/metrics ------------------------------------------------------------------

const Counters = {
  messagesIn: z.number(),
  recordsOut: z.number(),
  bytesOut: z.number(),
  deadLettered: z.number(),
  inFlight: z.number(),
  /** Recent produce latency, ms (null when nothing was produced yet). */
  produceLatencyMs: z.number().nullable(),
};

export const ConnectorTaskMetrics = z.looseObject({ id: z.number().int(), state: z.string(), ...Counters });
export const ConnectorMetricsEntry = z.looseObject({
  name: z.string(),
  state: z.string(),
  ...Counters,
  tasks: z.array(ConnectorTaskMetrics),
});
export type ConnectorMetricsEntry = z.infer<typeof ConnectorMetricsEntry>;

export const ConnectorMetricsResponse = z.object({
  /** False when the lab runs no bridge (CONNECT_PORT=0); connectors is then empty. */
  available: z.boolean(),
  ts: z.number(),
  connectors: z.array(ConnectorMetricsEntry),
});
export type ConnectorMetricsResponse = z.infer<typeof ConnectorMetricsResponse>;

// --- live tail on /ws -------------------------------------------------------------------------------

/** Client → server on /ws: follow a topic's new records, or stop following (one topic per socket). */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tail'), topic: z.string().min(1).max(249) }),
  z.object({ type: z.literal('untail') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Server → client: a batch of new records of the tailed topic (at most a few frames a second). */
export const TailFrame = z.object({
  type: z.literal('tail'),
  topic: z.string(),
  records: z.array(TopicMessage),
  /** Records not sent since the previous frame because the viewer could not keep up (caps). */
  dropped: z.number().int().nonnegative(),
});
export type TailFrame = z.infer<typeof TailFrame>;

/** Server → client: the tail could not start or stopped (unknown topic, Kafka down). */
export const TailErrorFrame = z.object({
  type: z.literal('tail-error'),
  topic: z.string(),
  code: z.string(),
  message: z.string(),
});
export type TailErrorFrame = z.infer<typeof TailErrorFrame>;
