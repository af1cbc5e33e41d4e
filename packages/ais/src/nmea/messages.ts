// AIS message bodies (ITU-R M.1371 as gpsd's AIVDM document lays them out): encode and decode
// types 1, 2, 3 (Class A position report) and 18 (Class B position report); decode types 5
// (static and voyage data) and 24 (static data report, parts A and B). Field names and scaling
// follow gpsd's JSON: speed in knots (102.3 = n/a), lon/lat in degrees (181/91 = n/a), course in
// degrees (360 = n/a), heading 511 = n/a, `turn` is the raw ROT indicator (-128 = n/a,
// +-127 = turning fast, otherwise 4.733 * sqrt(deg/min) with the sign of the turn).
import { AisError } from '../errors.ts';
import { type BitReader, BitWriter } from './armor.ts';

export interface PositionReportA {
  type: 1 | 2 | 3;
  repeat: number;
  mmsi: number;
  status: number;
  turn: number;
  speed: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  course: number;
  heading: number;
  second: number;
  maneuver: number;
  raim: boolean;
  radio: number;
}

export interface PositionReportB {
  type: 18;
  repeat: number;
  mmsi: number;
  reserved: number;
  speed: number;
  accuracy: boolean;
  lon: number;
  lat: number;
  course: number;
  heading: number;
  second: number;
  regional: number;
  cs: boolean;
  display: boolean;
  dsc: boolean;
  band: boolean;
  msg22: boolean;
  assigned: boolean;
  raim: boolean;
  radio: number;
}

export interface StaticVoyageData {
  type: 5;
  repeat: number;
  mmsi: number;
  ais_version: number;
  imo: number;
  callsign: string;
  shipname: string;
  shiptype: number;
  to_bow: number;
  to_stern: number;
  to_port: number;
  to_starboard: number;
  epfd: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  draught: number;
  destination: string;
  dte: number;
}

export interface StaticDataReportA {
  type: 24;
  repeat: number;
  mmsi: number;
  partno: 0;
  shipname: string;
}

export interface StaticDataReportB {
  type: 24;
  repeat: number;
  mmsi: number;
  partno: 1;
  shiptype: number;
  vendorid: string;
  model: number;
  serial: number;
  callsign: string;
  to_bow: number;
  to_stern: number;
  to_port: number;
  to_starboard: number;
  /** Set instead of the dimensions for auxiliary craft (MMSI 98xxxxxxx). */
  mothership_mmsi?: number;
}

export type AisMessage = PositionReportA | PositionReportB | StaticVoyageData | StaticDataReportA | StaticDataReportB;

/** The message type of a payload's bits (its first 6 bits). */
export function messageType(r: BitReader): number {
  return r.uint(0, 6);
}

/** Decode one supported message; throws SEAWAY_AIS_NMEA_TYPE for the others. */
export function decodeMessage(r: BitReader): AisMessage {
  const type = r.uint(0, 6);
  switch (type) {
    case 1:
    case 2:
    case 3:
      // gpsd accepts short type 1-3 payloads (163 bits seen in the wild); missing bits read as 0.
      need(r, 149, type);
      return {
        type,
        repeat: r.uint(6, 2),
        mmsi: r.uint(8, 30),
        status: r.uint(38, 4),
        turn: r.int(42, 8),
        speed: r.uint(50, 10) / 10,
        accuracy: r.bool(60),
        lon: r.int(61, 28) / 600000,
        lat: r.int(89, 27) / 600000,
        course: r.uint(116, 12) / 10,
        heading: r.uint(128, 9),
        second: r.uint(137, 6),
        maneuver: r.uint(143, 2),
        raim: r.bool(148),
        radio: r.uint(149, 19),
      };
    case 18:
      need(r, 168, type);
      return {
        type,
        repeat: r.uint(6, 2),
        mmsi: r.uint(8, 30),
        reserved: r.uint(38, 8),
        speed: r.uint(46, 10) / 10,
        accuracy: r.bool(56),
        lon: r.int(57, 28) / 600000,
        lat: r.int(85, 27) / 600000,
        course: r.uint(112, 12) / 10,
        heading: r.uint(124, 9),
        second: r.uint(133, 6),
        regional: r.uint(139, 2),
        cs: r.bool(141),
        display: r.bool(142),
        dsc: r.bool(143),
        band: r.bool(144),
        msg22: r.bool(145),
        assigned: r.bool(146),
        raim: r.bool(147),
        radio: r.uint(148, 20),
      };
    case 5:
      // Some transmitters send 420 bits (no dte/spare); decode what is there.
      need(r, 420, type);
      return {
        type,
        repeat: r.uint(6, 2),
        mmsi: r.uint(8, 30),
        ais_version: r.uint(38, 2),
        imo: r.uint(40, 30),
        callsign: r.text(70, 42),
        shipname: r.text(112, 120),
        shiptype: r.uint(232, 8),
        to_bow: r.uint(240, 9),
        to_stern: r.uint(249, 9),
        to_port: r.uint(258, 6),
        to_starboard: r.uint(264, 6),
        epfd: r.uint(270, 4),
        month: r.uint(274, 4),
        day: r.uint(278, 5),
        hour: r.uint(283, 5),
        minute: r.uint(288, 6),
        draught: r.uint(294, 8) / 10,
        destination: r.text(302, 120),
        dte: r.uint(422, 1),
      };
    case 24: {
      need(r, 40, type);
      const partno = r.uint(38, 2);
      const head = { type: 24 as const, repeat: r.uint(6, 2), mmsi: r.uint(8, 30) };
      if (partno === 0) {
        need(r, 160, type);
        return { ...head, partno: 0, shipname: r.text(40, 120) };
      }
      if (partno === 1) {
        need(r, 162, type);
        const b: StaticDataReportB = {
          ...head,
          partno: 1,
          shiptype: r.uint(40, 8),
          vendorid: r.text(48, 42),
          model: r.uint(66, 4),
          serial: r.uint(70, 20),
          callsign: r.text(90, 42),
          to_bow: r.uint(132, 9),
          to_stern: r.uint(141, 9),
          to_port: r.uint(150, 6),
          to_starboard: r.uint(156, 6),
        };
        if (Math.floor(head.mmsi / 10_000_000) === 98 && r.length >= 192) b.mothership_mmsi = r.uint(162, 30);
        return b;
      }
      throw new AisError('SEAWAY_AIS_NMEA_TYPE', `type 24 part number ${partno} is reserved`);
    }
    default:
      throw new AisError('SEAWAY_AIS_NMEA_TYPE', `type ${type} (this codec decodes 1, 2, 3, 5, 18, 24)`);
  }
}

function need(r: BitReader, bits: number, type: number): void {
  if (r.length < bits) {
    throw new AisError('SEAWAY_AIS_NMEA_LENGTH', `type ${type} needs ${bits} bits, payload has ${r.length}`);
  }
}

/** Encode a position report (types 1, 2, 3, 18) into its 168 bits. */
export function encodePosition(m: PositionReportA | PositionReportB): Uint8Array {
  const w = new BitWriter(168);
  w.uint(0, 6, m.type);
  w.uint(6, 2, m.repeat);
  w.uint(8, 30, m.mmsi);
  if (m.type === 18) {
    w.uint(38, 8, m.reserved);
    w.uint(46, 10, Math.round(m.speed * 10));
    w.bool(56, m.accuracy);
    w.int(57, 28, m.lon * 600000);
    w.int(85, 27, m.lat * 600000);
    w.uint(112, 12, Math.round(m.course * 10));
    w.uint(124, 9, m.heading);
    w.uint(133, 6, m.second);
    w.uint(139, 2, m.regional);
    w.bool(141, m.cs);
    w.bool(142, m.display);
    w.bool(143, m.dsc);
    w.bool(144, m.band);
    w.bool(145, m.msg22);
    w.bool(146, m.assigned);
    w.bool(147, m.raim);
    w.uint(148, 20, m.radio);
    return w.bits;
  }
  w.uint(38, 4, m.status);
  w.int(42, 8, m.turn);
  w.uint(50, 10, Math.round(m.speed * 10));
  w.bool(60, m.accuracy);
  w.int(61, 28, m.lon * 600000);
  w.int(89, 27, m.lat * 600000);
  w.uint(116, 12, Math.round(m.course * 10));
  w.uint(128, 9, m.heading);
  w.uint(137, 6, m.second);
  w.uint(143, 2, m.maneuver);
  w.bool(148, m.raim);
  w.uint(149, 19, m.radio);
  return w.bits;
}

/** Raw ROT indicator from a rate of turn in degrees per minute (positive = starboard). */
export function rotIndicator(degPerMin: number): number {
  if (!Number.isFinite(degPerMin)) return -128;
  const v = Math.round(4.733 * Math.sqrt(Math.abs(degPerMin)));
  if (v === 0) return 0;
  // 708 deg/min and above is reported as +-126; +-127 is "turning fast, no turn indicator".
  return Math.sign(degPerMin) * Math.min(126, v);
}

/** Degrees per minute for a raw ROT indicator; sentinels (-128, +-127) map to null. */
export function rotDegPerMin(raw: number): number | null {
  if (raw === -128 || raw === 127 || raw === -127) return null;
  return Math.sign(raw) * (raw / 4.733) ** 2;
}

/** The `Turn` value of the seed's and fast-data-dev's schemas: deg/min, sentinels kept raw. */
export function schemaTurn(raw: number): number {
  const d = rotDegPerMin(raw);
  return d === null ? raw : d;
}
