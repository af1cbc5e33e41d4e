// Vessel identities: plausible MMSIs (flag-state MID + 6 digits), IMO numbers with their check
// digit, call signs with the flag's ITU prefix, names, AIS ship types, dimensions and the speed
// each kind of ship cruises at. Deterministic for (seed, vessel index).
import type { Rng } from './rng.ts';

export type VesselKind = 'container' | 'bulk' | 'tanker' | 'cargo' | 'passenger' | 'fishing' | 'tug' | 'pleasure';

export interface VesselInfo {
  index: number;
  mmsi: number;
  imo: number;
  name: string;
  callsign: string;
  kind: VesselKind;
  /** AIS ship and cargo type (ITU-R M.1371 table 53). */
  shiptype: number;
  classB: boolean;
  length: number;
  beam: number;
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
  draught: number;
  cruiseKn: number;
  /** Largest rate of turn the ship uses, degrees per minute. */
  maxTurn: number;
  /** Speed change per minute, knots. */
  accel: number;
  /** Small-craft range: local vessels pick destinations near their home port. */
  local: boolean;
}

interface Flag {
  mids: number[];
  callPrefix: string;
}

// MIDs (ITU maritime identification digits) and call-sign prefixes of common flag states.
const FLAGS: Flag[] = [
  { mids: [636], callPrefix: 'D5' }, // Liberia
  { mids: [351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373], callPrefix: '3E' }, // Panama
  { mids: [538], callPrefix: 'V7' }, // Marshall Islands
  { mids: [477], callPrefix: 'VR' }, // Hong Kong
  { mids: [563, 564, 565, 566], callPrefix: '9V' }, // Singapore
  { mids: [248, 249, 256], callPrefix: '9H' }, // Malta
  { mids: [311], callPrefix: 'C6' }, // Bahamas
  { mids: [240, 241], callPrefix: 'SV' }, // Greece
  { mids: [412, 413, 414], callPrefix: 'BQ' }, // China
  { mids: [431, 432], callPrefix: 'JD' }, // Japan
  { mids: [440, 441], callPrefix: 'DS' }, // Korea
  { mids: [244, 245, 246], callPrefix: 'PD' }, // Netherlands
  { mids: [211, 218], callPrefix: 'DA' }, // Germany
  { mids: [219, 220], callPrefix: 'OW' }, // Denmark
  { mids: [257, 258, 259], callPrefix: 'LA' }, // Norway
  { mids: [232, 233, 234, 235], callPrefix: 'GB' }, // United Kingdom
  { mids: [366, 367, 368, 369], callPrefix: 'WD' }, // United States
  { mids: [316], callPrefix: 'CF' }, // Canada
  { mids: [503], callPrefix: 'VH' }, // Australia
  { mids: [419], callPrefix: 'AT' }, // India
];

const KINDS: Array<{ kind: VesselKind; share: number }> = [
  { kind: 'container', share: 0.22 },
  { kind: 'bulk', share: 0.2 },
  { kind: 'tanker', share: 0.2 },
  { kind: 'cargo', share: 0.1 },
  { kind: 'passenger', share: 0.05 },
  { kind: 'fishing', share: 0.1 },
  { kind: 'tug', share: 0.05 },
  { kind: 'pleasure', share: 0.08 },
];

const PREFIXES: Record<VesselKind, string[]> = {
  container: ['MSC', 'MAERSK', 'CMA CGM', 'COSCO', 'EVER', 'ONE', 'HMM', 'YM', 'ZIM', 'OOCL', 'APL', 'HANSA'],
  bulk: ['STAR', 'GOLDEN', 'PACIFIC', 'ATLANTIC', 'NORD', 'CAPE', 'ORIENT', 'BULK', 'IRON', 'GRAIN'],
  tanker: ['FRONT', 'STENA', 'NAVIG8', 'TORM', 'MARAN', 'OLYMPIC', 'DHT', 'EAGLE', 'SEAWAYS', 'PETRO'],
  cargo: ['WILSON', 'ARKLOW', 'NORDIC', 'BALTIC', 'AMBER', 'EEMS', 'RMS', 'SEA'],
  passenger: ['COLOR', 'STENA', 'VIKING', 'AURORA', 'PRIDE OF', 'SPIRIT OF', 'QUEEN', 'SILJA'],
  fishing: ['ATLANTIC', 'NORTHERN', 'SEA', 'OCEAN', 'CAPT', 'MISS', 'LADY', 'ST'],
  tug: ['SVITZER', 'SMIT', 'BOKA', 'KOTUG', 'TUG', 'MULTRATUG'],
  pleasure: ['BLUE', 'SEA', 'WIND', 'SALTY', 'LUCKY', 'FREE'],
};

const WORDS = [
  'ALTAIR',
  'AURORA',
  'BALTIC',
  'BRAVE',
  'CARINA',
  'CELESTE',
  'CORAL',
  'DAWN',
  'DELTA',
  'DIAMOND',
  'EAGLE',
  'EMERALD',
  'ENDEAVOUR',
  'FALCON',
  'FORTUNE',
  'GALAXY',
  'GLORY',
  'HARMONY',
  'HORIZON',
  'HUNTER',
  'ISLAND',
  'JADE',
  'JUPITER',
  'LIBERTY',
  'LUNA',
  'MAGNOLIA',
  'MERIDIAN',
  'MISTRAL',
  'NEPTUNE',
  'NOBLE',
  'OCEANIA',
  'ORION',
  'PEARL',
  'PHOENIX',
  'PIONEER',
  'POLARIS',
  'PROGRESS',
  'QUEST',
  'RAINBOW',
  'RELIANCE',
  'SAPPHIRE',
  'SATURN',
  'SERENITY',
  'SIRIUS',
  'SPIRIT',
  'SPLENDOR',
  'SUMMIT',
  'TITAN',
  'TRADER',
  'TRIUMPH',
  'UNITY',
  'VALIANT',
  'VEGA',
  'VENTURE',
  'VICTORY',
  'VOYAGER',
  'WAVE',
  'ZENITH',
];

interface KindSpec {
  shiptype: (r: Rng) => number;
  length: [number, number];
  speed: [number, number];
  maxTurn: number;
  accel: number;
  local: boolean;
}

const SPECS: Record<VesselKind, KindSpec> = {
  container: {
    shiptype: (r) => r.pick([70, 71, 74, 79]),
    length: [180, 400],
    speed: [16, 21],
    maxTurn: 25,
    accel: 0.4,
    local: false,
  },
  bulk: {
    shiptype: (r) => r.pick([70, 70, 79]),
    length: [170, 300],
    speed: [11, 14],
    maxTurn: 20,
    accel: 0.3,
    local: false,
  },
  tanker: {
    shiptype: (r) => r.pick([80, 80, 81, 82, 89]),
    length: [150, 333],
    speed: [11.5, 14.5],
    maxTurn: 20,
    accel: 0.3,
    local: false,
  },
  cargo: { shiptype: () => 70, length: [80, 160], speed: [10, 14], maxTurn: 35, accel: 0.6, local: false },
  passenger: {
    shiptype: (r) => r.pick([60, 60, 69]),
    length: [120, 330],
    speed: [17, 22],
    maxTurn: 40,
    accel: 0.8,
    local: false,
  },
  fishing: { shiptype: () => 30, length: [18, 70], speed: [8, 11], maxTurn: 60, accel: 1.5, local: true },
  tug: { shiptype: () => 52, length: [24, 40], speed: [9, 12], maxTurn: 90, accel: 2, local: true },
  pleasure: {
    shiptype: (r) => r.pick([37, 37, 36]),
    length: [9, 25],
    speed: [6, 9],
    maxTurn: 90,
    accel: 2,
    local: true,
  },
};

function imoWithCheck(six: number): number {
  const digits = String(six).padStart(6, '0');
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  return six * 10 + (sum % 10);
}

export function createVesselInfo(index: number, rng: Rng, taken: Set<number>): VesselInfo {
  let u = rng.next();
  let kind: VesselKind = 'cargo';
  for (const k of KINDS) {
    if (u < k.share) {
      kind = k.kind;
      break;
    }
    u -= k.share;
  }
  const spec = SPECS[kind];
  const flag = rng.pick(FLAGS);
  const large = !spec.local;
  let mmsi = 0;
  do {
    const mid = rng.pick(flag.mids);
    // Ocean-going ships fitted for Inmarsat often have MMSIs ending in 000.
    const tail = large && rng.chance(0.5) ? rng.int(100, 999) * 1000 : rng.int(100000, 999999);
    mmsi = mid * 1_000_000 + tail;
  } while (taken.has(mmsi));
  taken.add(mmsi);
  const length = Math.round(rng.range(spec.length[0], spec.length[1]));
  const beam = Math.max(3, Math.round(length / rng.range(5.5, 7.5)));
  const toStern = Math.round(length * rng.range(0.12, 0.25));
  const toPort = Math.round(beam / 2);
  const prefix = rng.pick(PREFIXES[kind]);
  const word = rng.pick(WORDS);
  const suffix = rng.chance(0.3) ? ` ${rng.int(1, 9)}` : '';
  const name = `${prefix} ${word}${suffix}`.slice(0, 20);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let callsign = flag.callPrefix;
  while (callsign.length < 6) callsign += rng.chance(0.4) ? String(rng.int(0, 9)) : letters[rng.int(0, 25)];
  return {
    index,
    mmsi,
    imo: large ? imoWithCheck(rng.int(900000, 989999)) : 0,
    name,
    callsign: callsign.slice(0, 7),
    kind,
    shiptype: spec.shiptype(rng),
    classB: kind === 'pleasure',
    length,
    beam,
    toBow: length - toStern,
    toStern,
    toPort,
    toStarboard: beam - toPort,
    draught: Math.round(Math.min(25.5, length / rng.range(14, 20)) * 10) / 10,
    cruiseKn: Math.round(rng.range(spec.speed[0], spec.speed[1]) * 10) / 10,
    maxTurn: spec.maxTurn,
    accel: spec.accel,
    local: spec.local,
  };
}

/** True when an IMO number's last digit is its check digit. */
export function imoValid(imo: number): boolean {
  return imo >= 1_000_000 && imo <= 9_999_999 && imoWithCheck(Math.floor(imo / 10)) === imo;
}
