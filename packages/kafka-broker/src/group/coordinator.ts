// The classic group coordinator (no KIP-848): JoinGroup with MEMBER_ID_REQUIRED, SyncGroup,
// Heartbeat, LeaveGroup, session and rebalance timeouts, static membership (KIP-345), and committed
// offsets (offset-store.ts, kept in the internal topic __consumer_offsets).
// Every group transition happens in this file, on the event loop, so group state has one writer.
//
// Answers follow Kafka's classic coordinator (ClassicGroup / GroupMetadataManager):
// - member checks first (validateMember: UNKNOWN_MEMBER_ID, or FENCED_INSTANCE_ID when a
//   group.instance.id is now held by another member id), then the generation (ILLEGAL_GENERATION),
//   then the state: Heartbeat answers REBALANCE_IN_PROGRESS only in PreparingRebalance; an offset
//   commit from the current generation is accepted in PreparingRebalance and Stable and refused
//   with REBALANCE_IN_PROGRESS only in CompletingRebalance (the member already has the new
//   generation but not its assignment).
// - a static member joining with an unknown member id replaces the one holding its instance id
//   (that one is answered FENCED_INSTANCE_ID), keeps its assignment and, in a Stable group whose
//   protocol does not change, gets no rebalance.
// - a rebalance completes once every member has rejoined and no member id handed out with
//   MEMBER_ID_REQUIRED is still pending (or at the rebalance timeout).
// - the group's metadata is written to __consumer_offsets (group-record.ts) when it turns Stable
//   or Empty; at start groups come back as they were stored, members get fresh session timers.
//
//   Empty --join--> PreparingRebalance --all joined / rebalance timeout--> CompletingRebalance
//   CompletingRebalance --leader syncs--> Stable --join with new metadata / leave / expiry--> Preparing
//   any --last member gone--> Empty;  Empty --DeleteGroups--> Dead (removed)

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@seaway/kafka-protocol';
import type { ResolvedOptions } from '../config.ts';
import type { ClusterState } from '../state/cluster.ts';
import { ConsumerGroups } from './consumer-groups.ts';
import { Group, type JoinResult, type Member, type SyncResult } from './group.ts';
import type { GroupRecord } from './group-record.ts';
import { OFFSETS_PARTITIONS, OFFSETS_TOPIC, OFFSETS_TOPIC_CONFIGS, OffsetStore } from './offset-store.ts';

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+ clients must first obtain a member id (MEMBER_ID_REQUIRED). */
  requireKnownMemberId: boolean;
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  readonly offsets: OffsetStore;
  /** KIP-848 consumer groups (consumer-groups.ts); a group id is either classic or consumer. */
  readonly consumer: ConsumerGroups;
  readonly #opts: ResolvedOptions;

  private constructor(opts: ResolvedOptions, offsets: OffsetStore, cluster: ClusterState) {
    this.#opts = opts;
    this.offsets = offsets;
    this.consumer = new ConsumerGroups(cluster, opts.log);
    for (const id of offsets.groupIds()) {
      const g = new Group(id);
      const record = offsets.groupRecord(id);
      if (record) this.#restore(g, record);
      this.groups.set(id, g);
    }
  }

  /** A group as it was stored: Stable with its members (fresh session timers) or Empty. */
  #restore(g: Group, r: GroupRecord): void {
    g.generationId = r.generationId;
    g.protocolType = r.protocolType === '' ? null : r.protocolType;
    if (r.members.length === 0) return;
    g.protocolName = r.protocolName;
    g.leaderId = r.leaderId;
    for (const rm of r.members) {
      const m: Member = {
        memberId: rm.memberId,
        groupInstanceId: rm.groupInstanceId,
        clientId: rm.clientId,
        clientHost: rm.clientHost,
        sessionTimeoutMs: rm.sessionTimeoutMs,
        rebalanceTimeoutMs: rm.rebalanceTimeoutMs,
        protocols: [{ name: r.protocolName ?? '', metadata: rm.subscription }],
        assignment: rm.assignment,
        awaitingJoin: null,
        awaitingSync: null,
        sessionTimer: null,
      };
      g.members.set(m.memberId, m);
      if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, m.memberId);
      this.#touch(g, m);
    }
    g.state = { kind: 'Stable' };
  }

  /** Stores the group's metadata in __consumer_offsets (not awaited: close() waits for pending appends). */
  #persist(g: Group): void {
    if (g.protocolType === null) return;
    this.offsets.writeGroup(g.id, g.toRecord()).catch((e: Error) => {
      this.#opts.log('warn', `group ${g.id}: could not store its metadata: ${e.message}`);
    });
  }

  /** Creates __consumer_offsets if missing and loads the committed offsets from it. */
  static async open(opts: ResolvedOptions, cluster: ClusterState): Promise<GroupCoordinator> {
    const topic = await cluster.createTopic(OFFSETS_TOPIC, OFFSETS_PARTITIONS, { ...OFFSETS_TOPIC_CONFIGS });
    return new GroupCoordinator(opts, await OffsetStore.open(topic.partitions, opts.dataDir), cluster);
  }

  #joinError(errorCode: number, memberId: string, g?: Group): JoinResult {
    return {
      errorCode,
      generationId: g?.generationId ?? -1,
      protocolType: g?.protocolType ?? null,
      protocolName: g?.protocolName ?? null,
      leader: '',
      memberId,
      members: [],
      skipAssignment: false,
    };
  }

  joinGroup(req: JoinRequest): JoinResult | Promise<JoinResult> {
    if (req.groupId === '') return this.#joinError(ErrorCode.INVALID_GROUP_ID, req.memberId);
    const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = this.#opts;
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) {
      return this.#joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
    }
    if ((this.consumer.groups.get(req.groupId)?.members.size ?? 0) > 0) {
      return this.#joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    }
    let g = this.groups.get(req.groupId);
    if (!g) {
      if (req.memberId !== '') return this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
      g = new Group(req.groupId);
      this.groups.set(req.groupId, g);
    }
    if (g.state.kind === 'Dead') return this.#joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId);
    const existing = g.members.get(req.memberId);
    const others = existing ? g.members.size - 1 : g.members.size;
    if (
      req.protocols.length === 0 ||
      req.protocolType === '' ||
      (others > 0 && (g.protocolType !== req.protocolType || this.#commonWithout(g, req) === 0))
    ) {
      return this.#joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    }
    if (req.groupInstanceId !== null) {
      const holder = g.staticMembers.get(req.groupInstanceId);
      if (req.memberId === '') {
        if (holder !== undefined) return this.#replaceStatic(g, holder, req);
        return this.#addMember(g, `${req.groupInstanceId}-${randomUUID()}`, req);
      }
      if (!existing) return this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
      if (holder !== req.memberId) return this.#joinError(ErrorCode.FENCED_INSTANCE_ID, req.memberId);
      return this.#joinExisting(g, existing, req);
    }
    if (req.memberId === '') {
      const memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        const timer = setTimeout(() => {
          g.pending.delete(memberId);
          this.#maybeCompleteJoin(g);
        }, req.sessionTimeoutMs);
        g.pending.set(memberId, timer);
        return this.#joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.#addMember(g, memberId, req);
    }
    const pendingTimer = g.pending.get(req.memberId);
    if (pendingTimer !== undefined) {
      clearTimeout(pendingTimer);
      g.pending.delete(req.memberId);
      return this.#addMember(g, req.memberId, req);
    }
    if (!existing) return this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
    if (existing.groupInstanceId !== null) return this.#joinError(ErrorCode.FENCED_INSTANCE_ID, req.memberId);
    return this.#joinExisting(g, existing, req);
  }

  /** A known member rejoins: answered at once when nothing changes, else it (re)starts a rebalance. */
  #joinExisting(g: Group, existing: Member, req: JoinRequest): JoinResult | Promise<JoinResult> {
    const same = sameProtocols(existing.protocols, req.protocols);
    existing.sessionTimeoutMs = req.sessionTimeoutMs;
    existing.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    switch (g.state.kind) {
      case 'PreparingRebalance':
        existing.protocols = req.protocols;
        return this.#awaitJoin(g, existing);
      case 'CompletingRebalance':
      case 'Stable':
        if (same && !(g.state.kind === 'Stable' && g.leaderId === existing.memberId)) {
          this.#touch(g, existing);
          return this.#joinResult(g, existing);
        }
        existing.protocols = req.protocols;
        this.#prepareRebalance(g);
        return this.#awaitJoin(g, existing);
      default:
        return this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
    }
  }

  #commonWithout(g: Group, req: JoinRequest): number {
    const names = req.protocols.map((p) => p.name);
    const lists = [...g.members.values()]
      .filter((m) => m.memberId !== req.memberId)
      .map((m) => m.protocols.map((p) => p.name));
    return names.filter((n) => lists.every((l) => l.includes(n))).length;
  }

  #addMember(g: Group, memberId: string, req: JoinRequest): Promise<JoinResult> {
    const m: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      assignment: EMPTY,
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    if (g.members.size === 0) g.protocolType = req.protocolType;
    g.members.set(memberId, m);
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, memberId);
    if (g.leaderId === null) g.leaderId = memberId;
    this.#prepareRebalance(g);
    return this.#awaitJoin(g, m);
  }

  /**
   * A static member restarted: a new member id takes over the instance id and the old member's
   * assignment; the old member id is fenced. Stable groups whose protocol stays the same do not
   * rebalance (the new member syncs and gets the assignment it had).
   */
  #replaceStatic(g: Group, oldId: string, req: JoinRequest): JoinResult | Promise<JoinResult> {
    const old = g.members.get(oldId);
    const memberId = `${req.groupInstanceId}-${randomUUID()}`;
    if (!old) return this.#addMember(g, memberId, req);
    if (old.sessionTimer) clearTimeout(old.sessionTimer);
    old.sessionTimer = null;
    old.awaitingJoin?.(this.#joinError(ErrorCode.FENCED_INSTANCE_ID, oldId, g));
    old.awaitingJoin = null;
    this.#answerSync(g, old, ErrorCode.FENCED_INSTANCE_ID);
    const m: Member = {
      ...old,
      memberId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    g.members.delete(oldId);
    g.members.set(memberId, m);
    g.staticMembers.set(req.groupInstanceId as string, memberId);
    if (g.leaderId === oldId) g.leaderId = memberId;
    this.#opts.log('info', `group ${g.id}: static member ${req.groupInstanceId} rejoined as ${memberId}`);
    if (g.state.kind === 'Stable' && g.selectProtocol() === g.protocolName) {
      this.#persist(g);
      this.#touch(g, m);
      return { ...this.#joinResult(g, m), skipAssignment: g.leaderId === memberId };
    }
    if (g.state.kind !== 'PreparingRebalance') this.#prepareRebalance(g);
    return this.#awaitJoin(g, m);
  }

  #awaitJoin(g: Group, m: Member): Promise<JoinResult> {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    const p = new Promise<JoinResult>((resolve) => {
      m.awaitingJoin?.(this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId, g));
      m.awaitingJoin = resolve;
    });
    this.#maybeCompleteJoin(g);
    return p;
  }

  #prepareRebalance(g: Group): void {
    if (g.state.kind === 'PreparingRebalance') return;
    if (g.state.kind === 'CompletingRebalance') {
      for (const m of g.members.values()) this.#answerSync(g, m, ErrorCode.REBALANCE_IN_PROGRESS);
    }
    const delay = g.state.kind === 'Empty' ? this.#opts.groupInitialRebalanceDelayMs : 0;
    const timeout = Math.max(delay, g.maxRebalanceTimeoutMs());
    const timer = setTimeout(() => this.#completeJoin(g, true), timeout);
    g.state = { kind: 'PreparingRebalance', timer, notBefore: Date.now() + delay };
    if (delay > 0) setTimeout(() => this.#maybeCompleteJoin(g), delay).unref();
  }

  #maybeCompleteJoin(g: Group): void {
    if (g.state.kind !== 'PreparingRebalance') return;
    if (Date.now() < g.state.notBefore || g.pending.size > 0) return;
    for (const m of g.members.values()) if (m.awaitingJoin === null) return;
    this.#completeJoin(g, false);
  }

  #completeJoin(g: Group, timedOut: boolean): void {
    if (g.state.kind !== 'PreparingRebalance') return;
    clearTimeout(g.state.timer);
    if (timedOut) {
      for (const m of [...g.members.values()]) if (m.awaitingJoin === null) this.#remove(g, m);
    }
    g.generationId++;
    if (g.members.size === 0) {
      this.#becomeEmpty(g);
      this.#persist(g);
      return;
    }
    g.protocolName = g.selectProtocol();
    if (g.leaderId === null || !g.members.has(g.leaderId)) g.leaderId = g.members.keys().next().value ?? null;
    g.state = { kind: 'CompletingRebalance' };
    for (const m of g.members.values()) {
      const resolve = m.awaitingJoin;
      m.awaitingJoin = null;
      m.assignment = EMPTY;
      this.#touch(g, m);
      resolve?.(this.#joinResult(g, m));
    }
  }

  #joinResult(g: Group, m: Member): JoinResult {
    const leader = g.leaderId ?? '';
    return {
      errorCode: ErrorCode.NONE,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leader,
      memberId: m.memberId,
      members:
        m.memberId === leader
          ? [...g.members.values()].map((x) => ({
              memberId: x.memberId,
              groupInstanceId: x.groupInstanceId,
              metadata: g.metadataFor(x),
            }))
          : [],
      skipAssignment: false,
    };
  }

  #becomeEmpty(g: Group): void {
    if (g.state.kind === 'PreparingRebalance') clearTimeout(g.state.timer);
    g.state = { kind: 'Empty' };
    g.leaderId = null;
    g.protocolName = null;
  }

  /** (Re)starts a member's session timer. */
  #touch(g: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = setTimeout(() => {
      if (g.members.get(m.memberId) !== m) return;
      this.#opts.log('info', `group ${g.id}: member ${m.memberId} session expired after ${m.sessionTimeoutMs} ms`);
      this.#removeAndRebalance(g, m);
    }, m.sessionTimeoutMs);
  }

  #remove(g: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    g.members.delete(m.memberId);
    if (m.groupInstanceId !== null && g.staticMembers.get(m.groupInstanceId) === m.memberId) {
      g.staticMembers.delete(m.groupInstanceId);
    }
    m.awaitingJoin?.(this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId, g));
    m.awaitingJoin = null;
    this.#answerSync(g, m, ErrorCode.UNKNOWN_MEMBER_ID);
    if (g.leaderId === m.memberId) g.leaderId = g.members.keys().next().value ?? null;
  }

  #removeAndRebalance(g: Group, m: Member): void {
    this.#remove(g, m);
    if (g.members.size === 0) {
      if (g.state.kind === 'PreparingRebalance') this.#completeJoin(g, false);
      else {
        this.#becomeEmpty(g);
        this.#persist(g);
      }
      return;
    }
    if (g.state.kind === 'PreparingRebalance') this.#maybeCompleteJoin(g);
    else this.#prepareRebalance(g);
  }

  #answerSync(g: Group, m: Member, errorCode: number): void {
    const resolve = m.awaitingSync;
    m.awaitingSync = null;
    resolve?.({
      errorCode,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      assignment: errorCode === ErrorCode.NONE ? m.assignment : EMPTY,
    });
  }

  syncGroup(req: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupInstanceId: string | null;
    protocolType: string | null;
    protocolName: string | null;
    assignments: Array<{ memberId: string; assignment: Buffer }>;
  }): SyncResult | Promise<SyncResult> {
    const g = this.groups.get(req.groupId);
    const fail = (errorCode: number): SyncResult => ({
      errorCode,
      protocolType: null,
      protocolName: null,
      assignment: EMPTY,
    });
    if (!g) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (g.state.kind === 'Dead') return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const m = g.validateMember(req.memberId, req.groupInstanceId);
    if (typeof m === 'number') return fail(m);
    if (req.generationId !== g.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (
      (req.protocolType !== null && req.protocolType !== g.protocolType) ||
      (req.protocolName !== null && req.protocolName !== g.protocolName)
    ) {
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    switch (g.state.kind) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.#touch(g, m);
        return {
          errorCode: ErrorCode.NONE,
          protocolType: g.protocolType,
          protocolName: g.protocolName,
          assignment: m.assignment,
        };
      case 'CompletingRebalance': {
        this.#touch(g, m);
        const p = new Promise<SyncResult>((resolve) => {
          this.#answerSync(g, m, ErrorCode.REBALANCE_IN_PROGRESS);
          m.awaitingSync = resolve;
        });
        if (req.memberId === g.leaderId) {
          const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
          for (const x of g.members.values()) x.assignment = given.get(x.memberId) ?? EMPTY;
          g.state = { kind: 'Stable' };
          this.#persist(g);
          for (const x of g.members.values()) this.#answerSync(g, x, ErrorCode.NONE);
        }
        return p;
      }
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.state.kind === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const m = g.validateMember(memberId, groupInstanceId);
    if (typeof m === 'number') return m;
    if (generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.#touch(g, m);
    return g.state.kind === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /**
   * Removes members; returns one error code per member. A member named by group.instance.id is the
   * static member holding it (FENCED_INSTANCE_ID when a member id is given and is another one).
   */
  leaveGroup(
    groupId: string,
    leaving: Array<{ memberId: string; groupInstanceId: string | null }>,
  ): { errorCode: number; members: number[] } {
    const g = this.groups.get(groupId);
    if (!g) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: leaving.map(() => ErrorCode.UNKNOWN_MEMBER_ID) };
    const codes = leaving.map(({ memberId, groupInstanceId }) => {
      let id = memberId;
      if (groupInstanceId !== null) {
        const holder = g.staticMembers.get(groupInstanceId);
        if (holder === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
        if (memberId !== '' && memberId !== holder) return ErrorCode.FENCED_INSTANCE_ID;
        id = holder;
      }
      const pending = g.pending.get(id);
      if (pending !== undefined) {
        clearTimeout(pending);
        g.pending.delete(id);
        this.#maybeCompleteJoin(g);
        return ErrorCode.NONE;
      }
      const m = g.members.get(id);
      if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.#opts.log('info', `group ${g.id}: member ${id} left`);
      this.#removeAndRebalance(g, m);
      return ErrorCode.NONE;
    });
    return { errorCode: ErrorCode.NONE, members: codes };
  }

  /**
   * Checks whether a commit from this member/generation is allowed; NONE when it is (Kafka's
   * validateOffsetCommit). Generation -1 without member or instance id is a standalone commit,
   * allowed only while the group has no members.
   */
  commitAllowed(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const cg = this.consumer.groups.get(groupId);
    if (cg) return this.consumer.commitAllowed(cg, memberId, generationId);
    const g = this.groups.get(groupId);
    if (!g) {
      if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      this.groups.set(groupId, new Group(groupId));
      return ErrorCode.NONE;
    }
    if (g.state.kind === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId < 0 && g.state.kind === 'Empty') return ErrorCode.NONE;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const m = g.validateMember(memberId, groupInstanceId);
      if (typeof m === 'number') return m;
      if (generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
      if (g.state.kind === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      this.#touch(g, m);
      return ErrorCode.NONE;
    }
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** Deletes an empty group and its offsets; the Kafka error code. */
  async deleteGroup(groupId: string): Promise<number> {
    if (this.consumer.groups.has(groupId)) {
      const code = this.consumer.delete(groupId);
      if (code === ErrorCode.NONE) await this.offsets.deleteGroup(groupId);
      return code;
    }
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g.state.kind !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    g.state = { kind: 'Dead' };
    this.groups.delete(groupId);
    await this.offsets.deleteGroup(groupId);
    await this.offsets.writeGroup(groupId, null);
    return ErrorCode.NONE;
  }

  forgetTopic(topic: string): void {
    void this.offsets.forgetTopic(topic);
  }

  async close(): Promise<void> {
    this.consumer.close();
    for (const g of this.groups.values()) {
      if (g.state.kind === 'PreparingRebalance') clearTimeout(g.state.timer);
      for (const t of g.pending.values()) clearTimeout(t);
      for (const m of g.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.awaitingJoin?.(this.#joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId, g));
        this.#answerSync(g, m, ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
    }
    await this.offsets.close();
  }
}

function sameProtocols(
  a: Array<{ name: string; metadata: Buffer }>,
  b: Array<{ name: string; metadata: Buffer }>,
): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));
}
