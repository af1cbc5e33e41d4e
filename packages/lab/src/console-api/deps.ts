// What the console API needs from the lab. Everything live is a function, so routes see the current
// client (null while Kafka is still connecting or a service is disabled).

import type { MetricsFrame } from '@seaway/contracts';
import type { PoolOptions } from '@seaway/kafka-protocol';
import type { Admin, Kafka } from 'kafkajs';

/** The part of the embedded MQTT broker the console reads (all but stats() optional). */
export interface MqttBrokerLike {
  stats(): { clients: number; messagesIn: number; bytesIn: number; messagesOut?: number };
  clients?(): {
    id: string;
    address?: string | null;
    transport?: string;
    protocolVersion?: number | null;
    session?: string;
    username?: string | null;
    connectedSinceMs?: number;
    subscriptions?: number;
    queued?: number;
  }[];
  subscriptions?(limit?: number): { clientId: string; topic: string; qos: number }[];
  topics?(limit?: number): { topic: string; messages: number; bytes: number; rate: number; lastSeenMs: number }[];
  retained?(limit?: number): { topic: string; bytes: number; qos: number }[];
  /** aedes, for publishing a test message from the console. */
  aedes?: {
    publish(
      packet: { cmd: 'publish'; topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean; dup: boolean },
      callback: (error?: Error | null) => void,
    ): void;
  };
}

/** One connector's counters as the bridge runtime's metrics() gives them (totals since start). */
export interface ConnectorCountersLike {
  messagesIn: number;
  recordsOut: number;
  bytesOut: number;
  deadLettered: number;
  inFlight: number;
  produceLatencyMs?: number;
  convertErrors?: number;
}
export interface ConnectorMetricsLike extends ConnectorCountersLike {
  name: string;
  state: string;
  tasks: Array<ConnectorCountersLike & { id: number; state: string }>;
}

export interface ConsoleApiDeps {
  /**
   * The lab's kafkajs client (null while Kafka is not connected). The console makes its own admin,
   * producer and short-lived scan consumers from it, and disconnects them when the app closes.
   */
  kafka: () => Kafka | null;
  /**
   * The lab's own Kafka path for the calls kafkajs lacks (IncrementalAlterConfigs, DescribeLogDirs,
   * CreatePartitions, DeleteRecords): bootstrap brokers and, for the embedded broker, its in-process
   * transport. Without it those routes answer 503 and topic sizes are left out.
   */
  kafkaWire?: PoolOptions;
  /** Not used (the console keeps its own admin, see kafka-access.ts); accepted so older wiring compiles. */
  admin?: () => Admin | null;
  /** Host name users reach the lab by (ADV_HOST). */
  advHost: string;
  /** Kafka bootstrap as users should type it (ADV_HOST:BROKER_PORT, or KAFKA_BROKERS). */
  kafkaBootstrap: string;
  /** Bound ports; 0 or null means disabled. `web` 0 means "the port this request came in on". */
  ports: { web: number; mqtt: number | null; registry: number | null; connect: number | null };
  /** SCHEMA_REGISTRY_URL when an external registry is used, else null. */
  registryUrl: string | null;
  /**
   * The embedded registry is mounted under /api/schema-registry on the web port (default true: the
   * lab always runs one when SCHEMA_REGISTRY_URL is unset, with or without REGISTRY_PORT).
   */
  embeddedRegistry?: boolean;
  /**
   * Kafka Connect's REST API (the bridge) is mounted under /api/connect on the web port (default
   * true: the lab always mounts it, with or without CONNECT_PORT).
   */
  embeddedConnect?: boolean;
  mqtt: () => MqttBrokerLike | null;
  /**
   * Also serve GET /api/topics (same TopicsResponse as api-routes.ts, but on the self-healing admin).
   * Only set it when api-routes.ts no longer registers that route: fastify refuses duplicates.
   */
  serveTopicList?: boolean;
  /**
   * MQTT server generator runs publish to (tcp://127.0.0.1:<port>). Default: 127.0.0.1 on
   * ports.mqtt; null disables /api/generator/runs starts.
   */
  mqttUrl?: string | null;
  /** The bridge runtime's per-connector metrics(); null or absent when no bridge runs. */
  connectorMetrics?: () => ConnectorMetricsLike[] | null;
  /** The metrics hub, to add the console's own sources (generator runs count in the generator hop). */
  metrics?: { addSource(hop: 'generator', source: () => { messages: number; bytes: number }): void };
  /** The cluster the connector runtime joined (CONNECT_GROUP_ID), or null when it runs alone. */
  cluster?: () => ClusterLike | null;
  /** The metrics hub's kept frames, oldest first, and how long it keeps them (ms). */
  metricsHistory?: { frames: () => MetricsFrame[]; windowMs: number };
  /** Message scans allowed at once (CONSOLE_MAX_SCANS, default 4) and where their counts go (/metrics). */
  scans?: { max: number; stats: ScanStats };
}

/** Console message scans: running now, and refused (429) since start. */
export interface ScanStats {
  running: number;
  refused: number;
}

/** What /api/cluster/workers reads of the bridge's Herder. */
export interface ClusterLike {
  groupId: string;
  memberId: string;
  describe(): {
    leaderUrl: string | undefined;
    generation: number;
    members: Record<string, { url: string; units: string[] }>;
  };
  rebalances: Array<{ generation: number; at: number; leader: boolean; started: string[]; stopped: string[] }>;
}
