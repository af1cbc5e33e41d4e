// Where connector configs, target states and statuses live, behind a narrow async interface.
// Records follow Kafka Connect's distributed herder (KafkaConfigBackingStore / KafkaStatusBackingStore):
//   connect-configs  "connector-<name>"      {"properties": {...}}
//                    "target-state-<name>"   {"state": "STARTED" | "PAUSED" | "STOPPED"}
//                    a null value (tombstone) deletes
//   connect-status   "status-connector-<name>" / "status-task-<name>-<id>"
//                    {"state", "trace", "worker_id", "generation"}
// The memory implementation serves unit tests; kafka-store.ts keeps them in compacted topics.

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface StoredConnector {
  config: Record<string, string>;
  target: TargetState;
}

export interface StatusRecord {
  state: string;
  trace: string | null;
  worker_id: string;
  generation: number;
}

export interface ConnectStore {
  /** Everything stored so far (configs with their target state). */
  load(): Promise<Map<string, StoredConnector>>;
  /** The config and, when given, the target state after it, written together (both or neither). */
  putConfig(name: string, config: Record<string, string>, target?: TargetState): Promise<void>;
  putTarget(name: string, target: TargetState): Promise<void>;
  /** The config's and the target state's tombstones, written together. */
  remove(name: string): Promise<void>;
  /** key is "connector-<name>" or "task-<name>-<id>"; null deletes. */
  putStatus(key: string, status: StatusRecord | null): Promise<void>;
  /** A cluster-wide restart request ("restart-connector-<name>", as Connect 3.0+ writes it); Kafka store only. */
  putRestart?(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Apply one connect-configs record to a snapshot, as the herder does when it replays the topic. */
export function applyConfigRecord(map: Map<string, StoredConnector>, key: string, value: unknown): void {
  if (key.startsWith('connector-')) {
    const name = key.slice('connector-'.length);
    if (value === null) map.delete(name);
    else {
      const props = (value as { properties?: Record<string, string> }).properties ?? {};
      map.set(name, { config: props, target: map.get(name)?.target ?? 'STARTED' });
    }
  } else if (key.startsWith('target-state-')) {
    const name = key.slice('target-state-'.length);
    const cur = map.get(name);
    if (cur && value !== null) cur.target = ((value as { state?: TargetState }).state ?? 'STARTED') as TargetState;
  }
}

export function memoryStore(): ConnectStore & { statuses: Map<string, StatusRecord> } {
  const map = new Map<string, StoredConnector>();
  const statuses = new Map<string, StatusRecord>();
  return {
    statuses,
    async load() {
      return new Map([...map].map(([k, v]) => [k, { config: { ...v.config }, target: v.target }]));
    },
    async putConfig(name, config, target) {
      applyConfigRecord(map, `connector-${name}`, { properties: { ...config } });
      if (target) applyConfigRecord(map, `target-state-${name}`, { state: target });
    },
    async putTarget(name, target) {
      applyConfigRecord(map, `target-state-${name}`, { state: target });
    },
    async remove(name) {
      applyConfigRecord(map, `connector-${name}`, null);
    },
    async putStatus(key, status) {
      if (status === null) statuses.delete(key);
      else statuses.set(key, status);
    },
    async close() {},
  };
}
