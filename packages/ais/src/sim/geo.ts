// Rhumb-line navigation on a sphere (constant course legs, what a ship's autopilot steers between
// waypoints). Distances in nautical miles, angles in degrees, longitudes wrapped to [-180, 180).
export interface LonLat {
  lon: number;
  lat: number;
}

const R_NM = 3440.065;
const RAD = Math.PI / 180;

export function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

export function wrap360(deg: number): number {
  return ((deg % 360) + 360) % 360;
}

/** Signed smallest difference b - a in degrees, in (-180, 180]. */
export function angleDiff(a: number, b: number): number {
  const d = wrap360(b - a);
  return d > 180 ? d - 360 : d;
}

function psi(latDeg: number): number {
  return Math.log(Math.tan(Math.PI / 4 + (latDeg * RAD) / 2));
}

function legParts(a: LonLat, b: LonLat): { dLat: number; dLon: number; q: number } {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = angleDiff(a.lon, b.lon) * RAD;
  const dPsi = psi(b.lat) - psi(a.lat);
  const q = Math.abs(dPsi) > 1e-12 ? dLat / dPsi : Math.cos(a.lat * RAD);
  return { dLat, dLon, q };
}

export function rhumbDistance(a: LonLat, b: LonLat): number {
  const { dLat, dLon, q } = legParts(a, b);
  return Math.sqrt(dLat * dLat + q * q * dLon * dLon) * R_NM;
}

export function rhumbBearing(a: LonLat, b: LonLat): number {
  const dLon = angleDiff(a.lon, b.lon) * RAD;
  const dPsi = psi(b.lat) - psi(a.lat);
  return wrap360(Math.atan2(dLon, dPsi) / RAD);
}

export function rhumbDestination(p: LonLat, bearing: number, distNm: number): LonLat {
  const d = distNm / R_NM;
  const th = bearing * RAD;
  const dLat = d * Math.cos(th);
  let lat2 = p.lat + dLat / RAD;
  if (lat2 > 89.9) lat2 = 89.9;
  if (lat2 < -89.9) lat2 = -89.9;
  const dPsi = psi(lat2) - psi(p.lat);
  const q = Math.abs(dPsi) > 1e-12 ? ((lat2 - p.lat) * RAD) / dPsi : Math.cos(p.lat * RAD);
  const dLon = (d * Math.sin(th)) / q;
  return { lon: wrapLon(p.lon + dLon / RAD), lat: lat2 };
}

/** Point at fraction f along the rhumb line a -> b. */
export function rhumbInterpolate(a: LonLat, b: LonLat, f: number): LonLat {
  return rhumbDestination(a, rhumbBearing(a, b), rhumbDistance(a, b) * f);
}
