// What each setting of `seaway start` means, for `--help` and the README check. The names, types and
// defaults come from the zod schema in config.ts; this file only adds the one-line help and the
// group, so a setting cannot be added without saying what it does (a test checks both lists match).
import { CONFIG_KEYS, type LabConfig } from './config.ts';

export interface SettingHelp {
  group: 'ports' | 'network' | 'auth' | 'data' | 'kafka' | 'mqtt';
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
};

/** `--web-port` for WEB_PORT. */
export function flagName(key: string): string {
  return `--${key.toLowerCase().replace(/_/g, '-')}`;
}

/** Every setting of `seaway start` in help order. */
export function startSettings(): { key: keyof LabConfig; flag: string; help: SettingHelp }[] {
  return CONFIG_KEYS.map((key) => ({ key, flag: flagName(key), help: SETTING_HELP[key] }));
}
