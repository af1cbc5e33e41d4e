// What each setting of `seaway start` means, for `--help` and the README check. The names, types and
// defaults come from the zod schema in config.ts; this file only adds the one-line help and the
// group, so a setting cannot be added without saying what it does (a test checks both lists match).
import { CONFIG_KEYS, type LabConfig } from './config.ts';

export interface SettingHelp {
  group: 'ports' | 'network' | 'auth' | 'data' | 'kafka' | 'mqtt' | 'limits';
  help: string;
}

export const SETTING_HELP: Readonly<Record<keyof LabConfig, SettingHelp>> = {
  WEB_PORT: { group: 'ports', help: 'console, /api, /metrics, /ws and MQTT over WebSocket (/mqtt); 0 disables' },
  MQTT_PORT: { group: 'ports', help: 'MQTT over TCP (embedded broker); 0 disables MQTT' },
  BROKER_PORT: { group: 'ports', help: 'embedded Kafka; 0 needs KAFKA_BROKERS' },
  REGISTRY_PORT: { group: 'ports', help: 'schema registry API (also under /api/schema-registry); 0: only there' },
  CONNECT_PORT: { group: 'ports', help: 'Kafka Connect REST API (also under /api/connect); 0: only there' },
  BIND_HOST: {
    group: 'network',
    help: 'interface every listener binds; 127.0.0.1 keeps the lab on this machine (the Docker image sets 0.0.0.0)',
  },
  ADV_HOST: { group: 'network', help: 'host name the lab advertises to clients (Kafka metadata, banner URLs)' },
  SEAWAY_USER: { group: 'auth', help: 'user name for HTTP basic, Kafka SASL/PLAIN and MQTT when auth is on' },
  SEAWAY_PASSWORD: {
    group: 'auth',
    help: 'turns auth on for 3030, 8081, 8083 (HTTP basic), Kafka (SASL/PLAIN) and MQTT',
  },
  SEAWAY_IMAGE: { group: 'auth', help: "set by the Docker image: fast-data-dev's USER/PASSWORD turn auth on there" },
  USER: { group: 'auth', help: "fast-data-dev's user name; used only in the Docker image, with PASSWORD" },
  PASSWORD: { group: 'auth', help: "fast-data-dev's password; turns auth on only in the Docker image" },
  DATA_DIR: { group: 'data', help: 'where Kafka logs, MQTT sessions and connector state are kept' },
  SAMPLEDATA: { group: 'data', help: 'preload sea_vessel_position_reports with AIS sample records' },
  RUNNING_SAMPLEDATA: { group: 'data', help: 'publish a live AIS stream to MQTT /ais and run a connector into Kafka' },
  KAFKA_BROKERS: { group: 'kafka', help: 'use this Kafka cluster (host:port,...) instead of the embedded one' },
  SCHEMA_REGISTRY_URL: { group: 'kafka', help: 'use this schema registry instead of the embedded one' },
  CONNECT_CONFIG_TOPIC: { group: 'kafka', help: 'topic holding connector configs' },
  CONNECT_STATUS_TOPIC: { group: 'kafka', help: 'topic holding connector and task status' },
  CONNECT_GROUP_ID: {
    group: 'kafka',
    help: 'join this group of `seaway connect` workers (group.id; needs CONNECT_PORT); unset: the lab runs its connectors alone',
  },
  REGISTRY_TOPIC: { group: 'kafka', help: "topic holding the embedded schema registry's state" },
  MQTT_USERS: { group: 'mqtt', help: 'extra MQTT users, user:password,user2:password2 (turns MQTT auth on)' },
  MQTT_USERS_FILE: { group: 'mqtt', help: 'JSON file of MQTT users with publish/subscribe ACLs' },
  MQTT_MAX_CONNECTIONS_PER_ADDRESS: { group: 'mqtt', help: 'concurrent MQTT connections from one address' },
  MQTT_INGEST_HOLD_MS: {
    group: 'mqtt',
    help: 'how long a publish on a connector topic waits for a running task before the connection is closed (no PUBACK)',
  },
  MQTT_MAX_PACKET_SIZE: {
    group: 'mqtt',
    help: 'largest MQTT packet in bytes; MQTT 5 clients are told in CONNACK, larger packets close the connection',
  },
  HEALTH_CHECK_INTERVAL_MS: {
    group: 'kafka',
    help: 'how often /api/health re-checks that Kafka answers and every embedded partition is readable',
  },
  KAFKA_MAX_CONNECTIONS: { group: 'limits', help: 'connections to the embedded Kafka port; more are closed at accept' },
  KAFKA_MAX_CONNECTIONS_PER_ADDRESS: {
    group: 'limits',
    help: "connections to the embedded Kafka port from one address (Kafka's max.connections.per.ip)",
  },
  KAFKA_IDLE_TIMEOUT_MS: {
    group: 'limits',
    help: 'a Kafka connection with no traffic and no request in progress is closed (connections.max.idle.ms)',
  },
  KAFKA_PARTIAL_FRAME_TIMEOUT_MS: {
    group: 'limits',
    help: 'a Kafka request frame still incomplete after this is closed',
  },
  KAFKA_MAX_BUFFERED_BYTES: {
    group: 'limits',
    help: 'bytes all Kafka connections hold in partial frames together; the connection passing it is closed',
  },
  MQTT_MAX_CONNECTIONS: { group: 'limits', help: 'MQTT connections over TCP and WebSocket together' },
  MQTT_CONNECT_TIMEOUT_MS: { group: 'limits', help: 'an MQTT connection that sends no CONNECT within this is closed' },
  MQTT_MAX_INFLIGHT_PER_CLIENT: {
    group: 'limits',
    help: 'QoS 1/2 messages of one client not yet acknowledged (waiting for Kafka, or PUBREL); then its socket is not read',
  },
  MQTT_MAX_QUEUED_PER_SESSION: {
    group: 'limits',
    help: 'QoS 1/2 messages queued for one persistent session; newer ones are dropped and counted',
  },
  MQTT_MAX_QUEUED_BYTES_PER_SESSION: {
    group: 'limits',
    help: 'payload and topic bytes queued for one persistent session; newer messages are dropped and counted',
  },
  MQTT_MAX_QUEUED_BYTES: {
    group: 'limits',
    help: 'bytes queued for all persistent sessions together (memory, snapshot and restart time)',
  },
  HTTP_MAX_CONNECTIONS: { group: 'limits', help: 'connections to each HTTP port (web, registry, Connect)' },
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: { group: 'limits', help: 'connections to each HTTP port from one address' },
  HTTP_IDLE_TIMEOUT_MS: {
    group: 'limits',
    help: 'an HTTP connection without a byte either way for this long is closed',
  },
  HTTP_REQUEST_TIMEOUT_MS: {
    group: 'limits',
    help: 'an HTTP request whose headers and body have not arrived within this gets 408 (slowloris)',
  },
  WEB_BODY_LIMIT: { group: 'limits', help: 'largest request body on WEB_PORT, bytes (413 beyond)' },
  REGISTRY_BODY_LIMIT: { group: 'limits', help: 'largest request body on REGISTRY_PORT, bytes (413 beyond)' },
  CONNECT_BODY_LIMIT: { group: 'limits', help: 'largest request body on CONNECT_PORT, bytes (413 beyond)' },
  CONSOLE_MAX_SCANS: { group: 'limits', help: 'console message scans running at once; more are answered 429' },
};

/** `--web-port` for WEB_PORT. */
export function flagName(key: string): string {
  return `--${key.toLowerCase().replace(/_/g, '-')}`;
}

/** Every setting of `seaway start` in help order. */
export function startSettings(): { key: keyof LabConfig; flag: string; help: SettingHelp }[] {
  return CONFIG_KEYS.map((key) => ({ key, flag: flagName(key), help: SETTING_HELP[key] }));
}
