// The map itself: an SVG with the bundled land outline (Web Mercator, transformed by the view) and
// vessels as small markers in screen space (triangles pointing along course, dots when stopped).
// Wheel zooms at the pointer, drag pans, +/−/reset buttons and keys (+ - 0 arrows) do the same.
// Markers outside the view are not drawn.
import type { Vessel } from '@seaway/contracts';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type ColourBy, markerColour, markerRotation } from './markers.ts';
import { fitWorld, panBy, project, ringsPath, type Size, toScreen, type View, zoomAt } from './projection.ts';
import { LAND, PORTS } from './world.generated.ts';

const UNIT = 1000;
const TRIANGLE = 'M0 -10L6.5 7L0 3.5L-6.5 7Z';

export interface VesselMapProps {
  vessels: Vessel[];
  colourBy: ColourBy;
  selected: string | null;
  onSelect: (mmsi: string | null) => void;
  /** Initial size before the first measure (tests, server render). */
  initialSize?: Size;
}

export function VesselMap({ vessels, colourBy, selected, onSelect, initialSize }: VesselMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>(initialSize ?? { width: 900, height: 520 });
  const [view, setView] = useState<View>(() => fitWorld(initialSize ?? { width: 900, height: 520 }));
  const drag = useRef<{ x: number; y: number; moved: number; id: number; mmsi: string | null } | null>(null);
  const landPath = useMemo(
    () =>
      ringsPath(
        LAND.map((l) => l.ring),
        UNIT,
      ),
    [],
  );

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let first = true;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const s = { width: Math.round(entry.contentRect.width), height: Math.round(entry.contentRect.height) };
      if (s.width < 10 || s.height < 10) return;
      setSize(s);
      if (first) setView(fitWorld(s));
      first = false;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // React's onWheel is passive; a native listener can keep the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      setView((v) => zoomAt(v, size, factor, e.clientX - r.left, e.clientY - r.top));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [size]);

  const zoomCentre = (factor: number) => setView((v) => zoomAt(v, size, factor, size.width / 2, size.height / 2));
  const onKey = (e: KeyboardEvent) => {
    const step = 80;
    const pan = (dx: number, dy: number) => setView((v) => panBy(v, dx, dy));
    let handled = true;
    if (e.key === '+' || e.key === '=') zoomCentre(1.5);
    else if (e.key === '-') zoomCentre(1 / 1.5);
    else if (e.key === '0') setView(fitWorld(size));
    else if (e.key === 'ArrowLeft') pan(step, 0);
    else if (e.key === 'ArrowRight') pan(-step, 0);
    else if (e.key === 'ArrowUp') pan(0, step);
    else if (e.key === 'ArrowDown') pan(0, -step);
    else if (e.key === 'Escape') onSelect(null);
    else handled = false;
    if (handled) e.preventDefault();
  };

  const k = view.scale / UNIT;
  const tx = size.width / 2 - view.cx * view.scale;
  const ty = size.height / 2 - view.cy * view.scale;
  // Smaller markers while the whole world is in view, full size once zoomed in.
  const size1 = Math.min(1, Math.max(0.6, view.scale / 2000));
  const shrink = size1 < 1 ? ` scale(${size1.toFixed(2)})` : '';
  const markers = [];
  for (const v of vessels) {
    const [wx, wy] = project(v.lon, v.lat);
    const [sx, sy] = toScreen(view, size, wx, wy);
    if (sx < -10 || sy < -10 || sx > size.width + 10 || sy > size.height + 10) continue;
    const rot = markerRotation(v);
    const colour = markerColour(v, colourBy);
    const isSel = v.mmsi === selected;
    markers.push(
      <g
        key={v.mmsi}
        className={`vessel${isSel ? ' vessel-selected' : ''}`}
        transform={`translate(${sx.toFixed(1)} ${sy.toFixed(1)})${rot === null ? '' : ` rotate(${rot})`}${shrink}`}
        data-mmsi={v.mmsi}
        fill={colour}
      >
        {rot === null ? <circle r={5} /> : <path d={TRIANGLE} />}
        {isSel && <circle r={11} className="vessel-ring" />}
      </g>,
    );
  }
  const showPorts = view.scale > 2500;

  return (
    <div
      ref={box}
      className="map-box"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the map takes keyboard pan and zoom
      tabIndex={0}
      role="application"
      aria-label="Vessel map: drag or arrow keys to pan, wheel or + and - to zoom, 0 to reset"
      onKeyDown={onKey}
      onPointerDown={(e) => {
        // The zoom buttons take their own clicks: capturing the pointer here would retarget the
        // click to the box and the button would never see it.
        if ((e.target as Element).closest?.('button')) return;
        // Pointer capture retargets pointerup to the box, so the vessel under the pointer is noted now.
        const hit = (e.target as Element).closest?.('[data-mmsi]')?.getAttribute('data-mmsi') ?? null;
        drag.current = { x: e.clientX, y: e.clientY, moved: 0, id: e.pointerId, mmsi: hit };
        (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        d.x = e.clientX;
        d.y = e.clientY;
        d.moved += Math.abs(dx) + Math.abs(dy);
        if (d.moved > 3) setView((v) => panBy(v, dx, dy));
      }}
      onPointerUp={() => {
        const d = drag.current;
        drag.current = null;
        if (!d || d.moved > 3) return;
        onSelect(d.mmsi);
      }}
      onPointerCancel={() => {
        drag.current = null;
      }}
    >
      <svg width={size.width} height={size.height} className="map-svg" aria-hidden="true">
        <rect width={size.width} height={size.height} className="map-sea" />
        <g transform={`translate(${tx.toFixed(2)} ${ty.toFixed(2)}) scale(${k})`}>
          <rect width={UNIT} height={UNIT} className="map-world" vectorEffect="non-scaling-stroke" />
          <path d={landPath} className="map-land" vectorEffect="non-scaling-stroke" />
        </g>
        {showPorts &&
          PORTS.map((p) => {
            const [x, y] = project(p.lon, p.lat);
            const [sx, sy] = toScreen(view, size, x, y);
            return (
              <g key={p.name} transform={`translate(${sx.toFixed(1)} ${sy.toFixed(1)})`} className="map-port">
                <rect x={-2.5} y={-2.5} width={5} height={5} />
                <text x={6} y={4}>
                  {p.name}
                </text>
              </g>
            );
          })}
        <g className="map-vessels">{markers}</g>
      </svg>
      <div className="map-controls">
        <button type="button" onClick={() => zoomCentre(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomCentre(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setView(fitWorld(size))} aria-label="Show the whole world">
          ⌂
        </button>
      </div>
      <output className="map-scale small muted">
        {markers.length} of {vessels.length} in view · zoom {(view.scale / fitWorld(size).scale).toFixed(1)}×
      </output>
    </div>
  );
}
