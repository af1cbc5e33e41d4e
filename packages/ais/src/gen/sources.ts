// Where generated messages come from: the fleet simulator (default), an NMEA file replay (-nmea,
// types 1-3 kept, looped) or fast-data-dev's ais.txt.gz lines (-replay, looped). Each source
// yields { topic, key, payload } already encoded in the chosen format; bad input lines are
// counted in `malformed` and skipped.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { AisError } from '../errors.ts';
import type { PayloadEncoder } from '../formats/encode.ts';
import { decodePayload, FragmentAssembler, type PositionReportA, rotIndicator } from '../nmea/index.ts';
import type { FleetSimulator } from '../sim/fleet.ts';

export interface Message {
  topic: string;
  /** MMSI, the record key. */
  key: number;
  payload: Buffer;
}

export interface MessageSource {
  readonly description: string;
  /** The next message, or null when nothing is due yet (real-time fleet only). */
  next(): Message | null;
  /** Input lines that could not be used. */
  readonly malformed: number;
  /** Finite inputs: how many distinct records there are (null for the simulator). */
  readonly distinct: number | null;
}

export interface TopicOptions {
  origin: string;
  /** Publish to <origin>/<MMSI> instead of <origin>. */
  topicPerVessel: boolean;
}

function topicFor(t: TopicOptions, mmsi: number): string {
  return t.topicPerVessel ? `${t.origin.replace(/\/+$/, '')}/${mmsi}` : t.origin;
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor((performance.now() % 1) * 1e6));
}

/** The simulated fleet; with `realtime`, a report is released only once its time has come. */
export function fleetSource(
  sim: FleetSimulator,
  enc: PayloadEncoder,
  t: TopicOptions,
  realtime = false,
): MessageSource & { sim: FleetSimulator } {
  return {
    sim,
    description: `fleet simulator (${sim.vessels.length} vessels${realtime ? ', real time' : ''})`,
    malformed: 0,
    distinct: null,
    next() {
      if (realtime && sim.peekTime() > Date.now()) return null;
      const r = sim.next();
      const ns = BigInt(Math.round(r.time)) * 1_000_000n;
      return { topic: topicFor(t, r.vessel.mmsi), key: r.vessel.mmsi, payload: enc.encode(r.message, ns) };
    },
  };
}

function readText(path: string, flag: string): string {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new AisError('SEAWAY_AIS_INPUT_FILE', `cannot read ${flag} ${path}: ${(err as Error).message}`);
  }
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  return raw.toString('utf8');
}

/** -nmea FILE: AIVDM/AIVDO sentences; Class A position reports (types 1-3) are kept. */
export function nmeaFileSource(path: string, enc: PayloadEncoder, t: TopicOptions): MessageSource {
  const asm = new FragmentAssembler();
  const items: Array<{ m: PositionReportA; text: string }> = [];
  let skippedTypes = 0;
  let undecodable = 0;
  let lines: string[] = [];
  for (const line of readText(path, '-nmea').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    lines.push(trimmed);
    const p = asm.pushLine(trimmed);
    if (!p) continue;
    try {
      const m = decodePayload(p);
      if (m.type === 1 || m.type === 2 || m.type === 3) items.push({ m, text: lines.join('\r\n') });
      else skippedTypes++;
    } catch (err) {
      if ((err as AisError).code === 'SEAWAY_AIS_NMEA_TYPE') skippedTypes++;
      else undecodable++;
    }
    lines = [];
  }
  if (items.length === 0) {
    throw new AisError(
      'SEAWAY_AIS_INPUT_FILE',
      `-nmea ${path} holds no AIS position reports of types 1-3 (${asm.stats.malformed} malformed lines)`,
    );
  }
  let i = 0;
  return {
    description: `NMEA replay of ${path} (${items.length} position reports, ${skippedTypes} other messages skipped)`,
    malformed: asm.stats.malformed + asm.stats.orphans + undecodable,
    distinct: items.length,
    next() {
      const it = items[i++ % items.length]!;
      return { topic: topicFor(t, it.m.mmsi), key: it.m.mmsi, payload: enc.encode(it.m, nowNs(), it.text) };
    },
  };
}

const NUM = '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';
const TIMESTAMP_RE = new RegExp(`"Timestamp"\\s*:\\s*${NUM}`);

/** Parse one fast-data-dev sample line: `{"MMSI":…}\t{…record…}` or just the record. */
export function parseReplayLine(line: string): { m: PositionReportA; timestamp: bigint } | null {
  const tab = line.indexOf('\t');
  const valueText = tab >= 0 ? line.slice(tab + 1) : line;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(valueText) as Record<string, unknown>;
  } catch {
    return null;
  }
  const num = (k: string): number => (typeof v[k] === 'number' ? (v[k] as number) : Number.NaN);
  const type = num('Type');
  const fields = [
    'Repeat',
    'MMSI',
    'Speed',
    'Longitude',
    'Latitude',
    'Course',
    'Heading',
    'Second',
    'Radio',
    'Status',
    'Turn',
    'Maneuver',
  ];
  if (![1, 2, 3].includes(type) || fields.some((k) => !Number.isFinite(num(k)))) return null;
  const ts = TIMESTAMP_RE.exec(valueText)?.[1];
  const turn = num('Turn');
  return {
    m: {
      type: type as 1 | 2 | 3,
      repeat: num('Repeat'),
      mmsi: num('MMSI'),
      status: num('Status'),
      turn: turn === -128 || turn === 127 || turn === -127 ? turn : rotIndicator(turn),
      speed: num('Speed'),
      accuracy: v.Accuracy === true,
      lon: num('Longitude'),
      lat: num('Latitude'),
      course: num('Course'),
      heading: num('Heading'),
      second: num('Second'),
      maneuver: num('Maneuver'),
      raim: v.RAIM === true,
      radio: num('Radio'),
    },
    timestamp: ts && /^\d+$/.test(ts) ? BigInt(ts) : BigInt(Date.now()) * 1_000_000n,
  };
}

/** -replay FILE: fast-data-dev's ais.txt(.gz), keyed or not. */
export function replayFileSource(path: string, enc: PayloadEncoder, t: TopicOptions): MessageSource {
  const items: Array<{ m: PositionReportA; timestamp: bigint }> = [];
  let malformed = 0;
  for (const line of readText(path, '-replay').split('\n')) {
    if (line.trim() === '') continue;
    const r = parseReplayLine(line);
    if (r) items.push(r);
    else malformed++;
  }
  if (items.length === 0) {
    throw new AisError(
      'SEAWAY_AIS_INPUT_FILE',
      `-replay ${path} holds no position records (${malformed} malformed lines)`,
    );
  }
  let i = 0;
  return {
    description: `replay of ${path} (${items.length} records)`,
    malformed,
    distinct: items.length,
    next() {
      const it = items[i++ % items.length]!;
      return { topic: topicFor(t, it.m.mmsi), key: it.m.mmsi, payload: enc.encode(it.m, it.timestamp) };
    },
  };
}
