// The leader's assignment of connectors and tasks to workers, incremental and cooperative as Kafka
// Connect's IncrementalCooperativeAssignor (KIP-415) works:
// - every member reports what it runs; it keeps what still exists and nobody earlier in member-id
//   order also claims; what exists and nobody keeps is unassigned;
// - units of a member that left (it had them in the leader's previous assignment) are "lost": with
//   scheduled.rebalance.max.delay.ms > 0 they are held back until that delay has passed (the member may
//   come back), then given out; with 0 (Seaway's default) they are given out at once;
// - connectors and tasks are balanced separately: a member above its share revokes the excess, which
//   is not given to anyone in the same round (the members revoke, rejoin, and the next round places it);
//   the unassigned go to the members below their share. Nothing else moves.
// Pure: the group protocol is in group-member.ts, the herder calls this with the members' metadata.

export interface MemberUnits {
  id: string;
  /** Units the member runs now (from its JoinGroup metadata). */
  owned: readonly string[];
}

export interface LostUnits {
  units: Set<string>;
  /** When they are given out even if their member has not come back (ms since epoch). */
  deadline: number;
}

export interface AssignInput {
  members: readonly MemberUnits[];
  /** Every connector unit (`connector:<name>`) and task unit (`task:<id>:<name>`) that should run. */
  units: readonly string[];
  /** The leader's previous assignment (member id → units), when it made one. */
  previous?: ReadonlyMap<string, readonly string[]>;
  lost?: LostUnits;
  now: number;
  maxDelayMs: number;
}

export interface AssignOutput {
  /** Member id → every unit it runs in the new generation. */
  assigned: Map<string, string[]>;
  /** Member id → units it must stop (and then rejoin so they can be placed). */
  revoked: Map<string, string[]>;
  /** Lost units still held back, for the next round. */
  lost: LostUnits | undefined;
  /** Members rejoin after this long (the held units' deadline), 0 when nothing is held. */
  delayMs: number;
}

export const connectorUnit = (name: string) => `connector:${name}`;
export const taskUnit = (name: string, id: number) => `task:${id}:${name}`;

/** {connector, task} of a unit; task -1 for a connector. */
export function parseUnit(unit: string): { connector: string; task: number } {
  if (unit.startsWith('connector:')) return { connector: unit.slice('connector:'.length), task: -1 };
  const rest = unit.slice('task:'.length);
  const i = rest.indexOf(':');
  return { connector: rest.slice(i + 1), task: Number(rest.slice(0, i)) };
}

export function assignUnits(input: AssignInput): AssignOutput {
  const members = [...input.members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const exists = new Set(input.units);
  const claimed = new Set<string>();
  const kept = new Map<string, string[]>();
  const revoked = new Map<string, string[]>();
  for (const m of members) {
    const mine: string[] = [];
    const gone: string[] = [];
    for (const u of m.owned) {
      if (exists.has(u) && !claimed.has(u)) {
        claimed.add(u);
        mine.push(u);
      } else gone.push(u);
    }
    kept.set(m.id, mine);
    revoked.set(m.id, gone);
  }
  let unassigned = input.units.filter((u) => !claimed.has(u));

  // Lost units: assigned last time to a member that is not here now.
  const present = new Set(members.map((m) => m.id));
  let lost = input.lost;
  if (lost)
    lost = { units: new Set([...lost.units].filter((u) => !claimed.has(u) && exists.has(u))), deadline: lost.deadline };
  if (input.maxDelayMs > 0 && input.previous) {
    const fresh: string[] = [];
    for (const [id, units] of input.previous) {
      if (present.has(id)) continue;
      for (const u of units) if (!claimed.has(u) && exists.has(u) && !lost?.units.has(u)) fresh.push(u);
    }
    if (fresh.length > 0) {
      lost = lost
        ? { units: new Set([...lost.units, ...fresh]), deadline: lost.deadline }
        : { units: new Set(fresh), deadline: input.now + input.maxDelayMs };
    }
  }
  let delayMs = 0;
  if (lost && lost.units.size > 0 && input.maxDelayMs > 0 && input.now < lost.deadline) {
    const held = lost.units;
    unassigned = unassigned.filter((u) => !held.has(u));
    delayMs = lost.deadline - input.now;
  } else lost = undefined;

  const assigned = new Map<string, string[]>([...kept].map(([id, us]) => [id, [...us]]));
  if (members.length > 0) {
    for (const kind of ['connector:', 'task:']) {
      const ofKind = (us: readonly string[]) => us.filter((u) => u.startsWith(kind));
      const free = ofKind(unassigned);
      const load = new Map(members.map((m) => [m.id, ofKind(assigned.get(m.id) ?? []).length]));
      const held = lost ? [...lost.units].filter((u) => u.startsWith(kind)).length : 0;
      const total = ofKind(input.units).length - held;
      const floor = Math.floor(total / members.length);
      let extra = total % members.length;
      // the most loaded keep the larger shares, so the fewest units move
      const byLoad = [...members].sort((a, b) => (load.get(b.id) ?? 0) - (load.get(a.id) ?? 0));
      const target = new Map<string, number>();
      for (const m of byLoad) target.set(m.id, floor + (extra-- > 0 ? 1 : 0));
      for (const m of members) {
        const over = (load.get(m.id) ?? 0) - (target.get(m.id) ?? 0);
        if (over <= 0) continue;
        const mine = ofKind(assigned.get(m.id) ?? []);
        const drop = new Set(mine.slice(mine.length - over));
        assigned.set(
          m.id,
          (assigned.get(m.id) ?? []).filter((u) => !drop.has(u)),
        );
        revoked.get(m.id)?.push(...drop);
        load.set(m.id, (load.get(m.id) ?? 0) - over);
      }
      for (const u of free) {
        // the member furthest below its share (then the least loaded, then by id) takes the next unit
        let best: string | undefined;
        let bestGap = Number.NEGATIVE_INFINITY;
        for (const m of members) {
          const gap = (target.get(m.id) ?? 0) - (load.get(m.id) ?? 0);
          if (gap > bestGap) {
            best = m.id;
            bestGap = gap;
          }
        }
        if (best === undefined) break;
        assigned.get(best)?.push(u);
        load.set(best, (load.get(best) ?? 0) + 1);
      }
    }
  }
  return { assigned, revoked, lost, delayMs };
}
