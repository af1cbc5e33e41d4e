// One classic consumer group: its members and its state, a single discriminated union
// (Empty | PreparingRebalance | CompletingRebalance | Stable | Dead). Transitions live in
// coordinator.ts; this file holds the data and the pure helpers (protocol choice, member views).

import { ErrorCode } from '@seaway/kafka-protocol';
import type { GroupRecord } from './group-record.ts';

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
  /** JoinGroup v9+: the leader of a Stable group rejoining statically keeps the current assignment. */
  skipAssignment: boolean;
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Array<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  /** Set while a JoinGroup waits for the rebalance to complete. */
  awaitingJoin: ((r: JoinResult) => void) | null;
  /** Set while a SyncGroup waits for the leader's assignment. */
  awaitingSync: ((r: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

export type GroupState =
  | { kind: 'Empty' }
  | { kind: 'PreparingRebalance'; timer: NodeJS.Timeout; notBefore: number }
  | { kind: 'CompletingRebalance' }
  | { kind: 'Stable' }
  | { kind: 'Dead' };

export class Group {
  readonly id: string;
  state: GroupState = { kind: 'Empty' };
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, waiting for the member's second JoinGroup. */
  readonly pending = new Map<string, NodeJS.Timeout>();
  /** Static membership (KIP-345): group.instance.id -> the member id it currently holds. */
  readonly staticMembers = new Map<string, string>();

  constructor(id: string) {
    this.id = id;
  }

  /** Protocol names every member supports, in the first member's order. */
  commonProtocols(extra?: Array<{ name: string }>): string[] {
    const lists = [...this.members.values()].map((m) => m.protocols.map((p) => p.name));
    if (extra) lists.push(extra.map((p) => p.name));
    const [first, ...rest] = lists;
    if (!first) return [];
    return first.filter((name) => rest.every((l) => l.includes(name)));
  }

  /** Each member votes for its most preferred common protocol; the most votes wins. */
  selectProtocol(): string | null {
    const common = this.commonProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const pick = m.protocols.find((p) => common.includes(p.name));
      if (pick) votes.set(pick.name, (votes.get(pick.name) ?? 0) + 1);
    }
    let best: string | null = null;
    let most = 0;
    for (const name of common) {
      const n = votes.get(name) ?? 0;
      if (n > most) {
        best = name;
        most = n;
      }
    }
    return best;
  }

  metadataFor(m: Member): Buffer {
    return m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0);
  }

  /**
   * Kafka's validateMember: a static member must hold its instance id with this member id
   * (else FENCED_INSTANCE_ID), a dynamic one must be a member. Returns the member or an error code.
   */
  validateMember(memberId: string, groupInstanceId: string | null): Member | number {
    if (groupInstanceId !== null) {
      const holder = this.staticMembers.get(groupInstanceId);
      if (holder === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (holder !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.get(memberId) ?? ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** The metadata record Kafka would store for this group now (group-record.ts). */
  toRecord(): GroupRecord {
    return {
      protocolType: this.protocolType ?? '',
      generationId: this.generationId,
      protocolName: this.protocolName,
      leaderId: this.leaderId,
      stateTimestamp: Date.now(),
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: this.metadataFor(m),
        assignment: m.assignment,
      })),
    };
  }

  maxRebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }
}
