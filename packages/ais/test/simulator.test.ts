// The fleet simulator and its geography: lanes off the coarse land mask, determinism per seed,
// and motion that agrees with the reported speed, course, heading, rate of turn and status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rotDegPerMin } from '../src/nmea/messages.ts';
import { FleetSimulator, reportIntervalSeconds, type SimReport } from '../src/sim/fleet.ts';
import { angleDiff, rhumbBearing, rhumbDistance, rhumbInterpolate } from '../src/sim/geo.ts';
import { isLand, landAt } from '../src/sim/land.ts';
import { buildLaneGraph, LANES, PORTS, shortestPath } from '../src/sim/lanes.ts';
import { imoValid } from '../src/sim/vessels.ts';

const START = Date.UTC(2017, 0, 27);

test('the land mask knows continents from oceans', () => {
  assert.equal(landAt(10, 50), 'eurasia'); // Germany
  assert.equal(landAt(-100, 40), 'north-america');
  assert.equal(landAt(20, 0), 'africa');
  assert.equal(landAt(135, -25), 'australia');
  assert.equal(landAt(-60, -10), 'south-america');
  assert.equal(isLand(-40, 30), false); // mid-Atlantic
  assert.equal(isLand(170, 0), false); // Pacific
  assert.equal(isLand(3, 55), false); // North Sea
  assert.equal(isLand(18, 35), false); // Mediterranean
});

test('every port and lane waypoint is at sea and every lane leg stays off land', () => {
  const g = buildLaneGraph();
  for (const [id, p] of g.nodes) assert.equal(landAt(p.lon, p.lat), null, `node ${id}`);
  for (const [a, b] of LANES) {
    const pa = g.nodes.get(a)!;
    const pb = g.nodes.get(b)!;
    const steps = Math.ceil(rhumbDistance(pa, pb) / 2);
    for (let i = 1; i < steps; i++) {
      const p = rhumbInterpolate(pa, pb, i / steps);
      assert.equal(
        landAt(p.lon, p.lat),
        null,
        `leg ${a} - ${b} crosses land at ${p.lon.toFixed(2)},${p.lat.toFixed(2)}`,
      );
    }
  }
});

test('every port can reach every other port along the lanes', () => {
  const g = buildLaneGraph();
  for (const p of PORTS)
    for (const q of PORTS) if (p !== q) assert.ok(shortestPath(g, p.id, q.id), `${p.id} -> ${q.id}`);
  const rotterdamSingapore = shortestPath(g, 'rotterdam', 'singapore')!;
  assert.ok(rotterdamSingapore.includes('suez'), 'Europe to Asia goes through Suez');
});

function run(sim: FleetSimulator, n: number): SimReport[] {
  return Array.from({ length: n }, () => sim.next());
}

test('the same seed gives the same fleet and reports; another seed does not', () => {
  const a = run(new FleetSimulator({ vessels: 200, seed: 42, startTime: START }), 3000);
  const b = run(new FleetSimulator({ vessels: 200, seed: 42, startTime: START }), 3000);
  assert.deepEqual(
    a.map((r) => [r.time, r.message]),
    b.map((r) => [r.time, r.message]),
  );
  const c = run(new FleetSimulator({ vessels: 200, seed: 43, startTime: START }), 10);
  assert.notDeepEqual(
    a.slice(0, 10).map((r) => r.message.mmsi),
    c.map((r) => r.message.mmsi),
  );
});

test('partitions of a fleet report exactly what the whole fleet reports for those vessels', () => {
  const whole = run(new FleetSimulator({ vessels: 60, seed: 5, startTime: START }), 3000);
  const part = new FleetSimulator({ vessels: 60, seed: 5, startTime: START, partition: { index: 1, count: 3 } });
  assert.equal(part.vessels.length, 20);
  const fromWhole = whole.filter((r) => r.vessel.index % 3 === 1);
  const fromPart = run(part, fromWhole.length);
  assert.deepEqual(
    fromPart.map((r) => [r.time, r.message]),
    fromWhole.map((r) => [r.time, r.message]),
  );
});

test('vessels have unique plausible MMSIs, valid IMO numbers, names and dimensions', () => {
  const sim = new FleetSimulator({ vessels: 2000, seed: 3, startTime: START });
  const mmsis = new Set<number>();
  for (const v of sim.vessels) {
    const i = v.info;
    assert.ok(!mmsis.has(i.mmsi), `duplicate MMSI ${i.mmsi}`);
    mmsis.add(i.mmsi);
    const mid = Math.floor(i.mmsi / 1_000_000);
    assert.ok(mid >= 201 && mid <= 775, `MID ${mid}`);
    if (i.imo !== 0) assert.ok(imoValid(i.imo), `IMO ${i.imo}`);
    assert.match(i.name, /^[A-Z0-9 ]{3,20}$/);
    assert.match(i.callsign, /^[A-Z0-9]{4,7}$/);
    assert.equal(i.toBow + i.toStern, i.length);
    assert.equal(i.toPort + i.toStarboard, i.beam);
    assert.ok(i.toBow < 512 && i.toStern < 512 && i.toPort < 64 && i.toStarboard < 64);
  }
});

test('half a day of a fleet stays off land with motion matching speed, course, heading and turn', () => {
  const sim = new FleetSimulator({ vessels: 100, seed: 11, startTime: START });
  const last = new Map<number, SimReport>();
  let checkedMotion = 0;
  let checkedTurns = 0;
  const deadline = START + 12 * 3_600_000;
  while (sim.peekTime() < deadline) {
    const r = sim.next();
    const m = r.message;
    assert.equal(landAt(m.lon, m.lat), null, `${r.vessel.name} on land at ${m.lon},${m.lat} (${r.phase})`);
    if (m.type !== 18) {
      const want = { underway: 0, anchored: 1, moored: 5 }[r.phase];
      assert.equal(m.status, want);
    }
    if (r.phase !== 'underway') assert.ok(m.speed <= 0.5, `${r.phase} at ${m.speed} kn`);
    else {
      assert.ok(m.speed <= r.vessel.cruiseKn + 0.05);
      assert.ok(Math.abs(angleDiff(m.course, m.heading)) <= 4, `heading ${m.heading} vs course ${m.course}`);
      if (m.type !== 18) {
        const rot = rotDegPerMin(m.turn) ?? 0;
        assert.ok(Math.abs(rot - r.rotDegPerMin) <= Math.max(1.5, Math.abs(r.rotDegPerMin) * 0.35), `turn ${m.turn}`);
      }
    }
    const prev = last.get(m.mmsi);
    last.set(m.mmsi, r);
    if (prev?.phase !== 'underway' || r.phase !== 'underway') continue;
    const dtH = (r.time - prev.time) / 3_600_000;
    const dist = rhumbDistance(prev.message, m);
    const meanSpeed = (prev.message.speed + m.speed) / 2;
    // Distance made good agrees with the reported speed (position rounding ~1e-6 deg aside).
    assert.ok(
      Math.abs(dist - meanSpeed * dtH) <= 0.05 * meanSpeed * dtH + 0.01,
      `${r.vessel.name} moved ${dist} nm in ${dtH * 3600} s at ${meanSpeed} kn`,
    );
    if (dist > 0.01) {
      const track = rhumbBearing(prev.message, m);
      const courseChange = Math.abs(angleDiff(prev.message.course, m.course));
      assert.ok(Math.abs(angleDiff(track, m.course)) <= courseChange + 2, `track ${track} vs course ${m.course}`);
      checkedMotion++;
    }
    const interval = (r.time - prev.time) / 1000;
    const expected = reportIntervalSeconds(r.vessel.classB, prev.phase, prev.message.speed, prev.rotDegPerMin);
    assert.ok(Math.abs(interval - expected) < 0.2 || expected === 180, `interval ${interval}s, expected ${expected}s`);
    if (m.type !== 18 && Math.abs(r.rotDegPerMin) > 5) {
      const change = angleDiff(prev.message.course, m.course);
      assert.equal(Math.sign(change), Math.sign(r.rotDegPerMin), 'turn indicator sign follows the course change');
      checkedTurns++;
    }
  }
  assert.ok(checkedMotion > 10_000, `checked ${checkedMotion} legs`);
  assert.ok(checkedTurns > 50, `checked ${checkedTurns} turns`);
});

test('report intervals follow ITU-R M.1371 for Class A and Class B', () => {
  assert.equal(reportIntervalSeconds(false, 'moored', 0, 0), 180);
  assert.equal(reportIntervalSeconds(false, 'anchored', 4, 0), 10);
  assert.equal(reportIntervalSeconds(false, 'underway', 12, 0), 10);
  assert.equal(reportIntervalSeconds(false, 'underway', 12, 20), 10 / 3);
  assert.equal(reportIntervalSeconds(false, 'underway', 18, 0), 6);
  assert.equal(reportIntervalSeconds(false, 'underway', 18, -20), 2);
  assert.equal(reportIntervalSeconds(false, 'underway', 25, 0), 2);
  assert.equal(reportIntervalSeconds(true, 'underway', 6, 0), 30);
  assert.equal(reportIntervalSeconds(true, 'moored', 0, 0), 180);
});

test('a fleet of 100000 vessels is accepted and larger ones are capped', () => {
  const sim = new FleetSimulator({ vessels: 150_000, seed: 1, startTime: START, partition: { index: 0, count: 50 } });
  assert.equal(sim.vessels.length, 2000);
});
