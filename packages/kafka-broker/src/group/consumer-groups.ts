// KIP-848 consumer groups (group.protocol=consumer): the coordinator side of ConsumerGroupHeartbeat.
// The broker assigns (assignors.ts); members reconcile through heartbeats:
//
// - any change of membership, subscriptions or subscribed topics' partition counts bumps the group
//   epoch and recomputes every member's target assignment (assignment epoch = group epoch);
// - on its heartbeat a member first loses what is not in its target (it keeps its epoch until it
//   reports, in TopicPartitions, that it no longer owns them); then it moves to the group epoch and
//   gets its target minus partitions another member still holds or has not yet acknowledged revoking;
//   those come on a later heartbeat once released;
// - epoch 0 joins (the member id is the client's, KIP-1082, or one we make), -1 leaves, -2 (a static
//   member leaving for a restart) is a leave too; an unknown member id answers UNKNOWN_MEMBER_ID, an
//   epoch other than the member's current or previous one FENCED_MEMBER_EPOCH;
// - a member silent for the session timeout is removed.
// Deliberately simpler than Kafka: groups live in memory (not in __consumer_offsets, so they restart
// empty and members rejoin after UNKNOWN_MEMBER_ID), no rebalance-timeout fencing of members that do
// not revoke, no rack awareness; regexes are JavaScript RegExps matched against the whole name.

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@seaway/kafka-protocol';
import type { ClusterState } from '../state/cluster.ts';
import { ASSIGNORS, type Assignment, DEFAULT_ASSIGNOR } from './assignors.ts';

export const CONSUMER_SESSION_TIMEOUT_MS = 45_000;
export const CONSUMER_HEARTBEAT_INTERVAL_MS = 2_000;

export interface ConsumerMember {
  readonly memberId: string;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  memberEpoch: number;
  previousEpoch: number;
  /** What the member was last given. */
  assigned: Assignment;
  /** Taken from the member, not yet acknowledged (it reports what it owns). */
  revoking: Assignment;
  target: Assignment;
  timer: NodeJS.Timeout | null;
}

export interface ConsumerGroup {
  readonly id: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  /** Subscribed topic ids with partition counts the target was computed from. */
  topicsKey: string;
  readonly members: Map<string, ConsumerMember>;
}

export interface HeartbeatRequest {
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  topicPartitions: Array<{ topicId: string; partitions: number[] }> | null;
  clientId: string;
  clientHost: string;
}

export interface HeartbeatResult {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

const has = (a: Assignment, t: string, p: number) => a.get(t)?.includes(p) ?? false;
const same = (a: Assignment, b: Assignment) =>
  [...a].filter(([, ps]) => ps.length > 0).length === [...b].filter(([, ps]) => ps.length > 0).length &&
  [...a].every(([t, ps]) => ps.length === (b.get(t)?.length ?? 0) && ps.every((p) => has(b, t, p)));
function filter(a: Assignment, keep: (t: string, p: number) => boolean): Assignment {
  const out: Assignment = new Map();
  for (const [t, ps] of a) {
    const kept = ps.filter((p) => keep(t, p));
    if (kept.length > 0) out.set(t, kept);
  }
  return out;
}
const toWire = (a: Assignment) => [...a].map(([topicId, partitions]) => ({ topicId, partitions }));

export class ConsumerGroups {
  readonly groups = new Map<string, ConsumerGroup>();
  readonly #cluster: ClusterState;
  readonly #log: (level: 'info' | 'warn', msg: string) => void;

  constructor(cluster: ClusterState, log: (level: 'info' | 'warn', msg: string) => void) {
    this.#cluster = cluster;
    this.#log = log;
  }

  #fail(errorCode: number, errorMessage: string | null = null): HeartbeatResult {
    return { errorCode, errorMessage, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null };
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResult {
    if (req.groupId === '') return this.#fail(ErrorCode.INVALID_REQUEST, 'GroupId can not be empty.');
    if (req.serverAssignor !== null && !(req.serverAssignor in ASSIGNORS)) {
      return this.#fail(ErrorCode.UNSUPPORTED_ASSIGNOR, `Assignor ${req.serverAssignor} is not supported.`);
    }
    let g = this.groups.get(req.groupId);
    if (req.memberEpoch === -1 || req.memberEpoch === -2) {
      const m = g?.members.get(req.memberId);
      if (!g || !m) return this.#fail(ErrorCode.UNKNOWN_MEMBER_ID);
      this.#remove(g, m, 'left');
      return { ...this.#fail(ErrorCode.NONE), memberId: req.memberId, memberEpoch: req.memberEpoch };
    }
    if (req.memberEpoch === 0) {
      if (req.subscribedTopicNames === null && req.subscribedTopicRegex === null) {
        return this.#fail(ErrorCode.INVALID_REQUEST, 'SubscribedTopicNames or SubscribedTopicRegex must be set.');
      }
      if (!g) {
        g = {
          id: req.groupId,
          groupEpoch: 0,
          assignmentEpoch: 0,
          assignorName: DEFAULT_ASSIGNOR,
          topicsKey: '',
          members: new Map(),
        };
        this.groups.set(g.id, g);
      }
      const memberId = req.memberId === '' ? randomUUID() : req.memberId;
      const old = g.members.get(memberId);
      if (old) this.#remove(g, old, 'rejoined');
      const m: ConsumerMember = {
        memberId,
        instanceId: req.instanceId,
        rackId: req.rackId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        subscribedTopicNames: req.subscribedTopicNames ?? [],
        subscribedTopicRegex: req.subscribedTopicRegex,
        serverAssignor: req.serverAssignor,
        memberEpoch: 0,
        previousEpoch: 0,
        assigned: new Map(),
        revoking: new Map(),
        target: new Map(),
        timer: null,
      };
      g.members.set(memberId, m);
      g.groupEpoch++;
      return this.#answer(g, m, true);
    }
    const m = g?.members.get(req.memberId);
    if (!g || !m) return this.#fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.memberEpoch !== m.memberEpoch && req.memberEpoch !== m.previousEpoch) {
      return this.#fail(ErrorCode.FENCED_MEMBER_EPOCH);
    }
    let changed = false;
    if (
      req.subscribedTopicNames !== null &&
      req.subscribedTopicNames.join('\0') !== m.subscribedTopicNames.join('\0')
    ) {
      m.subscribedTopicNames = req.subscribedTopicNames;
      changed = true;
    }
    if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== m.subscribedTopicRegex) {
      m.subscribedTopicRegex = req.subscribedTopicRegex === '' ? null : req.subscribedTopicRegex;
      changed = true;
    }
    if (req.serverAssignor !== null && req.serverAssignor !== m.serverAssignor) {
      m.serverAssignor = req.serverAssignor;
      changed = true;
    }
    if (req.rebalanceTimeoutMs > 0) m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (req.topicPartitions !== null) {
      // what the member reports owning: revocations it no longer lists are done
      const owned: Assignment = new Map(req.topicPartitions.map((t) => [t.topicId, t.partitions]));
      m.revoking = filter(m.revoking, (t, p) => has(owned, t, p));
    }
    if (changed) g.groupEpoch++;
    return this.#answer(g, m, req.topicPartitions !== null || changed);
  }

  /** Recomputes targets if needed, moves the member along, and answers it. */
  #answer(g: ConsumerGroup, m: ConsumerMember, full: boolean): HeartbeatResult {
    this.#touch(g, m);
    this.#refreshTargets(g);
    const before = m.assigned;
    const toRevoke = filter(m.assigned, (t, p) => !has(m.target, t, p));
    if (toRevoke.size > 0) {
      m.assigned = filter(m.assigned, (t, p) => has(m.target, t, p));
      for (const [t, ps] of toRevoke) for (const p of ps) addTo(m.revoking, t, p);
    } else if (m.revoking.size === 0) {
      if (m.memberEpoch !== g.assignmentEpoch) {
        m.previousEpoch = m.memberEpoch;
        m.memberEpoch = g.assignmentEpoch;
      }
      m.assigned = filter(m.target, (t, p) => !this.#heldByOther(g, m, t, p));
    }
    const send = full || !same(before, m.assigned);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: m.memberId,
      memberEpoch: m.memberEpoch,
      heartbeatIntervalMs: CONSUMER_HEARTBEAT_INTERVAL_MS,
      assignment: send ? { topicPartitions: toWire(m.assigned) } : null,
    };
  }

  #heldByOther(g: ConsumerGroup, m: ConsumerMember, t: string, p: number): boolean {
    for (const o of g.members.values()) {
      if (o !== m && (has(o.assigned, t, p) || has(o.revoking, t, p))) return true;
    }
    return false;
  }

  /** Subscribed topic ids of a member (names and regex resolved against the cluster's topics). */
  #subscribed(m: ConsumerMember): Set<string> {
    const ids = new Set<string>();
    for (const name of m.subscribedTopicNames) {
      const t = this.#cluster.topics.get(name);
      if (t && !t.internal) ids.add(t.id);
    }
    if (m.subscribedTopicRegex !== null) {
      let re: RegExp | null = null;
      try {
        re = new RegExp(`^(?:${m.subscribedTopicRegex})$`);
      } catch {
        re = null;
      }
      if (re) for (const t of this.#cluster.topics.values()) if (!t.internal && re.test(t.name)) ids.add(t.id);
    }
    return ids;
  }

  #refreshTargets(g: ConsumerGroup): void {
    const subs = new Map([...g.members.values()].map((m) => [m.memberId, this.#subscribed(m)]));
    const partitionsOf = new Map<string, number>();
    for (const t of this.#cluster.topics.values()) {
      if ([...subs.values()].some((s) => s.has(t.id))) partitionsOf.set(t.id, t.partitions.length);
    }
    const key = [...partitionsOf].map(([t, n]) => `${t}:${n}`).join(',');
    if (key !== g.topicsKey) {
      g.topicsKey = key;
      // one bump per change: a join that brings a new topic is one new epoch
      if (g.assignmentEpoch === g.groupEpoch) g.groupEpoch++;
    }
    if (g.assignmentEpoch === g.groupEpoch) return;
    const names = [...g.members.values()].map((m) => m.serverAssignor).filter((n) => n !== null);
    g.assignorName = names[0] ?? DEFAULT_ASSIGNOR;
    const assignor =
      ASSIGNORS[g.assignorName] ?? (ASSIGNORS[DEFAULT_ASSIGNOR] as NonNullable<(typeof ASSIGNORS)[string]>);
    const targets = assignor(
      [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        topics: subs.get(m.memberId) ?? new Set(),
        current: m.target,
      })),
      partitionsOf,
    );
    for (const m of g.members.values()) m.target = targets.get(m.memberId) ?? new Map();
    g.assignmentEpoch = g.groupEpoch;
  }

  #touch(g: ConsumerGroup, m: ConsumerMember): void {
    if (m.timer) clearTimeout(m.timer);
    m.timer = setTimeout(() => {
      if (g.members.get(m.memberId) === m)
        this.#remove(g, m, `session expired after ${CONSUMER_SESSION_TIMEOUT_MS} ms`);
    }, CONSUMER_SESSION_TIMEOUT_MS);
    m.timer.unref();
  }

  #remove(g: ConsumerGroup, m: ConsumerMember, why: string): void {
    if (m.timer) clearTimeout(m.timer);
    g.members.delete(m.memberId);
    g.groupEpoch++;
    this.#log('info', `consumer group ${g.id}: member ${m.memberId} ${why}`);
  }

  /** Offset commits by members (OffsetCommit v9 carries the member epoch): NONE when allowed. */
  commitAllowed(g: ConsumerGroup, memberId: string, memberEpoch: number): number {
    if (memberEpoch < 0 && memberId === '') return g.members.size === 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (memberEpoch !== m.memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return ErrorCode.NONE;
  }

  /** Kafka's state names: Empty, Assigning (targets not computed), Reconciling, Stable. */
  state(g: ConsumerGroup): string {
    if (g.members.size === 0) return 'Empty';
    if (g.assignmentEpoch !== g.groupEpoch) return 'Assigning';
    for (const m of g.members.values()) {
      if (m.memberEpoch !== g.assignmentEpoch || !same(m.assigned, m.target) || m.revoking.size > 0)
        return 'Reconciling';
    }
    return 'Stable';
  }

  delete(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    return ErrorCode.NONE;
  }

  close(): void {
    for (const g of this.groups.values()) for (const m of g.members.values()) if (m.timer) clearTimeout(m.timer);
  }
}

function addTo(a: Assignment, t: string, p: number): void {
  const l = a.get(t);
  if (!l) a.set(t, [p]);
  else if (!l.includes(p)) l.push(p);
}
