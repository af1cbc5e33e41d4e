// A Seaway worker as one member of a Connect-style cluster (Kafka Connect's DistributedHerder, cut
// down to what the MQTT source needs): workers with the same group.id meet in Kafka's group
// coordinator (protocol type `connect`, group-member.ts), the leader assigns connectors and tasks
// (assign.ts, incremental cooperative), every worker follows the config and status topics
// (topic-tail.ts) and runs only what it was assigned. The REST API answers on every worker; requests
// that change connectors go to the leader (the single writer of the config topic), a task restart to
// the worker running the task.
//
// Task configs are not written to the config topic as Connect does: they follow from the connector's
// config (splitTasks), so every worker derives the same ones. Source offsets (last message per MQTT
// topic) go to the offsets topic as Connect's (offset-log.ts), flushed every offset.flush.interval.ms
// and read by GET …/offsets on any worker; the MQTT source's real position is still the broker's
// persistent session of each task, whose client id stays with the task wherever it runs.
import type { Kafka } from 'kafkajs';
import type { ConnectWorker, WorkerClusterView } from '../runtime/worker.ts';
import { applyConfigRecord, type ConnectStore, type StatusRecord, type StoredConnector } from '../store/store.ts';
import { assignUnits, connectorUnit, type LostUnits, parseUnit, taskUnit } from './assign.ts';
import { GroupMember, instanceTag } from './group-member.ts';
import { OffsetLog } from './offset-log.ts';
import { TopicTail } from './topic-tail.ts';

export interface ClusterSettings {
  /** group.id: workers with the same one form a cluster. */
  groupId: string;
  /** This worker's REST URL as the other workers reach it (rest.advertised.host.name/port); startConnect fills it. */
  url?: string;
  /** session.timeout.ms (Connect's default 10000). */
  sessionTimeoutMs?: number;
  /** heartbeat.interval.ms (default 3000). */
  heartbeatIntervalMs?: number;
  /** rebalance.timeout.ms (default 60000). */
  rebalanceTimeoutMs?: number;
  /** scheduled.rebalance.max.delay.ms: how long a departed worker's units wait for it (Seaway default 0). */
  scheduledRebalanceMaxDelayMs?: number;
  /** offset.flush.interval.ms: how often a worker writes its tasks' changed offsets (Seaway default 10000, Connect's 60000). */
  offsetFlushIntervalMs?: number;
}

export interface HerderOptions {
  kafka: Kafka;
  brokers: readonly string[];
  /** The Kafka store; its records carry the writer tag passed as `writer`. */
  store: ConnectStore;
  writer: string;
  configTopic: string;
  statusTopic: string;
  /** offset.storage.topic (default connect-offsets). */
  offsetTopic?: string;
  /** Replication factor for the offsets topic when it is created (the broker's default). */
  replicationFactor?: number;
  /** Creates a compacted topic unless it exists (kafka-store.ts). */
  ensureTopic?: (topic: string, partitions: number) => Promise<void>;
  settings: ClusterSettings;
  /** Builds the worker with the cluster view and the store to use (config writes muted while applying others'). */
  makeWorker(view: WorkerClusterView, store: ConnectStore): ConnectWorker;
  log?: (line: string) => void;
}

/** One rebalance as this worker saw it (for logs, the console and the benchmark). */
export interface RebalanceEvent {
  generation: number;
  leader: boolean;
  at: number;
  started: string[];
  stopped: string[];
}

interface Assignment {
  version: 1;
  leaderUrl: string;
  assigned: string[];
  revoked: string[];
  delayMs: number;
  /** Every member's URL and units after this round, so any worker knows who runs what. */
  members: Record<string, { url: string; units: string[] }>;
}

export interface ForwardAnswer {
  status: number;
  body: string;
  contentType: string;
}

export class Herder {
  readonly worker: ConnectWorker;
  readonly member: GroupMember;
  readonly rebalances: RebalanceEvent[] = [];
  private readonly tail: TopicTail;
  readonly offsets: OffsetLog;
  private owned = new Set<string>();
  private leaderUrl: string | undefined;
  private members: Assignment['members'] = {};
  private readonly statuses = new Map<string, StatusRecord>();
  private readonly snapshot = new Map<string, StoredConnector>();
  private previous: Map<string, string[]> | undefined;
  private lost: LostUnits | undefined;
  private assignedSignature = '';
  private muted = false;
  private poll: NodeJS.Timeout | null = null;
  private delayTimer: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;

  constructor(private readonly o: HerderOptions) {
    this.log = o.log ?? (() => {});
    const s = o.settings;
    const raw = o.store;
    const muted = () => this.muted;
    const store: ConnectStore = {
      load: () => raw.load(),
      putConfig: (n, c) => (muted() ? Promise.resolve() : raw.putConfig(n, c)),
      putTarget: (n, t) => (muted() ? Promise.resolve() : raw.putTarget(n, t)),
      remove: (n) => (muted() ? Promise.resolve() : raw.remove(n)),
      putStatus: (k, v) => raw.putStatus(k, v),
      close: () => raw.close(),
    };
    const offsetTopic = o.offsetTopic ?? 'connect-offsets';
    this.offsets = new OffsetLog(o.kafka, offsetTopic, () => this.tail.catchUp(), this.log);
    const view: WorkerClusterView = {
      offsets: this.offsets,
      ...(s.offsetFlushIntervalMs !== undefined ? { offsetFlushIntervalMs: s.offsetFlushIntervalMs } : {}),
      owns: (connector, task) => this.owned.has(task < 0 ? connectorUnit(connector) : taskUnit(connector, task)),
      remoteStatus: (key) => this.statuses.get(key),
      requestRestart: async (name, includeTasks, onlyFailed) => {
        if (!raw.putRestart) throw new Error('this store cannot carry restart requests');
        await raw.putRestart(name, includeTasks, onlyFailed);
      },
    };
    this.worker = o.makeWorker(view, store);
    this.tail = new TopicTail(o.kafka, [o.configTopic, o.statusTopic, offsetTopic], (r) => this.onRecord(r));
    this.member = new GroupMember({
      brokers: o.brokers,
      groupId: s.groupId,
      protocolType: 'connect',
      protocolName: 'seaway-cooperative-1',
      sessionTimeoutMs: s.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: s.rebalanceTimeoutMs ?? 60_000,
      heartbeatIntervalMs: s.heartbeatIntervalMs ?? 3_000,
      metadata: () => Buffer.from(JSON.stringify({ version: 1, url: s.url ?? '', owned: [...this.owned] })),
      assign: (leaderId, members) => this.assign(leaderId, members),
      onAssignment: (a) => this.onAssignment(a.generation, a.memberId === a.leaderId, a.assignment),
      ...(o.log ? { log: o.log } : {}),
    });
  }

  /** Reads the topics to their end, joins the group and applies the first assignment. */
  async start(): Promise<void> {
    // offset.storage.partitions: 25 as Connect
    await this.o.ensureTopic?.(this.offsets.topic, 25);
    await this.offsets.start();
    await this.tail.start();
    await this.tail.catchUp();
    await this.member.start();
    // The leader rebalances when the set of connectors or their task counts changed.
    this.poll = setInterval(() => {
      if (this.member.isLeader && this.signature() !== this.assignedSignature) this.member.rejoin();
    }, 500);
  }

  get isLeader(): boolean {
    return this.member.isLeader;
  }

  /** Who runs what, as the last assignment said (worker URL → units). */
  describe(): { leaderUrl: string | undefined; generation: number; members: Assignment['members'] } {
    return { leaderUrl: this.leaderUrl, generation: this.member.generation, members: this.members };
  }

  /**
   * Where a REST request goes: undefined = answer here; otherwise the answer of the worker that must
   * handle it (the leader for connector changes, the task's worker for a task restart).
   */
  async forward(method: string, path: string, body: unknown, forwarded: boolean): Promise<ForwardAnswer | undefined> {
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
    if (!path.startsWith('/connectors')) return undefined;
    let target: string | undefined;
    const taskRestart = /^\/connectors\/([^/?]+)\/tasks\/(\d+)\/restart/.exec(path);
    if (taskRestart) {
      const name = decodeURIComponent(taskRestart[1] as string);
      const id = Number(taskRestart[2]);
      if (this.worker.runsTask(name, id) || !this.worker.has(name)) return undefined;
      const unit = taskUnit(name, id);
      target = Object.values(this.members).find((m) => m.units.includes(unit))?.url;
      if (!target)
        return conflict(`Task ${name}-${id} is not assigned to any worker right now (rebalance?); try again`);
    } else {
      if (this.member.isLeader) return undefined;
      target = this.leaderUrl;
      if (!target)
        return conflict('Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
    }
    if (forwarded)
      return conflict('Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
    try {
      const res = await fetch(`${target.replace(/\/$/, '')}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-seaway-forwarded': '1' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        body: await res.text(),
        contentType: res.headers.get('content-type') ?? 'application/json',
      };
    } catch (e) {
      return {
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          error_code: 500,
          message: `cannot forward the request to ${target}: ${(e as Error).message}`,
        }),
      };
    }
  }

  async close(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    if (this.delayTimer) clearTimeout(this.delayTimer);
    await this.tail.close();
    await this.worker.close();
    await this.offsets.close();
    await this.member.close();
  }

  // ---- internals ----

  private units(): string[] {
    const out: string[] = [];
    for (const [name, n] of [...this.worker.taskCounts()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(connectorUnit(name));
      for (let i = 0; i < n; i++) out.push(taskUnit(name, i));
    }
    return out;
  }

  private signature(): string {
    return this.units().join('\n');
  }

  private async assign(
    leaderId: string,
    members: Array<{ memberId: string; metadata: Buffer }>,
  ): Promise<Map<string, Buffer>> {
    await this.tail.catchUp();
    const meta = members.map((m) => {
      let v: { url?: string; owned?: string[] } = {};
      try {
        v = JSON.parse(m.metadata.toString()) as typeof v;
      } catch {
        this.log(`cluster: member ${m.memberId} sent metadata that is not Seaway's; it gets nothing`);
      }
      return { id: m.memberId, url: v.url ?? '', owned: Array.isArray(v.owned) ? v.owned : [] };
    });
    const units = this.units();
    this.assignedSignature = units.join('\n');
    const out = assignUnits({
      members: meta,
      units,
      ...(this.previous ? { previous: this.previous } : {}),
      ...(this.lost ? { lost: this.lost } : {}),
      now: Date.now(),
      maxDelayMs: this.o.settings.scheduledRebalanceMaxDelayMs ?? 0,
    });
    this.previous = out.assigned;
    this.lost = out.lost;
    const leaderUrl = meta.find((m) => m.id === leaderId)?.url ?? '';
    const all: Assignment['members'] = {};
    for (const m of meta) all[m.id] = { url: m.url, units: out.assigned.get(m.id) ?? [] };
    const result = new Map<string, Buffer>();
    for (const m of meta) {
      const a: Assignment = {
        version: 1,
        leaderUrl,
        assigned: out.assigned.get(m.id) ?? [],
        revoked: out.revoked.get(m.id) ?? [],
        delayMs: out.delayMs,
        members: all,
      };
      result.set(m.id, Buffer.from(JSON.stringify(a)));
    }
    return result;
  }

  private async onAssignment(generation: number, leader: boolean, raw: Buffer): Promise<void> {
    let a: Assignment;
    try {
      a = JSON.parse(raw.toString()) as Assignment;
    } catch {
      this.log(`cluster: generation ${generation}: the assignment is not Seaway's; rejoining`);
      this.member.rejoin();
      return;
    }
    this.owned = new Set(a.assigned);
    this.leaderUrl = a.leaderUrl;
    this.members = a.members;
    const { started, stopped } = await this.worker.serial(() => this.worker.reassign());
    this.rebalances.push({ generation, leader, at: Date.now(), started, stopped });
    if (this.rebalances.length > 100) this.rebalances.shift();
    this.log(
      `cluster: generation ${generation}${leader ? ' (leader)' : ''}: runs ${a.assigned.length} units; started ${started.join(', ') || 'none'}; stopped ${stopped.join(', ') || 'none'}`,
    );
    if (a.revoked.length > 0) this.member.rejoin();
    if (a.delayMs > 0) {
      if (this.delayTimer) clearTimeout(this.delayTimer);
      this.delayTimer = setTimeout(() => this.member.rejoin(), a.delayMs);
    }
  }

  private async onRecord(r: {
    topic: string;
    key: string;
    value: Buffer | null;
    headers: Record<string, string>;
    offset: bigint;
  }): Promise<void> {
    if (r.topic === this.offsets.topic) {
      this.offsets.handle(r.key, r.value, r.offset);
      return;
    }
    let value: unknown = null;
    if (r.value !== null) {
      try {
        value = JSON.parse(r.value.toString()) as unknown;
      } catch {
        this.log(`cluster: ${r.topic} offset ${r.offset} (key ${JSON.stringify(r.key)}) is not JSON; skipped`);
        return;
      }
    }
    if (r.topic === this.o.statusTopic) {
      const key = r.key.replace(/^status-/, '');
      if (value === null) this.statuses.delete(key);
      else {
        // A worker's status writes may land out of order (concurrent sends): per worker, the higher
        // generation wins; a record from another worker (the task moved) replaces it.
        const next = value as StatusRecord;
        const cur = this.statuses.get(key);
        if (cur && cur.worker_id === next.worker_id && cur.generation > next.generation) return;
        this.statuses.set(key, next);
      }
      return;
    }
    if (r.key.startsWith('restart-connector-')) {
      const name = r.key.slice('restart-connector-'.length);
      const v = (value ?? {}) as { 'include-tasks'?: boolean; 'only-failed'?: boolean };
      await this.worker.serial(async () => {
        if (this.worker.has(name))
          await this.worker.restartHere(name, v['include-tasks'] === true, v['only-failed'] === true);
      });
      return;
    }
    const name = r.key.replace(/^connector-|^target-state-/, '');
    applyConfigRecord(this.snapshot, r.key, value);
    if (r.headers['seaway.writer'] === this.o.writer) return; // this worker wrote it and applied it already
    await this.worker.serial(async () => {
      this.muted = true;
      try {
        await this.worker.applyStored(name, this.snapshot.get(name));
      } catch (e) {
        this.log(`cluster: cannot apply ${r.key} from ${r.topic} offset ${r.offset}: ${(e as Error).message}`);
      } finally {
        this.muted = false;
      }
    });
  }
}

function conflict(message: string): ForwardAnswer {
  return { status: 409, contentType: 'application/json', body: JSON.stringify({ error_code: 409, message }) };
}

export { instanceTag, parseUnit };
