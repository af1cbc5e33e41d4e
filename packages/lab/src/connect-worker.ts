// `seaway connect`: the MQTT source connector runtime alone, as one worker of a Connect-style
// cluster: no MQTT broker, no embedded Kafka. It joins the group GROUP_ID (group.id) on
// KAFKA_BROKERS, shares the config and status topics with the other workers of that group, serves
// the Kafka Connect REST API on CONNECT_PORT and runs the connectors and tasks the group's leader
// assigns it; connectors read an external MQTT broker (their connect.mqtt.hosts).
// Settings: one zod schema, Kafka Connect's worker config names in the help (group.id, …).
import { z } from 'zod';
import type { FlagSpec } from './commands.ts';

const ms = (name: string, dflt: number, min = 0) =>
  z.coerce
    .number({ error: `${name} must be a whole number of milliseconds` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} must be at least ${min}`)
    .default(dflt);

export const ConnectWorkerConfig = z
  .object({
    KAFKA_BROKERS: z
      .string({
        error: 'KAFKA_BROKERS is required: the Kafka cluster the workers meet in, e.g. kafka1:9092,kafka2:9092',
      })
      .regex(
        /^[^,\s]+:\d+(,[^,\s]+:\d+)*$/,
        'KAFKA_BROKERS must be a comma list of host:port, e.g. kafka1:9092,kafka2:9092',
      ),
    GROUP_ID: z.string().min(1).default('seaway-connect'),
    CONNECT_PORT: z.coerce
      .number({ error: 'CONNECT_PORT must be a port number' })
      .int()
      .min(0)
      .max(65535)
      .default(8083),
    BIND_HOST: z.string().min(1).default('127.0.0.1'),
    ADV_HOST: z.string().min(1).default('localhost'),
    SCHEMA_REGISTRY_URL: z.url('SCHEMA_REGISTRY_URL must be a URL, e.g. http://registry:8081').optional(),
    CONNECT_CONFIG_TOPIC: z.string().min(1).default('connect-configs'),
    CONNECT_STATUS_TOPIC: z.string().min(1).default('connect-status'),
    CONNECT_OFFSET_TOPIC: z.string().min(1).default('connect-offsets'),
    CONNECT_REPLICATION_FACTOR: z.coerce
      .number({ error: 'CONNECT_REPLICATION_FACTOR must be a whole number' })
      .int()
      .min(1)
      .optional(),
    SESSION_TIMEOUT_MS: ms('SESSION_TIMEOUT_MS', 10_000, 1),
    HEARTBEAT_INTERVAL_MS: ms('HEARTBEAT_INTERVAL_MS', 3_000, 1),
    REBALANCE_TIMEOUT_MS: ms('REBALANCE_TIMEOUT_MS', 60_000, 1),
    SCHEDULED_REBALANCE_MAX_DELAY_MS: ms('SCHEDULED_REBALANCE_MAX_DELAY_MS', 0),
    OFFSET_FLUSH_INTERVAL_MS: ms('OFFSET_FLUSH_INTERVAL_MS', 10_000, 1),
  })
  .strip();
export type ConnectWorkerConfig = Readonly<z.infer<typeof ConnectWorkerConfig>>;

const KEYS = Object.keys(ConnectWorkerConfig.shape) as (keyof ConnectWorkerConfig)[];

/** Kafka Connect's name for each setting, for the help. */
const CONNECT_NAME: Partial<Record<keyof ConnectWorkerConfig, string>> = {
  KAFKA_BROKERS: 'bootstrap.servers',
  GROUP_ID: 'group.id',
  CONNECT_PORT: 'listeners',
  ADV_HOST: 'rest.advertised.host.name',
  CONNECT_CONFIG_TOPIC: 'config.storage.topic',
  CONNECT_STATUS_TOPIC: 'status.storage.topic',
  CONNECT_OFFSET_TOPIC: 'offset.storage.topic',
  CONNECT_REPLICATION_FACTOR: 'config.storage.replication.factor',
  SESSION_TIMEOUT_MS: 'session.timeout.ms',
  HEARTBEAT_INTERVAL_MS: 'heartbeat.interval.ms',
  REBALANCE_TIMEOUT_MS: 'rebalance.timeout.ms',
  SCHEDULED_REBALANCE_MAX_DELAY_MS: 'scheduled.rebalance.max.delay.ms',
  OFFSET_FLUSH_INTERVAL_MS: 'offset.flush.interval.ms',
};

const HELP: Record<keyof ConnectWorkerConfig, string> = {
  KAFKA_BROKERS: 'the Kafka cluster (host:port,…) the workers meet in and write to (required)',
  GROUP_ID: 'workers with the same group id form one cluster',
  CONNECT_PORT: 'Kafka Connect REST API port of this worker',
  BIND_HOST: 'interface the REST API listens on',
  ADV_HOST: 'host name the other workers reach this one at (REST forwarding)',
  SCHEMA_REGISTRY_URL: 'schema registry for Avro keys and values',
  CONNECT_CONFIG_TOPIC: 'connector configs and target states (shared by the group)',
  CONNECT_STATUS_TOPIC: 'connector and task statuses (shared by the group)',
  CONNECT_OFFSET_TOPIC: 'source offsets of the tasks (shared by the group; GET …/offsets reads it)',
  CONNECT_REPLICATION_FACTOR: "replication factor of those topics when they are created (the broker's default)",
  SESSION_TIMEOUT_MS: 'a worker silent this long is out of the group; its tasks move',
  HEARTBEAT_INTERVAL_MS: 'how often a worker tells the coordinator it is alive',
  REBALANCE_TIMEOUT_MS: 'how long a rebalance waits for every worker to rejoin',
  SCHEDULED_REBALANCE_MAX_DELAY_MS: "how long a departed worker's tasks wait for it to come back (Connect: 300000)",
  OFFSET_FLUSH_INTERVAL_MS: "how often a worker writes its tasks' changed offsets (Connect: 60000)",
};

const shown = (v: unknown) => (v === undefined ? 'unset' : String(v));
const defaults = ConnectWorkerConfig.partial({ KAFKA_BROKERS: true }).parse({}) as Record<string, unknown>;

export const connectFlags: FlagSpec[] = KEYS.map((k) => ({
  flag: `--${k.toLowerCase().replace(/_/g, '-')}`,
  env: k,
  default: shown(defaults[k]),
  help: CONNECT_NAME[k] ? `${HELP[k]} (${CONNECT_NAME[k]})` : HELP[k],
}));

export class ConnectConfigError extends Error {
  readonly code = 'SEAWAY_CONFIG_INVALID';
}

export function parseConnectConfig(raw: Record<string, string | boolean | undefined>): ConnectWorkerConfig {
  const picked: Record<string, unknown> = {};
  for (const k of KEYS) if (raw[k] !== undefined && raw[k] !== '') picked[k] = raw[k];
  const r = ConnectWorkerConfig.safeParse(picked);
  if (!r.success) {
    const lines = r.error.issues.map(
      (i) => `  ${i.path.join('.')}=${JSON.stringify(picked[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConnectConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(r.data);
}

/** Starts the worker; resolves once it has joined its group and applied its first assignment. */
export async function startConnectWorker(cfg: ConnectWorkerConfig, log: (line: string) => void) {
  const { startConnect } = await import('@seaway/bridge');
  return startConnect({
    brokers: cfg.KAFKA_BROKERS.split(','),
    port: cfg.CONNECT_PORT,
    host: cfg.BIND_HOST,
    ...(cfg.SCHEMA_REGISTRY_URL ? { registryUrl: cfg.SCHEMA_REGISTRY_URL } : {}),
    configTopic: cfg.CONNECT_CONFIG_TOPIC,
    statusTopic: cfg.CONNECT_STATUS_TOPIC,
    offsetTopic: cfg.CONNECT_OFFSET_TOPIC,
    ...(cfg.CONNECT_REPLICATION_FACTOR ? { replicationFactor: cfg.CONNECT_REPLICATION_FACTOR } : {}),
    ...(cfg.CONNECT_PORT !== 0 ? { workerId: `${cfg.ADV_HOST}:${cfg.CONNECT_PORT}` } : {}),
    log,
    cluster: {
      groupId: cfg.GROUP_ID,
      ...(cfg.CONNECT_PORT !== 0 ? { url: `http://${cfg.ADV_HOST}:${cfg.CONNECT_PORT}` } : {}),
      sessionTimeoutMs: cfg.SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: cfg.HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: cfg.REBALANCE_TIMEOUT_MS,
      scheduledRebalanceMaxDelayMs: cfg.SCHEDULED_REBALANCE_MAX_DELAY_MS,
      offsetFlushIntervalMs: cfg.OFFSET_FLUSH_INTERVAL_MS,
    },
  });
}
