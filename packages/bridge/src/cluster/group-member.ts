// One member of a Kafka classic group with protocol type `connect`, as Kafka Connect's distributed
// herder (WorkerGroupMember / WorkerCoordinator) is: FindCoordinator, JoinGroup, SyncGroup, then
// Heartbeat every heartbeat.interval.ms until the coordinator says REBALANCE_IN_PROGRESS (or this
// worker asks to rejoin), LeaveGroup on close. The leader's `assign` computes every member's
// assignment from their JoinGroup metadata; the others get theirs from SyncGroup.
//
// The requests go through @seaway/kafka-protocol's codec on a connection of our own to the group
// coordinator; its request timeout is above rebalance.timeout.ms because a JoinGroup waits for every
// member to rejoin. Kafka answers a connection's requests in order, so heartbeats are not sent while a
// join is in flight (the join itself keeps the member alive). Cooperative: a member keeps running what
// it owns while it rejoins; only what the new assignment takes away is stopped (by the caller).
//
// Versions: highest both sides speak of FindCoordinator 0-6 (v4+ batches keys), JoinGroup 0-9 (v4+
// answers MEMBER_ID_REQUIRED to a first join, which is retried with the given id), SyncGroup 0-5
// (v5 carries protocol type and name), Heartbeat 0-4, LeaveGroup 0-5 (v3+ members list).
import { randomBytes } from 'node:crypto';
import { BrokerPool, ErrorCode, errorByCode, KafkaConnection, type KafkaTransport } from '@seaway/kafka-protocol';

const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;

export interface GroupMemberOptions {
  brokers: readonly string[];
  groupId: string;
  clientId?: string;
  protocolType: string;
  protocolName: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** This member's JoinGroup metadata, asked before every join. */
  metadata(): Buffer;
  /** Leader only: every member's assignment from the members' metadata. */
  assign(leaderId: string, members: Array<{ memberId: string; metadata: Buffer }>): Promise<Map<string, Buffer>>;
  /** This member's assignment of a new generation (awaited before heartbeats go on). */
  onAssignment(a: { generation: number; memberId: string; leaderId: string; assignment: Buffer }): Promise<void>;
  log?: (line: string) => void;
}

type Phase = 'idle' | 'joining' | 'stable' | 'closed';

export class GroupMember {
  memberId = '';
  generation = -1;
  leaderId = '';
  private phase: Phase = 'idle';
  private conn: KafkaTransport | null = null;
  private rejoinWanted = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly pool: BrokerPool;
  private readonly log: (line: string) => void;
  private firstAssignment!: Promise<void>;
  private resolveFirst!: () => void;

  constructor(private readonly o: GroupMemberOptions) {
    this.pool = new BrokerPool({ brokers: o.brokers, clientId: o.clientId ?? 'seaway-connect-group' });
    this.log = o.log ?? (() => {});
    this.firstAssignment = new Promise((r) => {
      this.resolveFirst = r;
    });
  }

  get isLeader(): boolean {
    return this.phase === 'stable' && this.memberId !== '' && this.memberId === this.leaderId;
  }

  /** Starts the join/heartbeat loop; resolves once the first assignment has been applied. */
  start(): Promise<void> {
    this.loop = this.run();
    return this.firstAssignment;
  }

  /** Ask for a rebalance (a config change, a revocation done, a scheduled delay over). */
  rejoin(): void {
    this.rejoinWanted = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    const wasMember = this.memberId !== '' && this.phase !== 'closed';
    this.phase = 'closed';
    this.wake?.();
    if (wasMember && this.conn?.alive) {
      try {
        const v = this.conn.version(LEAVE_GROUP, 0, 5);
        await this.conn.request(LEAVE_GROUP, v, {
          groupId: this.o.groupId,
          memberId: this.memberId,
          members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'the worker is stopping' }],
        });
      } catch (e) {
        this.log(
          `group ${this.o.groupId}: LeaveGroup failed (${(e as Error).message}); the coordinator will expire the member`,
        );
      }
    }
    this.conn?.close();
    this.pool.close();
    await this.loop?.catch(() => {});
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (this.phase !== 'closed') {
      try {
        if (!this.conn?.alive) this.conn = await this.coordinator();
        if (this.phase !== 'stable' || this.rejoinWanted) await this.joinAndSync(this.conn);
        else await this.heartbeat(this.conn);
        backoff = 200;
      } catch (e) {
        if ((this.phase as Phase) === 'closed') return;
        const err = e as Error & { rediscover?: boolean };
        this.log(`group ${this.o.groupId}: ${err.message}; retrying in ${backoff} ms`);
        if (err.rediscover !== false) {
          this.conn?.close();
          this.conn = null;
        }
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** A connection to the group coordinator (found through any broker). */
  private async coordinator(): Promise<KafkaTransport> {
    const any = await this.pool.any();
    const v = any.version(FIND_COORDINATOR, 0, 6);
    const res = await any.request(FIND_COORDINATOR, v, {
      key: this.o.groupId,
      keyType: 0,
      coordinatorKeys: [this.o.groupId],
    });
    const c = v >= 4 ? res.coordinators[0] : res;
    if (c === undefined || c.errorCode !== 0) {
      throw new Error(`no coordinator for group ${this.o.groupId} yet (${errorByCode(c?.errorCode ?? -1).name})`);
    }
    return KafkaConnection.open({
      host: c.host,
      port: c.port,
      clientId: this.o.clientId ?? 'seaway-connect-group',
      requestTimeoutMs: this.o.rebalanceTimeoutMs + 10_000,
    });
  }

  private async joinAndSync(conn: KafkaTransport): Promise<void> {
    this.phase = 'joining';
    this.rejoinWanted = false;
    const jv = conn.version(JOIN_GROUP, 0, 9);
    const join = async () =>
      conn.request(JOIN_GROUP, jv, {
        groupId: this.o.groupId,
        sessionTimeoutMs: this.o.sessionTimeoutMs,
        rebalanceTimeoutMs: this.o.rebalanceTimeoutMs,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: this.o.protocolType,
        protocols: [{ name: this.o.protocolName, metadata: this.o.metadata() }],
        reason: 'seaway worker joining',
      });
    let res = await join();
    if (res.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
      this.memberId = res.memberId;
      res = await join();
    }
    if (res.errorCode !== 0) this.fail('JoinGroup', res.errorCode);
    this.memberId = res.memberId;
    this.generation = res.generationId;
    this.leaderId = res.leader;
    let assignments: Array<{ memberId: string; assignment: Buffer }> = [];
    if (res.leader === res.memberId) {
      const map = await this.o.assign(
        res.memberId,
        res.members.map((m) => ({ memberId: m.memberId, metadata: Buffer.from(m.metadata) })),
      );
      assignments = [...map].map(([memberId, assignment]) => ({ memberId, assignment }));
    }
    const sv = conn.version(SYNC_GROUP, 0, 5);
    const sync = await conn.request(SYNC_GROUP, sv, {
      groupId: this.o.groupId,
      generationId: this.generation,
      memberId: this.memberId,
      groupInstanceId: null,
      protocolType: this.o.protocolType,
      protocolName: this.o.protocolName,
      assignments,
    });
    if (sync.errorCode !== 0) this.fail('SyncGroup', sync.errorCode);
    this.phase = 'stable';
    await this.o.onAssignment({
      generation: this.generation,
      memberId: this.memberId,
      leaderId: this.leaderId,
      assignment: Buffer.from(sync.assignment),
    });
    this.resolveFirst();
  }

  private async heartbeat(conn: KafkaTransport): Promise<void> {
    await this.sleep(this.o.heartbeatIntervalMs);
    if (this.phase === 'closed' || this.rejoinWanted) return;
    const v = conn.version(HEARTBEAT, 0, 4);
    const res = await conn.request(HEARTBEAT, v, {
      groupId: this.o.groupId,
      generationId: this.generation,
      memberId: this.memberId,
      groupInstanceId: null,
    });
    if (res.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) this.rejoinWanted = true;
    else if (res.errorCode !== 0) this.fail('Heartbeat', res.errorCode);
  }

  /** Handles a group error code: rejoin (keeping or dropping the member id) or find the coordinator again. */
  private fail(what: string, code: number): never {
    const name = errorByCode(code).name;
    const e = new Error(`${what} answered ${name}`) as Error & { rediscover?: boolean };
    switch (code) {
      case ErrorCode.REBALANCE_IN_PROGRESS:
      case ErrorCode.ILLEGAL_GENERATION:
        e.rediscover = false;
        this.phase = 'joining';
        break;
      case ErrorCode.UNKNOWN_MEMBER_ID:
        e.rediscover = false;
        this.memberId = '';
        this.phase = 'joining';
        break;
      case ErrorCode.INCONSISTENT_GROUP_PROTOCOL:
        e.message = `${what} answered ${name}: group ${this.o.groupId} is used by members of another kind (a Kafka Connect worker or a consumer?); give Seaway workers their own group.id`;
        e.rediscover = false;
        this.phase = 'joining';
        break;
      default:
        this.phase = 'joining';
    }
    throw e;
  }
}

/** A random suffix for ids that must differ per process (the writer tag of config records). */
export function instanceTag(): string {
  return randomBytes(6).toString('hex');
}
