// Server-side assignors for KIP-848 consumer groups, by the names Kafka gives them:
// - uniform (the default): every subscribed partition goes to one subscribed member, counts as even as
//   the subscriptions allow; a partition stays with its current target owner while that member is under
//   its quota (sticky), the rest go to the least loaded subscribed member.
// - range: per topic, subscribed members sorted by member id get contiguous ranges, the first
//   (partitions % members) one partition more, as the classic range assignor does.
// Input: members with their subscribed topic ids and current target; topics with partition counts.
// Output: member id -> topic id -> sorted partitions.

export type Assignment = Map<string, number[]>;

export interface AssignorMember {
  memberId: string;
  topics: ReadonlySet<string>;
  current: Assignment;
}

export type Assignor = (
  members: readonly AssignorMember[],
  partitionsOf: ReadonlyMap<string, number>,
) => Map<string, Assignment>;

function add(a: Assignment, topicId: string, p: number): void {
  const l = a.get(topicId);
  if (l) l.push(p);
  else a.set(topicId, [p]);
}

function sortAll(out: Map<string, Assignment>): Map<string, Assignment> {
  for (const a of out.values()) for (const l of a.values()) l.sort((x, y) => x - y);
  return out;
}

export const rangeAssignor: Assignor = (members, partitionsOf) => {
  const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
  for (const [topicId, count] of partitionsOf) {
    const subs = members.filter((m) => m.topics.has(topicId)).sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
    if (subs.length === 0) continue;
    const per = Math.floor(count / subs.length);
    const extra = count % subs.length;
    let p = 0;
    subs.forEach((m, i) => {
      const n = per + (i < extra ? 1 : 0);
      for (let k = 0; k < n; k++) add(out.get(m.memberId) as Assignment, topicId, p++);
    });
  }
  return sortAll(out);
};

export const uniformAssignor: Assignor = (members, partitionsOf) => {
  const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
  const load = new Map<string, number>(members.map((m) => [m.memberId, 0]));
  const all: Array<[string, number]> = [];
  for (const [topicId, count] of partitionsOf) for (let p = 0; p < count; p++) all.push([topicId, p]);
  // quota: even share of the partitions each member could take
  const eligible = (t: string) => members.filter((m) => m.topics.has(t));
  const quota = new Map<string, number>();
  for (const m of members) {
    const mine = all.filter(([t]) => m.topics.has(t)).length;
    const share = members.length === 0 ? 0 : Math.ceil(all.length / members.length);
    quota.set(m.memberId, Math.min(mine, share));
  }
  const owner = new Map<string, string>();
  for (const m of members) {
    for (const [t, ps] of m.current) for (const p of ps) owner.set(`${t}:${p}`, m.memberId);
  }
  const rest: Array<[string, number]> = [];
  for (const [t, p] of all) {
    const o = owner.get(`${t}:${p}`);
    const m = o === undefined ? undefined : members.find((x) => x.memberId === o);
    if (m?.topics.has(t) && (load.get(m.memberId) ?? 0) < (quota.get(m.memberId) ?? 0)) {
      add(out.get(m.memberId) as Assignment, t, p);
      load.set(m.memberId, (load.get(m.memberId) ?? 0) + 1);
    } else rest.push([t, p]);
  }
  for (const [t, p] of rest) {
    let best: string | null = null;
    for (const m of eligible(t)) {
      if (best === null || (load.get(m.memberId) ?? 0) < (load.get(best) ?? 0)) best = m.memberId;
    }
    if (best === null) continue;
    add(out.get(best) as Assignment, t, p);
    load.set(best, (load.get(best) ?? 0) + 1);
  }
  return sortAll(out);
};

export const ASSIGNORS: Readonly<Record<string, Assignor>> = { uniform: uniformAssignor, range: rangeAssignor };
export const DEFAULT_ASSIGNOR = 'uniform';
