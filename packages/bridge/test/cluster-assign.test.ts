// The leader's incremental cooperative assignment (src/cluster/assign.ts): a join moves only the
// join's share, in two rounds (revoke, then place); a leave gives out only the departed worker's
// units; scheduled.rebalance.max.delay.ms holds them back until its deadline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AssignOutput, assignUnits, connectorUnit, parseUnit, taskUnit } from '../src/cluster/assign.ts';

const units = (connectors: number, tasks: number) => {
  const out: string[] = [];
  for (let c = 0; c < connectors; c++) {
    out.push(connectorUnit(`c${c}`));
    for (let t = 0; t < tasks; t++) out.push(taskUnit(`c${c}`, t));
  }
  return out;
};

const owned = (out: AssignOutput) => [...out.assigned].map(([id, us]) => ({ id, owned: us }));

function checkComplete(out: AssignOutput, all: string[]) {
  const seen = [...out.assigned.values()].flat();
  assert.equal(new Set(seen).size, seen.length, 'no unit runs twice');
  assert.deepEqual([...seen].sort(), [...all].sort(), 'every unit runs somewhere');
}

test('units parse back to connector and task (names may contain ":" and "-")', () => {
  assert.deepEqual(parseUnit(taskUnit('a:b-1', 12)), { connector: 'a:b-1', task: 12 });
  assert.deepEqual(parseUnit(connectorUnit('a:b-1')), { connector: 'a:b-1', task: -1 });
});

test('a first assignment spreads connectors and tasks evenly over the workers', () => {
  const all = units(2, 3);
  const out = assignUnits({
    members: [
      { id: 'w1', owned: [] },
      { id: 'w2', owned: [] },
      { id: 'w3', owned: [] },
    ],
    units: all,
    now: 0,
    maxDelayMs: 0,
  });
  checkComplete(out, all);
  for (const us of out.assigned.values()) assert.equal(us.filter((u) => u.startsWith('task:')).length, 2);
  const connectors = [...out.assigned.values()].map((us) => us.filter((u) => u.startsWith('connector:')).length);
  assert.deepEqual(connectors.sort(), [0, 1, 1]);
});

test('a worker joining takes only its share: the others revoke it first, the next round places it', () => {
  const all = units(1, 6);
  const first = assignUnits({
    members: [
      { id: 'a', owned: [] },
      { id: 'b', owned: [] },
    ],
    units: all,
    now: 0,
    maxDelayMs: 0,
  });
  checkComplete(first, all);
  // c joins: round 1 revokes one task from a and one from b, placing nothing on c yet
  const r1 = assignUnits({
    members: [...owned(first), { id: 'c', owned: [] }],
    units: all,
    previous: first.assigned,
    now: 1,
    maxDelayMs: 0,
  });
  const revoked = [...r1.revoked.values()].flat();
  assert.equal(revoked.length, 2, `revoked ${revoked}`);
  assert.ok(revoked.every((u) => u.startsWith('task:')));
  for (const id of ['a', 'b']) {
    const before = first.assigned.get(id) ?? [];
    const after = r1.assigned.get(id) ?? [];
    assert.ok(
      after.every((u) => before.includes(u)),
      `${id} keeps a subset of what it had`,
    );
  }
  // round 2 (after the revocations): c gets exactly the two revoked tasks, nothing else moves
  const r2 = assignUnits({
    members: owned(r1),
    units: all,
    previous: r1.assigned,
    now: 2,
    maxDelayMs: 0,
  });
  checkComplete(r2, all);
  assert.deepEqual([...(r2.assigned.get('c') ?? [])].sort(), [...revoked].sort());
  assert.deepEqual(r2.assigned.get('a'), r1.assigned.get('a'));
  assert.deepEqual(r2.assigned.get('b'), r1.assigned.get('b'));
  assert.equal([...r2.revoked.values()].flat().length, 0);
});

test('a worker leaving: only its units move, to the others, at once with delay 0', () => {
  const all = units(1, 6);
  const three = assignUnits({
    members: [
      { id: 'a', owned: [] },
      { id: 'b', owned: [] },
      { id: 'c', owned: [] },
    ],
    units: all,
    now: 0,
    maxDelayMs: 0,
  });
  const lostUnits = three.assigned.get('c') ?? [];
  const out = assignUnits({
    members: owned(three).filter((m) => m.id !== 'c'),
    units: all,
    previous: three.assigned,
    now: 1,
    maxDelayMs: 0,
  });
  checkComplete(out, all);
  for (const id of ['a', 'b']) {
    const gained = (out.assigned.get(id) ?? []).filter((u) => !(three.assigned.get(id) ?? []).includes(u));
    assert.ok(
      gained.every((u) => lostUnits.includes(u)),
      `${id} gained only c's units`,
    );
    assert.ok(
      (three.assigned.get(id) ?? []).every((u) => out.assigned.get(id)?.includes(u)),
      `${id} kept its own`,
    );
  }
});

test("scheduled.rebalance.max.delay.ms holds a departed worker's units until the deadline", () => {
  const all = units(1, 4);
  const two = assignUnits({
    members: [
      { id: 'a', owned: [] },
      { id: 'b', owned: [] },
    ],
    units: all,
    now: 0,
    maxDelayMs: 0,
  });
  const bUnits = two.assigned.get('b') ?? [];
  const held = assignUnits({
    members: owned(two).filter((m) => m.id === 'a'),
    units: all,
    previous: two.assigned,
    now: 1000,
    maxDelayMs: 5000,
  });
  assert.deepEqual(held.assigned.get('a'), two.assigned.get('a'), 'nothing of b is placed yet');
  assert.equal(held.delayMs, 5000);
  assert.deepEqual([...(held.lost?.units ?? [])].sort(), [...bUnits].sort());
  const still = assignUnits({
    members: owned(held),
    units: all,
    previous: held.assigned,
    ...(held.lost ? { lost: held.lost } : {}),
    now: 3000,
    maxDelayMs: 5000,
  });
  assert.equal(still.delayMs, 3000, 'the deadline does not move');
  const released = assignUnits({
    members: owned(still),
    units: all,
    previous: still.assigned,
    ...(still.lost ? { lost: still.lost } : {}),
    now: 6001,
    maxDelayMs: 5000,
  });
  checkComplete(released, all);
  assert.equal(released.delayMs, 0);
  assert.equal(released.lost, undefined);
});

test('a unit claimed by two members (a zombie) stays with the first; a deleted one is revoked', () => {
  const all = units(1, 2);
  const out = assignUnits({
    members: [
      { id: 'a', owned: [taskUnit('c0', 0), taskUnit('gone', 0)] },
      { id: 'b', owned: [taskUnit('c0', 0), taskUnit('c0', 1)] },
    ],
    units: all,
    now: 0,
    maxDelayMs: 0,
  });
  checkComplete(out, all);
  assert.ok(out.assigned.get('a')?.includes(taskUnit('c0', 0)));
  assert.ok(out.revoked.get('a')?.includes(taskUnit('gone', 0)));
  assert.ok(out.revoked.get('b')?.includes(taskUnit('c0', 0)));
});
