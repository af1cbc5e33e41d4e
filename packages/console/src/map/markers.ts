// How a vessel is drawn: its orientation (course, else heading) and colour (by speed or by AIS
// navigation status), and the labels for both.
import type { Vessel } from '@seaway/contracts';

export type ColourBy = 'speed' | 'status';

export const NAV_STATUS: Record<number, string> = {
  0: 'under way using engine',
  1: 'at anchor',
  2: 'not under command',
  3: 'restricted manoeuvrability',
  4: 'constrained by draught',
  5: 'moored',
  6: 'aground',
  7: 'engaged in fishing',
  8: 'under way sailing',
  14: 'AIS-SART active',
  15: 'not defined',
};

export function statusLabel(s: number | null): string {
  if (s === null) return 'unknown';
  return NAV_STATUS[s] ?? `reserved (${s})`;
}

export const SPEED_BANDS = [
  { max: 0.5, label: 'stopped (< 0.5 kn)', colour: '#8a94a6' },
  { max: 8, label: '0.5–8 kn', colour: '#2f9e44' },
  { max: 15, label: '8–15 kn', colour: '#1c7ed6' },
  { max: 25, label: '15–25 kn', colour: '#e8590c' },
  { max: Number.POSITIVE_INFINITY, label: '≥ 25 kn', colour: '#c2255c' },
] as const;

export const STATUS_COLOURS = [
  { codes: [0, 8], label: 'under way', colour: '#1c7ed6' },
  { codes: [1, 5], label: 'at anchor / moored', colour: '#8a94a6' },
  { codes: [7], label: 'fishing', colour: '#2f9e44' },
  { codes: [2, 3, 4, 6, 14], label: 'restricted / aground / SART', colour: '#c2255c' },
  { codes: [], label: 'other / unknown', colour: '#e8590c' },
] as const;

export function markerColour(v: Pick<Vessel, 'speed' | 'status'>, by: ColourBy): string {
  if (by === 'speed') {
    const speed = v.speed;
    if (speed === null) return '#e8590c';
    return SPEED_BANDS.find((b) => speed < b.max)?.colour ?? '#c2255c';
  }
  const hit = STATUS_COLOURS.find((c) => v.status !== null && (c.codes as readonly number[]).includes(v.status));
  return hit?.colour ?? '#e8590c';
}

/** Degrees clockwise from north the marker points to, or null to draw a dot (no direction known). */
export function markerRotation(v: Pick<Vessel, 'course' | 'heading' | 'speed'>): number | null {
  if (v.course !== null && (v.speed === null || v.speed >= 0.5)) return v.course;
  if (v.heading !== null) return v.heading;
  return null;
}
