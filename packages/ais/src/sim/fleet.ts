// The fleet simulator: vessels sail between real ports along the lane graph, slow down on
// approach, anchor or moor for a while, then leave for another port. Speed, course, heading and
// rate of turn come from one motion model (turn-rate and acceleration limits per ship kind), so
// they agree with the positions. Reports are scheduled per vessel at the ITU-R M.1371 Class A
// intervals (2 to 10 s under way, 3 min at anchor or moored) and Class B "CS" intervals (30 s
// above 2 kn, else 3 min); next() returns reports in time order. Deterministic for a seed: each
// vessel draws from its own PRNG seeded by (seed, index), so a partition of the fleet (for
// several processes) yields exactly the reports of those vessels in the whole fleet.
import type { PositionReportA, PositionReportB } from '../nmea/messages.ts';
import { rotIndicator } from '../nmea/messages.ts';
import { angleDiff, type LonLat, rhumbBearing, rhumbDestination, rhumbDistance, wrap360 } from './geo.ts';
import { isLand } from './land.ts';
import { buildLaneGraph, type LaneGraph, PORTS, type Port, shortestPath } from './lanes.ts';
import { createRng, type Rng } from './rng.ts';
import { createVesselInfo, type VesselInfo } from './vessels.ts';

export interface FleetOptions {
  /** Number of vessels (default 300, at most 100000). */
  vessels?: number;
  seed?: number;
  /** Simulation start, ms since the epoch (default: now). */
  startTime?: number;
  /** Simulate only vessels with index % count === index (for -procs). */
  partition?: { index: number; count: number };
}

export type Phase = 'underway' | 'anchored' | 'moored';

export interface SimReport {
  vessel: VesselInfo;
  /** Report time, ms since the epoch. */
  time: number;
  phase: Phase;
  destination: string;
  /** Rate of turn in degrees per minute as simulated (positive to starboard). */
  rotDegPerMin: number;
  message: PositionReportA | PositionReportB;
}

interface VesselState {
  info: VesselInfo;
  rng: Rng;
  pos: LonLat;
  sog: number;
  cog: number;
  heading: number;
  drift: number;
  rot: number;
  phase: Phase;
  phaseUntil: number;
  origin: Port;
  destination: Port;
  route: LonLat[];
  leg: number;
  time: number;
  nextReport: number;
  slotTimeout: number;
}

import { MAX_FLEET } from './limits.ts';

export { MAX_FLEET };

const STEP_S = 10;
const WAYPOINT_RADIUS_NM = 1.5;
const APPROACH_NM = 20;
const CLASS_B_RADIO = 0b1100000000000000110; // ITDMA "CS" unit, as real Class B units report

const NAV_STATUS: Record<Phase, number> = { underway: 0, anchored: 1, moored: 5 };

/** ITU-R M.1371 reporting interval in seconds for a vessel's current state. */
export function reportIntervalSeconds(classB: boolean, phase: Phase, sog: number, rotDegPerMin: number): number {
  if (classB) return sog > 2 ? 30 : 180;
  if (phase !== 'underway') return sog > 3 ? 10 : 180;
  const changingCourse = Math.abs(rotDegPerMin) >= 5;
  if (sog <= 14) return changingCourse ? 10 / 3 : 10;
  if (sog <= 23) return changingCourse ? 2 : 6;
  return 2;
}

export class FleetSimulator {
  readonly vessels: VesselState[] = [];
  private readonly heap: VesselState[] = [];
  private readonly graph: LaneGraph;
  private readonly routes = new Map<string, LonLat[]>();
  private readonly routeNm = new Map<string, number>();
  private readonly destinations = new Map<string, { all: Port[]; near: Port[] }>();
  readonly startTime: number;

  constructor(opts: FleetOptions = {}) {
    const count = Math.max(1, Math.min(MAX_FLEET, Math.floor(opts.vessels ?? 300)));
    const seed = opts.seed ?? 1;
    this.startTime = opts.startTime ?? Date.now();
    this.graph = buildLaneGraph();
    const part = opts.partition ?? { index: 0, count: 1 };
    // MMSI uniqueness is decided over the whole fleet, in index order, so partitions agree.
    const taken = new Set<number>();
    for (let i = 0; i < count; i++) {
      const rng = createRng(seed, i);
      const info = createVesselInfo(i, rng, taken);
      if (i % part.count !== part.index) continue;
      const v = this.initialState(info, rng);
      this.vessels.push(v);
      this.heapPush(v);
    }
  }

  /** Simulated time of the next report. */
  peekTime(): number {
    return this.heap[0]?.nextReport ?? this.startTime;
  }

  /** Advance to the next scheduled report and return it. */
  next(): SimReport {
    const v = this.heapPop();
    if (!v) throw new Error('fleet simulator has no vessels');
    this.advance(v, v.nextReport);
    const report = this.report(v);
    // Scheduled from the speed as reported (0.1 kn), as a receiver would judge the interval.
    v.nextReport = v.time + reportIntervalSeconds(v.info.classB, v.phase, report.message.speed, v.rot) * 1000;
    this.heapPush(v);
    return report;
  }

  /** Static and voyage data of a vessel, for type 5 style outputs. */
  voyage(index: number): { info: VesselInfo; destination: string } | undefined {
    const v = this.vessels.find((x) => x.info.index === index);
    return v && { info: v.info, destination: v.destination.name };
  }

  private route(from: Port, to: Port): LonLat[] {
    const key = `${from.id}>${to.id}`;
    let r = this.routes.get(key);
    if (!r) {
      const ids = shortestPath(this.graph, from.id, to.id) ?? [from.id, to.id];
      r = ids.map((id) => this.graph.nodes.get(id)!);
      this.routes.set(key, r);
      let nm = 0;
      for (let i = 1; i < r.length; i++) nm += rhumbDistance(r[i - 1]!, r[i]!);
      this.routeNm.set(key, nm);
    }
    return r;
  }

  private pickDestination(info: VesselInfo, rng: Rng, from: Port): Port {
    let lists = this.destinations.get(from.id);
    if (!lists) {
      const others = PORTS.filter((p) => p !== from);
      const byRoute = others
        .map((p) => {
          this.route(from, p);
          return { p, nm: this.routeNm.get(`${from.id}>${p.id}`) ?? Number.POSITIVE_INFINITY };
        })
        .sort((a, b) => a.nm - b.nm);
      const near = byRoute.filter((x) => x.nm <= 700).map((x) => x.p);
      lists = { all: others, near: near.length > 0 ? near : [byRoute[0]!.p] };
      this.destinations.set(from.id, lists);
    }
    return rng.pick(info.local ? lists.near : lists.all);
  }

  private initialState(info: VesselInfo, rng: Rng): VesselState {
    const origin = rng.pick(PORTS);
    const destination = this.pickDestination(info, rng, origin);
    const route = this.route(origin, destination);
    const v: VesselState = {
      info,
      rng,
      pos: { lon: origin.lon, lat: origin.lat },
      sog: 0,
      cog: rng.range(0, 360),
      heading: 0,
      drift: rng.range(-3, 3),
      rot: 0,
      phase: 'moored',
      phaseUntil: 0,
      origin,
      destination,
      route,
      leg: 1,
      time: this.startTime,
      nextReport: this.startTime + rng.range(0, 10_000),
      slotTimeout: rng.int(0, 7),
    };
    const u = rng.next();
    if (u < 0.15) {
      v.phase = 'moored';
      v.phaseUntil = this.startTime + rng.range(1, 24) * 3_600_000;
      v.heading = Math.round(v.cog);
    } else if (u < 0.22) {
      this.anchorNear(v, origin);
      v.phaseUntil = this.startTime + rng.range(1, 8) * 3_600_000;
    } else {
      // Somewhere along the voyage, already at cruising speed.
      const total = this.routeNm.get(`${origin.id}>${destination.id}`) ?? 0;
      let d = rng.range(0.02, 0.9) * total;
      let leg = 1;
      while (leg < route.length - 1 && d > rhumbDistance(route[leg - 1]!, route[leg]!)) {
        d -= rhumbDistance(route[leg - 1]!, route[leg]!);
        leg++;
      }
      const a = route[leg - 1]!;
      const b = route[leg]!;
      const brg = rhumbBearing(a, b);
      v.pos = rhumbDestination(a, brg, Math.min(d, rhumbDistance(a, b)));
      v.leg = leg;
      v.phase = 'underway';
      v.sog = info.cruiseKn;
      v.cog = rhumbBearing(v.pos, b);
      v.heading = Math.round(wrap360(v.cog + v.drift)) % 360;
    }
    return v;
  }

  private anchorNear(v: VesselState, port: Port): void {
    v.phase = 'anchored';
    for (let i = 0; i < 8; i++) {
      const p = rhumbDestination(port, v.rng.range(0, 360), v.rng.range(1, 3));
      if (!isLand(p.lon, p.lat)) {
        v.pos = p;
        break;
      }
    }
    v.sog = 0;
    v.rot = 0;
    v.heading = Math.round(v.rng.range(0, 359));
  }

  private advance(v: VesselState, until: number): void {
    while (v.time < until) {
      if (v.phase !== 'underway') {
        const end = Math.min(until, v.phaseUntil);
        if (v.phase === 'anchored') {
          // Swinging at anchor: a slow heading change, no way made.
          v.heading = Math.round(wrap360(v.heading + v.rng.range(-2, 2))) % 360;
        }
        v.time = end;
        if (v.time >= v.phaseUntil) this.endStay(v);
        continue;
      }
      const dt = Math.min(STEP_S, (until - v.time) / 1000);
      this.stepUnderway(v, dt);
      v.time += dt * 1000;
    }
  }

  private endStay(v: VesselState): void {
    if (v.phase === 'anchored') {
      // Berth: move to the port position and tie up.
      v.phase = 'moored';
      v.pos = { lon: v.destination.lon, lat: v.destination.lat };
      v.phaseUntil = v.time + v.rng.range(4, 36) * 3_600_000;
      return;
    }
    // Leave for the next port.
    v.origin = v.destination;
    v.destination = this.pickDestination(v.info, v.rng, v.origin);
    v.route = this.route(v.origin, v.destination);
    v.pos = { lon: v.origin.lon, lat: v.origin.lat };
    v.leg = 1;
    v.phase = 'underway';
    v.sog = 0;
    v.cog = v.heading;
  }

  private stepUnderway(v: VesselState, dt: number): void {
    const target = v.route[v.leg]!;
    const final = v.leg === v.route.length - 1;
    const dist = rhumbDistance(v.pos, target);
    let want = v.info.cruiseKn;
    if (final && dist < APPROACH_NM) want = Math.max(3, (v.info.cruiseKn * dist) / APPROACH_NM);
    const dv = v.info.accel * (dt / 60);
    v.sog = Math.max(0, v.sog + Math.max(-dv, Math.min(dv, want - v.sog)));
    const desired = rhumbBearing(v.pos, target);
    const diff = angleDiff(v.cog, desired);
    const maxTurn = v.info.maxTurn * (dt / 60);
    const change = Math.max(-maxTurn, Math.min(maxTurn, diff));
    v.cog = wrap360(v.cog + change);
    v.rot = dt > 0 ? change / (dt / 60) : 0;
    v.heading = Math.round(wrap360(v.cog + v.drift)) % 360;
    const move = (v.sog * dt) / 3600;
    if (dist <= Math.max(move, final ? 0.3 : WAYPOINT_RADIUS_NM)) {
      if (final) {
        v.pos = { lon: target.lon, lat: target.lat };
        this.arrive(v);
        return;
      }
      v.leg++;
    }
    v.pos = rhumbDestination(v.pos, v.cog, move);
  }

  private arrive(v: VesselState): void {
    if (v.rng.chance(0.35)) {
      this.anchorNear(v, v.destination);
      v.phaseUntil = v.time + v.rng.range(1, 8) * 3_600_000;
    } else {
      v.phase = 'moored';
      v.sog = 0;
      v.rot = 0;
      v.phaseUntil = v.time + v.rng.range(4, 36) * 3_600_000;
    }
  }

  private report(v: VesselState): SimReport {
    const second = Math.floor(v.time / 1000) % 60;
    const moving = v.phase === 'underway';
    const sog = Math.round(Math.min(102.2, v.sog) * 10) / 10;
    const cog = moving ? Math.round(v.cog * 10) / 10 : Math.round(v.rng.range(0, 3599)) / 10;
    const speed = sog;
    const accuracy = !v.info.local;
    const lon = Math.round(v.pos.lon * 600000) / 600000;
    const lat = Math.round(v.pos.lat * 600000) / 600000;
    const course = cog % 360;
    let message: PositionReportA | PositionReportB;
    if (v.info.classB) {
      message = {
        type: 18,
        repeat: 0,
        mmsi: v.info.mmsi,
        reserved: 0,
        speed,
        accuracy,
        lon,
        lat,
        course,
        heading: v.heading,
        second,
        regional: 0,
        cs: true,
        display: false,
        dsc: true,
        band: true,
        msg22: true,
        assigned: false,
        raim: false,
        radio: CLASS_B_RADIO,
      };
    } else {
      // SOTDMA communication state: sync 0, slot time-out counting down, a sub-message.
      v.slotTimeout = (v.slotTimeout + 7) % 8;
      const sub = v.slotTimeout === 0 ? v.rng.int(1, 2249) : v.rng.int(0, 16383);
      message = {
        type: 1,
        repeat: 0,
        mmsi: v.info.mmsi,
        status: NAV_STATUS[v.phase],
        turn: moving ? rotIndicator(v.rot) : 0,
        speed,
        accuracy,
        lon,
        lat,
        course,
        heading: v.heading,
        second,
        maneuver: 0,
        raim: false,
        radio: (v.slotTimeout << 14) | sub,
      };
    }
    return {
      vessel: v.info,
      time: v.time,
      phase: v.phase,
      destination: v.destination.name,
      rotDegPerMin: moving ? v.rot : 0,
      message,
    };
  }

  private heapPush(v: VesselState): void {
    const h = this.heap;
    h.push(v);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      const t = h[i]!;
      h[i] = h[p]!;
      h[p] = t;
      i = p;
    }
  }

  private heapPop(): VesselState | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}

function before(a: VesselState, b: VesselState): boolean {
  return a.nextReport < b.nextReport || (a.nextReport === b.nextReport && a.info.index < b.info.index);
}
