// The lab's configuration: one zod schema, read once from flags and the environment (fast-data-dev
// names where they exist), validated, then frozen. Nothing below the lab reads process.env.
import { z } from 'zod';

const port = (name: string, dflt: number) =>
  z.coerce
    .number({ error: `${name} must be a port number (0 disables the service)` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`)
    .default(dflt);

/** A whole number setting with a floor, e.g. a limit. */
const count = (name: string, what: string, dflt: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `${name} must be a whole number of ${what}` })
    .int(`${name} must be a whole number of ${what}`)
    .min(min, `${name} must be at least ${min} ${what}`)
    .max(max, `${name} must be at most ${max} ${what}`)
    .default(dflt);
const MiB = 1024 * 1024;

const flag = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())))
  .default(false);

export const LabConfig = z
  .object({
    ADV_HOST: z.string().min(1).default('localhost'),
    BIND_HOST: z.string().min(1).default('127.0.0.1'),
    WEB_PORT: port('WEB_PORT', 3030),
    MQTT_PORT: port('MQTT_PORT', 1883),
    BROKER_PORT: port('BROKER_PORT', 9092),
    REGISTRY_PORT: port('REGISTRY_PORT', 8081),
    CONNECT_PORT: port('CONNECT_PORT', 8083),
    DATA_DIR: z.string().min(1).default('.seaway/data'),
    SAMPLEDATA: flag,
    RUNNING_SAMPLEDATA: flag,
    SEAWAY_USER: z.string().min(1).default('admin'),
    SEAWAY_PASSWORD: z.string().min(1).optional(),
    /** Set by the Docker image: fast-data-dev's USER/PASSWORD count there (no login shell sets USER). */
    SEAWAY_IMAGE: flag,
    USER: z.string().optional(),
    PASSWORD: z.string().optional(),
    KAFKA_BROKERS: z
      .string()
      .regex(
        /^[^,\s]+:\d+(,[^,\s]+:\d+)*$/,
        'KAFKA_BROKERS must be a comma list of host:port, e.g. kafka1:9092,kafka2:9092',
      )
      .optional(),
    SCHEMA_REGISTRY_URL: z.url('SCHEMA_REGISTRY_URL must be a URL, e.g. http://registry:8081').optional(),
    /** Kafka topics holding connector configs and status (Connect's config/status storage topics). */
    CONNECT_CONFIG_TOPIC: z.string().min(1).default('connect-configs'),
    CONNECT_STATUS_TOPIC: z.string().min(1).default('connect-status'),
    /** group.id of a cluster of `seaway connect` workers the lab's connector runtime joins (unset: runs alone). */
    CONNECT_GROUP_ID: z.string().min(1).optional(),
    /** Kafka topic holding the embedded schema registry's state. */
    REGISTRY_TOPIC: z.string().min(1).default('_schemas'),
    /** "user:password,user2:password2": turns on MQTT username/password auth. */
    MQTT_USERS: z.string().min(1).optional(),
    /** Concurrent MQTT connections from one address (a flood guard; raise it for local load tests). */
    MQTT_MAX_CONNECTIONS_PER_ADDRESS: z.coerce
      .number({ error: 'MQTT_MAX_CONNECTIONS_PER_ADDRESS must be a whole number' })
      .int()
      .min(1)
      .default(1000),
    /** JSON file of MQTT users with optional publish/subscribe ACLs. */
    MQTT_USERS_FILE: z.string().min(1).optional(),
    /** How long a publish on a connector's topic waits for a running task before the broker refuses it
     *  (no PUBACK, connection closed, the publisher redelivers). */
    MQTT_INGEST_HOLD_MS: z.coerce
      .number({ error: 'MQTT_INGEST_HOLD_MS must be a whole number of milliseconds' })
      .int()
      .min(1)
      .default(15_000),
    /** How often /api/health re-checks that Kafka answers (and, embedded, that every partition is readable). */
    HEALTH_CHECK_INTERVAL_MS: z.coerce
      .number({ error: 'HEALTH_CHECK_INTERVAL_MS must be a whole number of milliseconds' })
      .int()
      .min(100)
      .default(5_000),
    /** Largest MQTT packet accepted, bytes (MQTT 5 clients are told in CONNACK; larger ones get DISCONNECT 0x95). */
    MQTT_MAX_PACKET_SIZE: z.coerce
      .number({ error: 'MQTT_MAX_PACKET_SIZE must be a whole number of bytes' })
      .int()
      .min(64)
      .max(268_435_460)
      .default(16 * 1024 * 1024),
    // Limits (README "Limits"): each has a counter or gauge on /metrics.
    /** Embedded Kafka port (Kafka's max.connections, max.connections.per.ip, connections.max.idle.ms). */
    KAFKA_MAX_CONNECTIONS: count('KAFKA_MAX_CONNECTIONS', 'connections', 10_000),
    KAFKA_MAX_CONNECTIONS_PER_ADDRESS: count('KAFKA_MAX_CONNECTIONS_PER_ADDRESS', 'connections', 1000),
    KAFKA_IDLE_TIMEOUT_MS: count('KAFKA_IDLE_TIMEOUT_MS', 'milliseconds', 600_000, 1000),
    KAFKA_PARTIAL_FRAME_TIMEOUT_MS: count('KAFKA_PARTIAL_FRAME_TIMEOUT_MS', 'milliseconds', 30_000, 1000),
    /** Bytes all Kafka connections may hold in partial or unhandled frames; at least one 100 MiB frame. */
    KAFKA_MAX_BUFFERED_BYTES: count('KAFKA_MAX_BUFFERED_BYTES', 'bytes', 256 * MiB, 100 * MiB),
    MQTT_MAX_CONNECTIONS: count('MQTT_MAX_CONNECTIONS', 'connections', 10_000),
    /** A new MQTT connection that sends no CONNECT within this is closed (after CONNECT: keep-alive). */
    MQTT_CONNECT_TIMEOUT_MS: count('MQTT_CONNECT_TIMEOUT_MS', 'milliseconds', 10_000, 100),
    /** QoS 1/2 messages of one MQTT client waiting for Kafka (and QoS 2 for PUBREL) before its socket is not read. */
    MQTT_MAX_INFLIGHT_PER_CLIENT: count('MQTT_MAX_INFLIGHT_PER_CLIENT', 'messages', 1000, 1, 65_535),
    MQTT_MAX_QUEUED_PER_SESSION: count('MQTT_MAX_QUEUED_PER_SESSION', 'messages', 10_000),
    MQTT_MAX_QUEUED_BYTES_PER_SESSION: count('MQTT_MAX_QUEUED_BYTES_PER_SESSION', 'bytes', 16 * MiB, 1024),
    MQTT_MAX_QUEUED_BYTES: count('MQTT_MAX_QUEUED_BYTES', 'bytes', 256 * MiB, 1024),
    /** Every HTTP port (WEB_PORT, REGISTRY_PORT, CONNECT_PORT) on its own. */
    HTTP_MAX_CONNECTIONS: count('HTTP_MAX_CONNECTIONS', 'connections', 2000),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: count('HTTP_MAX_CONNECTIONS_PER_ADDRESS', 'connections', 1000),
    HTTP_IDLE_TIMEOUT_MS: count('HTTP_IDLE_TIMEOUT_MS', 'milliseconds', 120_000, 1000),
    HTTP_REQUEST_TIMEOUT_MS: count('HTTP_REQUEST_TIMEOUT_MS', 'milliseconds', 30_000, 1000),
    WEB_BODY_LIMIT: count('WEB_BODY_LIMIT', 'bytes', 10 * MiB, 1024),
    REGISTRY_BODY_LIMIT: count('REGISTRY_BODY_LIMIT', 'bytes', MiB, 1024),
    CONNECT_BODY_LIMIT: count('CONNECT_BODY_LIMIT', 'bytes', MiB, 1024),
    /** Console message scans (browse, search) running at once; more are answered 429. */
    CONSOLE_MAX_SCANS: count('CONSOLE_MAX_SCANS', 'scans', 4),
  })
  .strip();
export type LabConfig = Readonly<z.infer<typeof LabConfig>>;

export const CONFIG_KEYS = Object.keys(LabConfig.shape) as (keyof LabConfig)[];

export class ConfigError extends Error {
  readonly code = 'SEAWAY_CONFIG_INVALID';
}

/** Validate a raw settings object (environment merged with flags); throws ConfigError naming each bad setting. */
export function parseConfig(raw: Record<string, string | boolean | undefined>): LabConfig {
  const picked: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) if (raw[k] !== undefined && raw[k] !== '') picked[k] = raw[k];
  const r = LabConfig.safeParse(picked);
  if (!r.success) {
    const lines = r.error.issues.map(
      (i) => `  ${i.path.join('.')}=${JSON.stringify(picked[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(r.data);
}

export interface LabAuth {
  user: string;
  password: string;
  /** Which settings gave it, for the banner. */
  from: 'SEAWAY_PASSWORD' | 'PASSWORD';
}

/**
 * The lab's credentials, or null (no auth). SEAWAY_PASSWORD turns auth on, for SEAWAY_USER (default
 * admin). fast-data-dev's USER/PASSWORD count only in the Docker image (SEAWAY_IMAGE=1), where no
 * login shell sets USER: elsewhere every shell has USER, so PASSWORD alone must not switch auth on.
 */
export function labAuth(cfg: LabConfig): LabAuth | null {
  if (cfg.SEAWAY_PASSWORD) return { user: cfg.SEAWAY_USER, password: cfg.SEAWAY_PASSWORD, from: 'SEAWAY_PASSWORD' };
  if (cfg.SEAWAY_IMAGE && cfg.PASSWORD) return { user: cfg.USER || 'admin', password: cfg.PASSWORD, from: 'PASSWORD' };
  return null;
}

/** A warning when PASSWORD is set outside the image (it is ignored there), else null. */
export function ignoredPasswordWarning(cfg: LabConfig): string | null {
  if (cfg.PASSWORD && !cfg.SEAWAY_IMAGE && !cfg.SEAWAY_PASSWORD)
    return 'PASSWORD is ignored outside the Docker image (your shell sets USER); set SEAWAY_PASSWORD (and SEAWAY_USER) to turn auth on';
  return null;
}

/** The limits of one HTTP port (http-limits.ts). */
export function httpLimits(
  cfg: LabConfig,
  port: 'web' | 'registry' | 'connect',
): import('./http-limits.ts').HttpLimits {
  return {
    maxConnections: cfg.HTTP_MAX_CONNECTIONS,
    maxConnectionsPerAddress: cfg.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
    idleTimeoutMs: cfg.HTTP_IDLE_TIMEOUT_MS,
    requestTimeoutMs: cfg.HTTP_REQUEST_TIMEOUT_MS,
    bodyLimit: { web: cfg.WEB_BODY_LIMIT, registry: cfg.REGISTRY_BODY_LIMIT, connect: cfg.CONNECT_BODY_LIMIT }[port],
  };
}

/** The HTTP basic pair of labAuth(), or null. */
export function basicAuth(cfg: LabConfig): { user: string; password: string } | null {
  const a = labAuth(cfg);
  return a ? { user: a.user, password: a.password } : null;
}
