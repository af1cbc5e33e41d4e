// The Connect worker: the set of MQTT source connectors, their tasks, target states and statuses,
// persisted through a ConnectStore. It is the single writer of connector state; the REST plugin only
// calls these methods. Lifecycle follows Kafka Connect: create -> RUNNING (tasks started), pause ->
// PAUSED (tasks hold messages unacknowledged), stop -> STOPPED (no tasks), resume -> RUNNING,
// restart -> tasks rebuilt from the stored config, delete -> gone. As in Connect 4.1 a STOPPED
// connector has no tasks (nor task configs) and one created with initial_state PAUSED has none until
// it is resumed. Offsets (KIP-875): the MQTT source tracks, per connector, the last message handled
// per MQTT topic (seen on the records the sink took) and each task's MQTT session; they live in the
// worker's memory, survive stop/resume, and can be altered or reset only while STOPPED.
//
// No PUBACK into nothing: for as long as a connector is configured (whatever its state) the worker
// keeps a cover on the embedded broker's ingest gate for each of its KCQL sources, so a publish on
// its topics waits (up to the gate's hold bound) for one of its tasks instead of being acknowledged
// while none runs: before the tasks start, while PAUSED or STOPPED, during a restart, once a task
// FAILED. A FAILED task makes the connector's state FAILED with a trace naming the task.
import { hostname } from 'node:os';
import { KEY_BY_NAME, PLUGIN_VERSION } from '../connector/config-def.ts';
import { splitTasks, type TaskAssignment } from '../connector/task-split.ts';
import { type MqttSourceSettings, validateMqttSourceConfig } from '../connector/validate.ts';
import { httpSchemaRegistry, type SchemaRegistry } from '../converters/registry-client.ts';
import { AvroSerializer } from '../converters/serialize.ts';
import { BridgeError, BridgeErrorCodes } from '../errors.ts';
import { plainFilter } from '../kcql/routes.ts';
import { LogLevels } from '../rest/loggers.ts';
import type { ConnectStore, StatusRecord, TargetState } from '../store/store.ts';
import { buildChain } from '../transforms/chain.ts';
import type { IngestGate } from './gate.ts';
import type { RecordSink, SinkMessage } from './sink.ts';
import { MqttSourceTask, type TaskMetrics } from './task.ts';

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type: 'source';
}

export type TaskStatus = ReturnType<MqttSourceTask['status']> & { version: string };

export interface ConnectorStatus {
  name: string;
  connector: { state: ConnectorState; worker_id: string; version: string; trace?: string };
  tasks: TaskStatus[];
  type: 'source';
}

/** One KIP-875 offset entry: {partition, offset}; offset null removes the partition on PATCH. */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** The last message handled on one MQTT topic (mutated in place, no allocation per record). */
interface TopicOffset {
  messageId: number | null;
  qos: number;
  kafkaTopic: string;
  timestamp: number;
}

export interface ConnectorMetrics extends TaskMetrics {
  name: string;
  state: ConnectorState;
  tasks: Array<TaskMetrics & { id: number; state: string }>;
}

export interface WorkerOptions {
  store: ConnectStore;
  sink: RecordSink;
  /** The schema registry for Avro keys and values (a connector's *.converter.schema.registry.url overrides it). */
  registry: SchemaRegistry | undefined;
  /** Registry client for a connector-level URL (default: the Confluent HTTP client). */
  registryForUrl?: (url: string) => SchemaRegistry;
  /** The gate to use for a connector, or undefined to connect to its hosts as an MQTT client. */
  gateFor: (settings: MqttSourceSettings) => IngestGate | undefined;
  workerId?: string;
  log?: (line: string) => void;
  maxPending?: number;
  maxConcurrentSends?: number;
  /** Log levels /admin/loggers changes; the worker registers seaway.bridge.worker and seaway.bridge.task. */
  loggers?: LogLevels;
  /** Set when the worker is one of a cluster (cluster/herder.ts); absent, it runs every connector and task. */
  cluster?: WorkerClusterView;
}

/** What a cluster member tells its worker: what it runs, and what the other workers reported. */
export interface WorkerClusterView {
  /** True when this worker runs the connector (task -1) or the task, as the group leader assigned. */
  owns(connector: string, task: number): boolean;
  /** The last status another worker wrote ("connector-<name>" / "task-<name>-<id>"), from the status topic. */
  remoteStatus(key: string): StatusRecord | undefined;
  /** A restart the cluster carries out on every worker (a restart-connector record in the config topic). */
  requestRestart(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<void>;
  /** The cluster's offsets topic (offset.storage.topic): tasks' offsets are flushed there, GET reads it. */
  offsets?: OffsetBackingStore;
  /** offset.flush.interval.ms: how often this worker writes its tasks' changed offsets (default 10000). */
  offsetFlushIntervalMs?: number;
}

/** Where a cluster keeps source offsets (cluster/offset-log.ts). */
export interface OffsetBackingStore {
  write(name: string, entries: readonly ConnectorOffset[]): Promise<void>;
  read(name: string): Promise<ConnectorOffset[]>;
}

interface Connector {
  name: string;
  config: Record<string, string>;
  target: TargetState;
  state: ConnectorState;
  trace: string | undefined;
  settings: MqttSourceSettings | undefined;
  tasks: MqttSourceTask[];
  taskConfigs: Array<Record<string, string>>;
  assignments: TaskAssignment[];
  serializer: AvroSerializer | undefined;
  /** Topics written since creation or the last topics reset. */
  topics: Set<string>;
  /** Removes this connector's covers on the ingest gate. */
  uncover: () => void;
  /** Last message per MQTT topic (KIP-875 offsets of this source). */
  offsets: Map<string, TopicOffset>;
  /** Offsets set by PATCH for topics (kept as given, reported by GET). */
  patched: Map<string, Record<string, unknown>>;
  /** DELETE offsets (or PATCH session: null) asked for: the next launch starts clean MQTT sessions. */
  resetSession: boolean;
  sink: RecordSink;
  /** JSON of each MQTT topic's offset as last written to the offsets topic (cluster only). */
  flushed: Map<string, string>;
}

const TASK_CLASS = 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceTask';

/** What REST answers show instead of a PASSWORD-type value (as Connect shows them in validate answers). */
export const HIDDEN = '[hidden]';
/** Longest connector name, URL-encoded: Fastify (maxParamLength 100) cannot route a longer one. */
export const MAX_NAME_LENGTH = 100;

const isPassword = (key: string) => KEY_BY_NAME.get(key)?.type === 'PASSWORD';

/** A copy with PASSWORD-type values replaced by [hidden]. */
function masked(config: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = isPassword(k) ? HIDDEN : v;
  return out;
}

export class ConnectWorker {
  readonly workerId: string;
  private readonly connectors = new Map<string, Connector>();
  private generation = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  readonly loggers: LogLevels;
  private readonly taskLog: ((line: string) => void) | undefined;
  private readonly taskErrorLog: ((line: string) => void) | undefined;

  constructor(private readonly o: WorkerOptions) {
    this.workerId = o.workerId ?? `${hostname()}:8083`;
    // In a cluster, status generations only grow across restarts of a worker (the status view keeps a
    // worker's highest one, as its writes may land out of order).
    if (o.cluster) this.generation = Date.now();
    if (o.cluster?.offsets) {
      this.flushTimer = setInterval(() => void this.flushOffsets(), o.cluster.offsetFlushIntervalMs ?? 10_000);
      this.flushTimer.unref();
    }
    this.loggers = o.loggers ?? new LogLevels();
    if (o.log) {
      const write = o.log;
      this.loggers.levelled('seaway.bridge.worker', write);
      const task = this.loggers.levelled('seaway.bridge.task', write);
      this.taskLog = (line) => task.info(line);
      this.taskErrorLog = (line) => task.error(line);
    }
  }

  /**
   * Run a mutation after every earlier one has finished (one writer of connector state). The REST
   * plugin wraps each mutating call in it; the methods themselves do not, so they can call each other.
   */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Load stored connectors and start them in their target state. */
  async start(): Promise<void> {
    const stored = await this.o.store.load();
    // every stored connector's topics are covered before any of them starts, so a publish on one
    // waits for its task whatever order they start in
    const loaded: Connector[] = [];
    for (const [name, s] of stored) {
      const c = this.blank(name, s.config, s.target);
      this.connectors.set(name, c);
      this.coverTopics(c);
      loaded.push(c);
    }
    for (const c of loaded) await this.launch(c);
  }

  names(): string[] {
    return [...this.connectors.keys()].sort();
  }

  has(name: string): boolean {
    return this.connectors.has(name);
  }

  info(name: string): ConnectorInfo {
    const c = this.get(name);
    return {
      name,
      config: masked(c.config),
      tasks: c.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: 'source',
    };
  }

  config(name: string): Record<string, string> {
    return masked(this.get(name).config);
  }

  taskConfigs(name: string): Array<{ id: { connector: string; task: number }; config: Record<string, string> }> {
    const c = this.get(name);
    return c.taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: masked(config) }));
  }

  status(name: string): ConnectorStatus {
    const c = this.get(name);
    if (this.o.cluster) return this.clusterStatus(c, this.o.cluster);
    const { state, trace } = this.effective(c);
    const connector: ConnectorStatus['connector'] = { state, worker_id: this.workerId, version: PLUGIN_VERSION };
    if (trace) connector.trace = trace;
    return {
      name,
      connector,
      tasks: c.state === 'STOPPED' ? [] : c.tasks.map((t) => ({ ...t.status(this.workerId), version: PLUGIN_VERSION })),
      type: 'source',
    };
  }

  /** In a cluster: this worker's own connector and tasks as they are, the others as the status topic has them. */
  private clusterStatus(c: Connector, view: WorkerClusterView): ConnectorStatus {
    const remote = (key: string) => view.remoteStatus(key);
    let connector: ConnectorStatus['connector'];
    if (view.owns(c.name, -1)) {
      const { state, trace } = this.effective(c);
      connector = { state, worker_id: this.workerId, version: PLUGIN_VERSION };
      if (trace) connector.trace = trace;
    } else {
      const r = remote(`connector-${c.name}`);
      connector = {
        state: (r?.state as ConnectorState | undefined) ?? 'UNASSIGNED',
        worker_id: r?.worker_id ?? '',
        version: PLUGIN_VERSION,
      };
      if (r?.trace) connector.trace = r.trace;
    }
    const tasks: TaskStatus[] = [];
    if (c.state !== 'STOPPED') {
      for (let id = 0; id < c.taskConfigs.length; id++) {
        const local = c.tasks.find((t) => t.id === id);
        if (local) {
          tasks.push({ ...local.status(this.workerId), version: PLUGIN_VERSION });
          continue;
        }
        const r = remote(`task-${c.name}-${id}`);
        const s: TaskStatus = {
          id,
          state: (r?.state as TaskStatus['state'] | undefined) ?? 'UNASSIGNED',
          worker_id: r?.worker_id ?? '',
          version: PLUGIN_VERSION,
        };
        if (r?.trace) s.trace = r.trace;
        tasks.push(s);
      }
    }
    return { name: c.name, connector, tasks, type: 'source' };
  }

  taskStatus(name: string, id: number): TaskStatus {
    if (this.o.cluster) {
      const s = this.clusterStatus(this.get(name), this.o.cluster).tasks.find((t) => t.id === id);
      if (s) return s;
    }
    return { ...this.task(name, id).status(this.workerId), version: PLUGIN_VERSION };
  }

  hasTask(name: string, id: number): boolean {
    const c = this.connectors.get(name);
    if (!c) return false;
    if (this.o.cluster) return c.state !== 'STOPPED' && id < c.taskConfigs.length;
    return c.tasks.some((t) => t.id === id);
  }

  /** True when this worker runs that task (always, outside a cluster). */
  runsTask(name: string, id: number): boolean {
    return this.connectors.get(name)?.tasks.some((t) => t.id === id) ?? false;
  }

  state(name: string): ConnectorState {
    return this.get(name).state;
  }

  /**
   * What POST /connectors/{name}/restart will restart, as the status Connect answers with (202):
   * RESTARTING for the connector unless onlyFailed and it is not FAILED, and with includeTasks for
   * each task (onlyFailed: each FAILED one); everything else in its current state.
   */
  restartPlan(name: string, includeTasks: boolean, onlyFailed: boolean): ConnectorStatus {
    const s = this.status(name);
    if (!onlyFailed || s.connector.state === 'FAILED') s.connector = { ...s.connector, state: 'RESTARTING' };
    delete s.connector.trace;
    if (includeTasks) {
      s.tasks = s.tasks.map((t) => {
        if (onlyFailed && t.state !== 'FAILED') return t;
        const { trace: _trace, ...rest } = t;
        return { ...rest, state: 'RESTARTING' };
      });
    }
    return s;
  }

  /** GET /connectors/{name}/offsets: last message per MQTT topic, then each task's MQTT session. */
  offsets(name: string): ConnectorOffset[] {
    const c = this.get(name);
    const out: ConnectorOffset[] = [];
    const topics = new Set([...c.offsets.keys(), ...c.patched.keys()]);
    for (const topic of [...topics].sort()) {
      const seen = c.offsets.get(topic);
      const offset = seen
        ? { 'message.id': seen.messageId, qos: seen.qos, 'kafka.topic': seen.kafkaTopic, timestamp: seen.timestamp }
        : (c.patched.get(topic) as Record<string, unknown>);
      out.push({ partition: { 'mqtt.topic': topic }, offset });
    }
    const settings = c.settings;
    if (settings && !this.o.gateFor(settings)) {
      for (const a of c.assignments) {
        if (a.clientId === undefined) continue;
        out.push({
          partition: { 'mqtt.session': a.clientId },
          offset: { clean: settings.clean || c.resetSession, hosts: settings.hosts.join(',') },
        });
      }
    }
    return out;
  }

  /**
   * GET /connectors/{name}/offsets in a cluster: this worker's changed offsets flushed, then what the
   * offsets topic holds for the connector (written by whichever workers ran its tasks), then the
   * task sessions. Without an offsets topic: offsets().
   */
  async storedOffsets(name: string): Promise<ConnectorOffset[]> {
    const log = this.o.cluster?.offsets;
    if (!log) return this.offsets(name);
    this.get(name);
    await this.flushOffsets();
    const topics = (await log.read(name)).sort((a, b) =>
      String(a.partition['mqtt.topic']) < String(b.partition['mqtt.topic']) ? -1 : 1,
    );
    return [...topics, ...this.offsets(name).filter((e) => e.partition['mqtt.session'] !== undefined)];
  }

  /** Writes every MQTT topic offset that changed since the last flush to the offsets topic (cluster only). */
  flushOffsets(): Promise<void> {
    const log = this.o.cluster?.offsets;
    if (!log) return Promise.resolve();
    const run = this.flushing.then(async () => {
      for (const c of this.connectors.values()) {
        const changed: ConnectorOffset[] = [];
        const json: string[] = [];
        for (const [topic, o] of c.offsets) {
          const offset = { 'message.id': o.messageId, qos: o.qos, 'kafka.topic': o.kafkaTopic, timestamp: o.timestamp };
          const j = JSON.stringify(offset);
          if (c.flushed.get(topic) === j) continue;
          changed.push({ partition: { 'mqtt.topic': topic }, offset });
          json.push(j);
        }
        if (changed.length === 0) continue;
        try {
          await log.write(c.name, changed);
          for (let i = 0; i < changed.length; i++)
            c.flushed.set(changed[i]?.partition['mqtt.topic'] as string, json[i] as string);
        } catch (e) {
          this.o.log?.(
            `offsets of ${c.name} not written to the offsets topic (next flush retries): ${(e as Error).message}`,
          );
        }
      }
    });
    this.flushing = run.catch(() => {});
    return run;
  }

  /** PATCH offsets, also written to the offsets topic in a cluster (tombstones for null). */
  async changeOffsets(name: string, entries: ConnectorOffset[]): Promise<void> {
    this.alterOffsets(name, entries);
    const log = this.o.cluster?.offsets;
    if (!log) return;
    const c = this.get(name);
    const topics = entries.filter((e) => typeof e.partition['mqtt.topic'] === 'string');
    for (const e of topics) c.flushed.delete(e.partition['mqtt.topic'] as string);
    await log.write(name, topics);
  }

  /** DELETE offsets, also tombstones for every partition the offsets topic holds for the connector. */
  async clearOffsets(name: string): Promise<void> {
    this.resetOffsets(name);
    const log = this.o.cluster?.offsets;
    if (!log) return;
    this.get(name).flushed.clear();
    const stored = await log.read(name);
    await log.write(
      name,
      stored.map((e) => ({ partition: e.partition, offset: null })),
    );
  }

  /** PATCH offsets (the connector must be STOPPED; the caller checked the shapes). */
  alterOffsets(name: string, entries: ConnectorOffset[]): void {
    const c = this.stoppedForOffsets(name);
    for (const e of entries) {
      const topic = e.partition['mqtt.topic'];
      if (typeof topic === 'string') {
        c.offsets.delete(topic);
        if (e.offset === null) c.patched.delete(topic);
        else c.patched.set(topic, e.offset);
      } else if (e.offset === null) c.resetSession = true;
    }
  }

  /** DELETE offsets: forget every topic's offset and start clean MQTT sessions on the next resume. */
  resetOffsets(name: string): void {
    const c = this.stoppedForOffsets(name);
    c.offsets.clear();
    c.patched.clear();
    c.resetSession = true;
  }

  private stoppedForOffsets(name: string): Connector {
    const c = this.get(name);
    if (c.state !== 'STOPPED')
      throw new BridgeError(
        BridgeErrorCodes.BAD_REQUEST,
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    return c;
  }

  topics(name: string): string[] {
    const c = this.get(name);
    for (const t of c.tasks) for (const topic of t.topics) c.topics.add(topic);
    return [...c.topics].sort();
  }

  resetTopics(name: string): void {
    const c = this.get(name);
    c.topics.clear();
    for (const t of c.tasks) t.topics.clear();
  }

  /** Validate and create; throws CONFIG_INVALID / CONNECTOR_EXISTS. */
  async create(name: string, config: Record<string, string>, target: TargetState = 'STARTED'): Promise<ConnectorInfo> {
    if (this.connectors.has(name))
      throw new BridgeError(BridgeErrorCodes.CONNECTOR_EXISTS, `Connector ${name} already exists`);
    if (encodeURIComponent(name).length > MAX_NAME_LENGTH) {
      throw new BridgeError(
        BridgeErrorCodes.CONFIG_INVALID,
        `Connector name is too long: ${encodeURIComponent(name).length} characters URL-encoded, at most ${MAX_NAME_LENGTH} (it could not be read, changed or deleted)`,
      );
    }
    const full = { ...config, name };
    this.validateOrThrow(full);
    await this.o.store.putConfig(name, full, target === 'STARTED' ? undefined : target);
    const c = this.blank(name, full, target);
    this.connectors.set(name, c);
    this.coverTopics(c);
    if (target === 'PAUSED') await this.launchWithoutTasks(c, 'PAUSED');
    else await this.launch(c);
    return this.info(name);
  }

  /** PUT /connectors/{name}/config: create or replace. */
  async putConfig(name: string, config: Record<string, string>): Promise<{ created: boolean; info: ConnectorInfo }> {
    if (!this.connectors.has(name)) return { created: true, info: await this.create(name, config) };
    // a config read back from GET shows [hidden] for passwords: putting it back keeps the stored one
    const stored = this.get(name).config;
    const full: Record<string, string> = { ...config, name };
    for (const [k, v] of Object.entries(full)) {
      if (v === HIDDEN && isPassword(k) && stored[k] !== undefined) full[k] = stored[k];
    }
    this.validateOrThrow(full);
    await this.o.store.putConfig(name, full);
    const c = this.get(name);
    c.config = full;
    this.coverTopics(c);
    await this.relaunch(c);
    return { created: false, info: this.info(name) };
  }

  async patchConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const next: Record<string, string> = { ...this.get(name).config }; // unmasked: putConfig keeps [hidden] values
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    return (await this.putConfig(name, next)).info;
  }

  async remove(name: string): Promise<void> {
    const c = this.get(name);
    // stored first: a failed write leaves the connector running and listed, as it is in the store;
    // once it is written the 204 may follow a crash at any point and the connector stays gone
    await this.o.store.remove(name);
    await this.halt(c);
    this.connectors.delete(name);
    c.uncover();
    await this.o.store.putStatus(`connector-${name}`, null);
  }

  async pause(name: string): Promise<void> {
    const c = this.get(name);
    c.target = 'PAUSED';
    await this.o.store.putTarget(name, 'PAUSED');
    if (c.state === 'STOPPED') c.state = 'PAUSED';
    else {
      for (const t of c.tasks) t.pause();
      if (c.state === 'RUNNING') c.state = 'PAUSED';
    }
    await this.persistStatus(c);
  }

  async resume(name: string): Promise<void> {
    const c = this.get(name);
    c.target = 'STARTED';
    await this.o.store.putTarget(name, 'STARTED');
    if (c.tasks.length === 0 && c.state !== 'FAILED') await this.launch(c);
    else {
      for (const t of c.tasks) t.resume();
      if (c.state === 'PAUSED') c.state = 'RUNNING';
    }
    await this.persistStatus(c);
  }

  async stop(name: string): Promise<void> {
    const c = this.get(name);
    c.target = 'STOPPED';
    await this.o.store.putTarget(name, 'STOPPED');
    await this.halt(c);
    c.state = 'STOPPED';
    c.taskConfigs = [];
    await this.persistStatus(c);
  }

  /**
   * POST /connectors/{name}/restart. Without includeTasks only the connector restarts (tasks keep
   * running); onlyFailed limits the restart to FAILED instances. Returns what was restarted.
   */
  async restart(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<void> {
    if (this.o.cluster) return this.o.cluster.requestRestart(name, includeTasks, onlyFailed);
    return this.restartHere(name, includeTasks, onlyFailed);
  }

  /** The restart of this worker's own part of a connector (all of it outside a cluster). */
  async restartHere(name: string, includeTasks: boolean, onlyFailed: boolean): Promise<void> {
    const c = this.get(name);
    const connectorFailed = this.effective(c).state === 'FAILED';
    const anyTaskFailed = c.tasks.some((t) => t.state === 'FAILED');
    if (onlyFailed && !connectorFailed && !(includeTasks && anyTaskFailed)) return;
    if (includeTasks || connectorFailed) {
      if (onlyFailed && !connectorFailed) {
        for (const t of c.tasks) if (t.state === 'FAILED') await this.restartTask(name, t.id);
        return;
      }
      await this.relaunch(c);
    }
  }

  async restartTask(name: string, id: number): Promise<void> {
    const c = this.get(name);
    const old = this.task(name, id);
    // Start the new task before stopping the old one: with the ingest gate there is no moment in
    // which a publish could pass without a handler (a message in the overlap may be written twice,
    // never lost).
    const fresh = this.makeTask(c, id);
    c.tasks[c.tasks.indexOf(old)] = fresh;
    if (old.state === 'FAILED') await old.stop();
    await this.startTask(c, fresh);
    if (old.state !== 'FAILED') await old.stop();
    for (const topic of old.topics) c.topics.add(topic);
    await this.persistStatus(c);
  }

  metrics(): ConnectorMetrics[] {
    return [...this.connectors.values()].map((c) => {
      const tasks = c.tasks.map((t) => ({ ...t.metrics(), id: t.id, state: t.state }));
      const sum = (k: keyof TaskMetrics) => tasks.reduce((a, t) => a + t[k], 0);
      const batches = sum('batches');
      return {
        name: c.name,
        state: this.effective(c).state,
        messagesIn: sum('messagesIn'),
        bytesIn: sum('bytesIn'),
        recordsOut: sum('recordsOut'),
        bytesOut: sum('bytesOut'),
        deadLettered: sum('deadLettered'),
        convertErrors: sum('convertErrors'),
        skippedDuplicates: sum('skippedDuplicates'),
        unrouted: sum('unrouted'),
        refused: sum('refused'),
        inFlight: sum('inFlight'),
        batches,
        retries: sum('retries'),
        produceLatencyMs: Math.max(0, ...tasks.map((t) => t.produceLatencyMs)),
        produceLatencyAvgMs:
          batches === 0 ? 0 : tasks.reduce((a, t) => a + t.produceLatencyAvgMs * t.batches, 0) / batches,
        tasks,
      };
    });
  }

  /** Stop every task. The covers stay (the gate keeps holding those topics until the broker closes). */
  async close(): Promise<void> {
    for (const c of this.connectors.values()) await this.halt(c);
    if (this.flushTimer) {
      clearInterval(this.flushTimer);
      this.flushTimer = null;
      await this.flushOffsets();
    }
  }

  // ---- internals ----

  private readonly registries = new Map<string, SchemaRegistry>();
  private registryFor(url: string): SchemaRegistry {
    let r = this.registries.get(url);
    if (!r) {
      r = this.o.registryForUrl ? this.o.registryForUrl(url) : httpSchemaRegistry({ url });
      this.registries.set(url, r);
    }
    return r;
  }

  private get(name: string): Connector {
    const c = this.connectors.get(name);
    if (!c) throw new BridgeError(BridgeErrorCodes.CONNECTOR_NOT_FOUND, `Connector ${name} not found`);
    return c;
  }

  private task(name: string, id: number): MqttSourceTask {
    const t = this.get(name).tasks.find((x) => x.id === id);
    if (!t) throw new BridgeError(BridgeErrorCodes.TASK_NOT_FOUND, `Task ${name}-${id} not found`);
    return t;
  }

  private blank(name: string, config: Record<string, string>, target: TargetState): Connector {
    const c: Connector = {
      name,
      config,
      target,
      state: 'UNASSIGNED',
      trace: undefined,
      settings: undefined,
      tasks: [],
      taskConfigs: [],
      assignments: [],
      serializer: undefined,
      topics: new Set(),
      uncover: () => {},
      offsets: new Map(),
      patched: new Map(),
      resetSession: false,
      sink: this.o.sink,
      flushed: new Map(),
    };
    c.sink = this.trackingSink(c);
    return c;
  }

  /** The worker's sink, noting per MQTT topic the last message of every batch Kafka took. */
  private trackingSink(c: Connector): RecordSink {
    const inner = this.o.sink;
    return {
      async send(byTopic: Map<string, SinkMessage[]>): Promise<void> {
        await inner.send(byTopic);
        const now = Date.now();
        for (const [kafkaTopic, list] of byTopic) {
          for (let i = 0; i < list.length; i++) {
            const h = (list[i] as SinkMessage).headers;
            const topic = h['mqtt.topic'];
            if (topic === undefined) continue;
            const id = h['mqtt.message.id'];
            let o = c.offsets.get(topic);
            if (!o) c.offsets.set(topic, (o = { messageId: null, qos: 0, kafkaTopic, timestamp: now }));
            o.messageId = id === undefined ? null : Number(id);
            o.qos = Number(h['mqtt.qos'] ?? 0);
            o.kafkaTopic = kafkaTopic;
            o.timestamp = now;
          }
        }
      },
    };
  }

  /** A connector whose task FAILED reports FAILED (its topics get no PUBACK until a restart). */
  private effective(c: Connector): { state: ConnectorState; trace: string | undefined } {
    if (c.state !== 'RUNNING' && c.state !== 'PAUSED') return { state: c.state, trace: c.trace };
    const failed = c.tasks.find((t) => t.state === 'FAILED');
    if (!failed) return { state: c.state, trace: c.trace };
    const first = (failed.trace ?? '').split('\n')[0] ?? '';
    return {
      state: 'FAILED',
      trace: `Task ${c.name}-${failed.id} FAILED; publishes on its topics are not acknowledged until it is restarted (POST /connectors/${c.name}/restart?includeTasks=true&onlyFailed=true): ${first}`,
    };
  }

  /**
   * Declare (again) the connector's KCQL sources on the embedded broker's gate; the new covers are in
   * place before the old ones go. A config that does not validate keeps the covers it had.
   */
  private coverTopics(c: Connector): void {
    let settings: MqttSourceSettings;
    try {
      settings = this.validateOrThrow(c.config);
    } catch {
      return;
    }
    const gate = this.o.gateFor(settings);
    const old = c.uncover;
    if (!gate?.cover) {
      c.uncover = () => {};
      old();
      return;
    }
    const cover = gate.cover.bind(gate);
    const offs = [...new Set(settings.kcql.map((st) => plainFilter(st.source)))].map((f) => cover(c.name, f));
    c.uncover = () => {
      for (const off of offs) off();
    };
    old();
  }

  private validateOrThrow(config: Record<string, string>): MqttSourceSettings {
    const cls = config['connector.class'];
    if (cls === undefined) {
      throw new BridgeError(BridgeErrorCodes.CONFIG_INVALID, 'Connector config {…} contains no connector type', [
        {
          key: 'connector.class',
          message: 'Missing required configuration "connector.class" which has no default value.',
        },
      ]);
    }
    const r = validateMqttSourceConfig(config, cls);
    if (!r.settings) {
      const lines = r.errors.map((e) => e.message);
      throw new BridgeError(
        BridgeErrorCodes.CONFIG_INVALID,
        `Connector configuration is invalid and contains the following ${lines.length} error(s):\n${lines.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
        r.errors,
      );
    }
    return r.settings;
  }

  /** Build tasks from the config and start them according to the target state. */
  private async launch(c: Connector): Promise<void> {
    c.trace = undefined;
    if (c.target === 'STOPPED') {
      c.state = 'STOPPED';
      c.tasks = [];
      c.taskConfigs = [];
      await this.persistStatus(c);
      return;
    }
    let settings: MqttSourceSettings;
    try {
      settings = this.validateOrThrow(c.config);
    } catch (e) {
      c.state = 'FAILED';
      c.trace = (e as Error).message;
      await this.persistStatus(c);
      return;
    }
    if (c.resetSession) {
      settings = { ...settings, clean: true };
      c.resetSession = false;
    }
    c.settings = settings;
    // In a cluster a task keeps its MQTT client id wherever it runs (a persistent session follows it),
    // and a $share/ statement gets tasks.max tasks, which the broker shares the messages out to.
    const assignments = this.o.cluster
      ? splitTasks(
          settings.kcql,
          settings.tasksMax,
          settings.clientId ?? `seaway-${c.name}`,
          settings.shareReplicate,
          true,
        )
      : splitTasks(settings.kcql, settings.tasksMax, settings.clientId, settings.shareReplicate);
    c.assignments = assignments;
    const registry = settings.registryUrl ? this.registryFor(settings.registryUrl) : this.o.registry;
    c.serializer = new AvroSerializer(registry, { key: settings.keyConverter, value: settings.valueConverter });
    const kcqlKey =
      c.config['connect.mqtt.kcql'] !== undefined || c.config['connect.mqtt.source.kcql'] === undefined
        ? 'connect.mqtt.kcql'
        : 'connect.mqtt.source.kcql';
    c.taskConfigs = assignments.map((a) => {
      const cfg: Record<string, string> = {
        ...c.config,
        'task.class': TASK_CLASS,
        [kcqlKey]: a.statements.map((s) => s.text).join(';'),
      };
      if (a.clientId !== undefined) cfg['connect.mqtt.client.id'] = a.clientId;
      return cfg;
    });
    const cluster = this.o.cluster;
    c.tasks = assignments.flatMap((_, i) => (cluster && !cluster.owns(c.name, i) ? [] : [this.makeTask(c, i)]));
    c.state = c.target === 'PAUSED' ? 'PAUSED' : 'RUNNING';
    for (const t of c.tasks) await this.startTask(c, t);
    await this.persistStatus(c);
  }

  /** A connector in `state` with no tasks (created with initial_state PAUSED), its config checked. */
  private async launchWithoutTasks(c: Connector, state: ConnectorState): Promise<void> {
    try {
      c.settings = this.validateOrThrow(c.config);
      c.state = state;
    } catch (e) {
      c.state = 'FAILED';
      c.trace = (e as Error).message;
    }
    c.tasks = [];
    c.taskConfigs = [];
    await this.persistStatus(c);
  }

  private makeTask(c: Connector, id: number): MqttSourceTask {
    const settings = c.settings as MqttSourceSettings;
    const a = c.assignments[id];
    const gate = this.o.gateFor(settings);
    // a `$share/` statement several tasks hold (connect.mqtt.share.replicate) is spread over them by
    // the gate in-process (share key, task.ts) and by the broker outside: each message goes to one task
    const statements = a?.statements ?? [];
    const opts: ConstructorParameters<typeof MqttSourceTask>[0] = {
      connector: c.name,
      id,
      settings,
      statements,
      clientId: a?.clientId,
      sink: c.sink,
      serializer: c.serializer as AvroSerializer,
      gate,
      onChange: () => void this.persistStatus(c).catch(() => {}),
    };
    if (this.taskLog) opts.log = this.taskLog;
    const chain = buildChain(c.config, settings, {
      connector: c.name,
      task: id,
      ...(this.taskErrorLog ? { logError: this.taskErrorLog } : {}),
    });
    if (chain) opts.transform = chain;
    if (this.o.maxPending !== undefined) opts.maxPending = this.o.maxPending;
    if (this.o.maxConcurrentSends !== undefined) opts.maxConcurrentSends = this.o.maxConcurrentSends;
    return new MqttSourceTask(opts);
  }

  private async startTask(c: Connector, t: MqttSourceTask): Promise<void> {
    try {
      await t.start();
      if (c.target === 'PAUSED') t.pause();
    } catch (e) {
      t.state = 'FAILED';
      t.trace = `org.apache.kafka.connect.errors.ConnectException: ${(e as Error).message}\n${(e as Error).stack ?? ''}`;
      await t.stop(0).catch(() => {});
      t.state = 'FAILED';
    }
  }

  /** New tasks from the current config first, then the old ones stopped (no gap for the gate). */
  private async relaunch(c: Connector): Promise<void> {
    const old = c.tasks;
    c.tasks = [];
    await this.launch(c);
    for (const t of old) await t.stop();
    for (const t of old) for (const topic of t.topics) c.topics.add(topic);
  }

  /**
   * In a cluster, after a new assignment: start the tasks this worker now owns and stop the ones it
   * no longer does, leaving every other task running (incremental cooperative rebalancing).
   */
  async reassign(): Promise<{ started: string[]; stopped: string[] }> {
    const cluster = this.o.cluster;
    const started: string[] = [];
    const stopped: string[] = [];
    if (!cluster) return { started, stopped };
    for (const c of this.connectors.values()) {
      const gone = c.tasks.filter((t) => !cluster.owns(c.name, t.id));
      if (gone.length > 0) {
        c.tasks = c.tasks.filter((t) => !gone.includes(t));
        for (const t of gone) {
          await t.stop();
          for (const topic of t.topics) c.topics.add(topic);
          stopped.push(`${c.name}-${t.id}`);
        }
      }
      if (c.state === 'RUNNING' || c.state === 'PAUSED') {
        for (let id = 0; id < c.assignments.length; id++) {
          if (!cluster.owns(c.name, id) || c.tasks.some((t) => t.id === id)) continue;
          const t = this.makeTask(c, id);
          c.tasks.push(t);
          c.tasks.sort((a, b) => a.id - b.id);
          await this.startTask(c, t);
          started.push(`${c.name}-${id}`);
        }
      }
      if (started.length > 0 || stopped.length > 0 || cluster.owns(c.name, -1)) await this.persistStatus(c);
    }
    return { started, stopped };
  }

  /**
   * In a cluster: how many tasks each connector has (what the leader assigns), from the configs this
   * worker knows. A STOPPED connector, or one whose config does not validate, has none.
   */
  taskCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.connectors.values()) {
      let n = 0;
      if (c.target !== 'STOPPED' && c.state !== 'FAILED' && c.state !== 'STOPPED') n = c.assignments.length;
      out.set(c.name, n);
    }
    return out;
  }

  /**
   * Apply a connect-configs change another worker (the leader) wrote: the connector added, changed,
   * re-targeted or removed here too. The caller mutes the store's config writes (they are in Kafka).
   */
  async applyStored(
    name: string,
    stored: { config: Record<string, string>; target: TargetState } | undefined,
  ): Promise<void> {
    const c = this.connectors.get(name);
    if (!stored) {
      if (c) await this.remove(name);
      return;
    }
    if (!c) {
      await this.create(name, stored.config, stored.target);
      return;
    }
    if (JSON.stringify(c.config) !== JSON.stringify(stored.config)) await this.putConfig(name, stored.config);
    if (c.target !== stored.target) {
      if (stored.target === 'PAUSED') await this.pause(name);
      else if (stored.target === 'STOPPED') await this.stop(name);
      else await this.resume(name);
    }
  }

  private async halt(c: Connector): Promise<void> {
    const tasks = c.tasks;
    c.tasks = [];
    for (const t of tasks) await t.stop();
    for (const t of tasks) for (const topic of t.topics) c.topics.add(topic);
    c.state = 'UNASSIGNED';
  }

  private async persistStatus(c: Connector): Promise<void> {
    if (!this.connectors.has(c.name)) return;
    const generation = ++this.generation;
    const eff = this.effective(c);
    if (this.o.cluster && !this.o.cluster.owns(c.name, -1)) {
      for (const t of c.tasks) {
        await this.o.store.putStatus(`task-${c.name}-${t.id}`, {
          state: t.state,
          trace: t.trace,
          worker_id: this.workerId,
          generation,
        });
      }
      return;
    }
    await this.o.store.putStatus(`connector-${c.name}`, {
      state: eff.state,
      trace: eff.trace ?? null,
      worker_id: this.workerId,
      generation,
    });
    for (const t of c.tasks) {
      await this.o.store.putStatus(`task-${c.name}-${t.id}`, {
        state: t.state,
        trace: t.trace,
        worker_id: this.workerId,
        generation,
      });
    }
  }
}
