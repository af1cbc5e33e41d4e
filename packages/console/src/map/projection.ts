// Web Mercator for the offline map: world coordinates in [0, 1] (x east from 180°W, y south from
// ~85°N), a view = centre in world coordinates + scale in pixels per world unit, and the pan/zoom
// arithmetic the page uses. No DOM here, so it is tested directly.

export const MAX_LAT = 85.05;

export interface View {
  cx: number;
  cy: number;
  /** Pixels per world unit (the whole world is `scale` pixels wide). */
  scale: number;
}

export interface Size {
  width: number;
  height: number;
}

export function project(lon: number, lat: number): [number, number] {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
}

export function unproject(x: number, y: number): [number, number] {
  const lon = x * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
  return [lon, lat];
}

export function toScreen(v: View, size: Size, wx: number, wy: number): [number, number] {
  return [(wx - v.cx) * v.scale + size.width / 2, (wy - v.cy) * v.scale + size.height / 2];
}

export function toWorld(v: View, size: Size, sx: number, sy: number): [number, number] {
  return [(sx - size.width / 2) / v.scale + v.cx, (sy - size.height / 2) / v.scale + v.cy];
}

/** The view showing the whole world in `size`. */
export function fitWorld(size: Size): View {
  return { cx: 0.5, cy: 0.5, scale: Math.max(64, Math.min(size.width, size.height * 1.6)) };
}

export const MIN_SCALE = 128;
export const MAX_SCALE = 2 ** 20;

/** Keep the centre inside the world and the scale within limits. */
export function clampView(v: View): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale));
  return { cx: Math.min(1, Math.max(0, v.cx)), cy: Math.min(1, Math.max(0, v.cy)), scale };
}

/** Zoom by `factor` keeping the world point under screen point (sx, sy) where it is. */
export function zoomAt(v: View, size: Size, factor: number, sx: number, sy: number): View {
  const [wx, wy] = toWorld(v, size, sx, sy);
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
  // After zooming, (wx, wy) must map to (sx, sy) again.
  return clampView({
    cx: wx - (sx - size.width / 2) / scale,
    cy: wy - (sy - size.height / 2) / scale,
    scale,
  });
}

/** Move the view by a drag of (dx, dy) screen pixels. */
export function panBy(v: View, dx: number, dy: number): View {
  return clampView({ ...v, cx: v.cx - dx / v.scale, cy: v.cy - dy / v.scale });
}

/** SVG path data for rings of [lon, lat], in world units times `unit` (transformed by the view in SVG). */
export function ringsPath(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, unit: number): string {
  const parts: string[] = [];
  for (const ring of rings) {
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      parts.push(`${i === 0 ? 'M' : 'L'}${(x * unit).toFixed(2)} ${(y * unit).toFixed(2)}`);
    });
    parts.push('Z');
  }
  return parts.join('');
}
