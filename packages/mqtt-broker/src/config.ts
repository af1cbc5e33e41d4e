// The broker's configuration: one zod schema with defaults, validated once at start and frozen.
// Every limit that protects the broker from a misbehaving client lives here with its default.
import { z } from 'zod';
import { MqttBrokerError } from './errors.ts';

const port = z.number().int().min(0).max(65535);

const userSpec = z.object({
  username: z.string().min(1),
  /** Plain password (hashed with scrypt at start) or an `scrypt$…` string from hashPassword(). */
  password: z.string(),
  /** Topic filters this user may publish to; absent = everything. `%u` = username, `%c` = client id. */
  publish: z.array(z.string()).optional(),
  /** Topic filters this user may subscribe to (a requested filter must lie inside one). */
  subscribe: z.array(z.string()).optional(),
});
export type UserSpec = z.infer<typeof userSpec>;

export const mqttBrokerConfigSchema = z.object({
  /** TCP port for MQTT; 0 picks a free port, null disables the TCP listener. */
  port: port.nullable().default(1883),
  host: z.string().default('0.0.0.0'),
  /** MQTT over TLS on a second port, on when certFile and keyFile are set. */
  tls: z
    .object({
      port: port.default(8883),
      certFile: z.string(),
      keyFile: z.string(),
      caFile: z.string().optional(),
    })
    .optional(),
  /** Directory for the durable session store; absent = in-memory sessions (lost on restart). */
  dataDir: z.string().optional(),
  /** fsync the session journal this often (ms); 0 = leave it to the OS (survives a process crash, not power loss). */
  fsyncIntervalMs: z.number().int().min(0).default(1000),
  /** Rewrite the journal into a snapshot once it grows past this many bytes. */
  compactBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** "user:password,user2:password2" (MQTT_USERS) or a list with ACLs; absent = anonymous access. */
  users: z.union([z.string(), z.array(userSpec)]).optional(),
  /** JSON file: [{ username, password, publish?, subscribe? }]; merged with `users`. */
  usersFile: z.string().optional(),
  limits: z
    .object({
      /** Largest MQTT packet accepted, whole packet in bytes (MQTT_MAX_PACKET_SIZE; advertised to MQTT 5 clients in CONNACK). */
      maxPacketSize: z
        .number()
        .int()
        .min(64)
        .max(268_435_460)
        .default(16 * 1024 * 1024),
      /** MQTT 5: highest topic alias a client may use towards the broker (CONNACK Topic Alias Maximum); 0 = none. */
      topicAliasMaximum: z.number().int().min(0).max(65535).default(64),
      /** MQTT 5: longest keep-alive a client may ask for, seconds; a longer one is replaced (CONNACK Server Keep Alive). 0 = any. */
      maxKeepAliveSeconds: z.number().int().min(0).max(65535).default(0),
      /** MQTT 5: longest Session Expiry Interval granted, seconds (a longer request is clamped and told in CONNACK); 0 = no cap. */
      maxSessionExpirySeconds: z.number().int().min(0).default(0),
      /** Concurrent connections over all listeners. */
      maxConnections: z.number().int().min(1).default(10_000),
      /** Concurrent connections from one remote address, so one flooding host cannot take every slot. */
      maxConnectionsPerAddress: z.number().int().min(1).default(1000),
      /** Longest topic name or filter, in bytes of UTF-8 (MQTT allows 65535). */
      maxTopicLength: z.number().int().min(1).max(65535).default(1024),
      /** Most levels in a topic (aedes caps this at 100). */
      maxTopicLevels: z.number().int().min(1).max(100).default(32),
      /** Inbound QoS 2 messages awaiting PUBREL per client. */
      maxInflightInbound: z.number().int().min(1).default(1000),
      /** Queued QoS 1/2 messages per persistent session (offline or unacknowledged); more are dropped and counted. */
      maxQueuedPerClient: z.number().int().min(1).default(10_000),
      /** Queued bytes (payload + topic) per persistent session; messages beyond are dropped and counted. */
      maxQueuedBytesPerClient: z
        .number()
        .int()
        .min(1024)
        .default(16 * 1024 * 1024),
      /** Queued bytes of all persistent sessions together (memory, snapshot size, restart time). */
      maxQueuedBytes: z
        .number()
        .int()
        .min(1024)
        .default(256 * 1024 * 1024),
      /** Unsent bytes per subscriber beyond which its QoS 0 and clean-session deliveries are skipped (counted). */
      maxOutgoingBytes: z
        .number()
        .int()
        .min(1024)
        .default(1024 * 1024),
      /** A client must send CONNECT within this many ms of opening the connection. */
      connectTimeoutMs: z.number().int().min(100).default(10_000),
      /** A subscriber whose socket stays full this long is disconnected. */
      drainTimeoutMs: z.number().int().min(100).default(30_000),
    })
    .prefault({}),
  /** Send all packets a connection gets in one event-loop turn with one system call (coalesce.ts). */
  coalesceWrites: z.boolean().default(true),
  /** Acknowledge and complete client PUBLISHes nobody subscribes to without aedes' publish pipeline (fast-publish.ts). */
  fastPublish: z.boolean().default(true),
  /** Ingest gate: messages held at once before publishing sockets stop being read. */
  ingestMaxInFlight: z.number().int().min(1).default(10_000),
  /** Ingest gate: messages of one client held at once before that client's socket stops being read. */
  ingestMaxInFlightPerClient: z.number().int().min(1).default(1000),
  /** Ingest gate: how long a message on a connector's topic waits for a running task before it is refused (ms). */
  ingestHoldMs: z.number().int().min(1).default(15_000),
  /** Ingest gate: hold every QoS 1/2 message from the start until `ingest.open()` (the lab opens it once
   *  the stored connectors have declared their topic filters). */
  ingestHeldAtStart: z.boolean().default(false),
  /** The broker's name in `$SYS/<name>/...` (aedes' event topics); stable across restarts. */
  brokerName: z
    .string()
    .min(1)
    .regex(/^[^/+#]+$/, 'no "/", "+" or "#"')
    .default('seaway'),
  /** Publish mosquitto-style `$SYS/broker/...` statistics (retained) every this many seconds; 0 = off. */
  sysIntervalSec: z.number().int().min(0).default(10),
  /** Distinct topics tracked for the console's topic list; the rest are counted under "(other)". */
  maxTrackedTopics: z.number().int().min(1).default(1000),
  /** Log lines (no secrets in them); default writes nothing. */
  log: z.custom<(line: string) => void>((v) => typeof v === 'function').optional(),
});

export type MqttBrokerConfigInput = z.input<typeof mqttBrokerConfigSchema>;
export type MqttBrokerConfigResolved = Readonly<z.output<typeof mqttBrokerConfigSchema>>;

/** Validate the configuration; names the bad setting in the error. */
export function parseMqttBrokerConfig(input: MqttBrokerConfigInput): MqttBrokerConfigResolved {
  const r = mqttBrokerConfigSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new MqttBrokerError('SEAWAY_MQTT_CONFIG', `${where}: ${issue?.message}; fix this setting and restart`);
  }
  return Object.freeze(r.data);
}
