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

const flag = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())))
  .default(false);

export const LabConfig = z
  .object({
    ADV_HOST: z.string().min(1).default('localhost'),
    BIND_HOST: z.string().min(1).default('0.0.0.0'),
    WEB_PORT: port('WEB_PORT', 3030),
    MQTT_PORT: port('MQTT_PORT', 1883),
    BROKER_PORT: port('BROKER_PORT', 9092),
    REGISTRY_PORT: port('REGISTRY_PORT', 8081),
    CONNECT_PORT: port('CONNECT_PORT', 8083),
    DATA_DIR: z.string().min(1).default('.seaway/data'),
    SAMPLEDATA: flag,
    RUNNING_SAMPLEDATA: flag,
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
    /** Largest MQTT packet accepted, bytes (MQTT 5 clients are told in CONNACK; larger ones get DISCONNECT 0x95). */
    MQTT_MAX_PACKET_SIZE: z.coerce
      .number({ error: 'MQTT_MAX_PACKET_SIZE must be a whole number of bytes' })
      .int()
      .min(64)
      .max(268_435_460)
      .default(16 * 1024 * 1024),
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

/** The auth pair only counts when both are set: USER alone is the shell's login name. */
export function basicAuth(cfg: LabConfig): { user: string; password: string } | null {
  return cfg.USER && cfg.PASSWORD ? { user: cfg.USER, password: cfg.PASSWORD } : null;
}
