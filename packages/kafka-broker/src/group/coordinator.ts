// The classic group coordinator (no KIP-848): JoinGroup with MEMBER_ID_REQUIRED, SyncGroup,
// Heartbeat, LeaveGroup, session and rebalance timeouts, and committed offsets (offset-store.ts, kept in
// the internal topic __consumer_offsets).
// Every group transition happens in this file, on the event loop, so group state has one writer.
//
//   Empty --join--> PreparingRebalance --all joined / rebalance timeout--> CompletingRebalance
//   CompletingRebalance --leader syncs--> Stable --join with new metadata / leave / expiry--> Preparing
//   any --last member gone--> Empty;  Empty --DeleteGroups--> Dead (removed)

import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@seaway/kafka-protocol';
import type { ResolvedOptions } from '../config.ts';
import type { ClusterState } from '../state/cluster.ts';
import { Group, type JoinResult, type Member, type SyncResult } from './group.ts';
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
  readonly #opts: ResolvedOptions;

  private constructor(opts: ResolvedOptions, offsets: OffsetStore) {
    this.#opts = opts;
    this.offsets = offsets;
    for (const g of offsets.groupIds()) this.groups.set(g, new Group(g));
  }

  /** Creates __consumer_offsets if missing and loads the committed offsets from it. */
  static async open(opts: ResolvedOptions, cluster: ClusterState): Promise<GroupCoordinator> {
    const topic = await cluster.createTopic(OFFSETS_TOPIC, OFFSETS_PARTITIONS, { ...OFFSETS_TOPIC_CONFIGS });
    return new GroupCoordinator(opts, await OffsetStore.open(topic.partitions, opts.dataDir));
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
    };
  }

  joinGroup(req: JoinRequest): JoinResult | Promise<JoinResult> {
    if (req.groupId === '') return this.#joinError(ErrorCode.INVALID_GROUP_ID, req.memberId);
    const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = this.#opts;
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) {
      return this.#joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
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
    if (req.memberId === '') {
      const memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.requireKnownMemberId && req.groupInstanceId === null) {
        const timer = setTimeout(() => g.pending.delete(memberId), req.sessionTimeoutMs);
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
    if (g.leaderId === null) g.leaderId = memberId;
    this.#prepareRebalance(g);
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
    if (Date.now() < g.state.notBefore) return;
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
    m.awaitingJoin?.(this.#joinError(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId, g));
    m.awaitingJoin = null;
    this.#answerSync(g, m, ErrorCode.UNKNOWN_MEMBER_ID);
    if (g.leaderId === m.memberId) g.leaderId = g.members.keys().next().value ?? null;
  }

  #removeAndRebalance(g: Group, m: Member): void {
    this.#remove(g, m);
    if (g.members.size === 0) {
      if (g.state.kind === 'PreparingRebalance') this.#completeJoin(g, false);
      else this.#becomeEmpty(g);
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
    const m = g?.members.get(req.memberId);
    if (!g || !m) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
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
          for (const x of g.members.values()) this.#answerSync(g, x, ErrorCode.NONE);
        }
        return p;
      }
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.state.kind === 'PreparingRebalance') {
      this.#touch(g, m);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    }
    if (generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.#touch(g, m);
    return ErrorCode.NONE;
  }

  /** Removes members; returns one error code per member id. */
  leaveGroup(groupId: string, memberIds: string[]): { errorCode: number; members: number[] } {
    const g = this.groups.get(groupId);
    if (!g)
      return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: memberIds.map(() => ErrorCode.UNKNOWN_MEMBER_ID) };
    const codes = memberIds.map((id) => {
      const pending = g.pending.get(id);
      if (pending !== undefined) {
        clearTimeout(pending);
        g.pending.delete(id);
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

  /** Checks whether a commit from this member/generation is allowed; NONE when it is. */
  commitAllowed(groupId: string, memberId: string, generationId: number): number {
    const g = this.groups.get(groupId);
    if (generationId < 0 && memberId === '') {
      // a simple (standalone) commit: only for groups without active members
      if (g && g.members.size > 0) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (!g) this.groups.set(groupId, new Group(groupId));
      return ErrorCode.NONE;
    }
    if (!g) return ErrorCode.ILLEGAL_GENERATION;
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state.kind === 'PreparingRebalance' || g.state.kind === 'CompletingRebalance') {
      return ErrorCode.REBALANCE_IN_PROGRESS;
    }
    this.#touch(g, m);
    return ErrorCode.NONE;
  }

  /** Deletes an empty group and its offsets; the Kafka error code. */
  async deleteGroup(groupId: string): Promise<number> {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g.state.kind !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    g.state = { kind: 'Dead' };
    this.groups.delete(groupId);
    await this.offsets.deleteGroup(groupId);
    return ErrorCode.NONE;
  }

  forgetTopic(topic: string): void {
    void this.offsets.forgetTopic(topic);
  }

  async close(): Promise<void> {
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
