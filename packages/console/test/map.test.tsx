import type { Vessel } from '@seaway/contracts';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { markerColour, markerRotation, statusLabel } from '../src/map/markers.ts';
import { fitWorld, panBy, project, toScreen, toWorld, unproject, zoomAt } from '../src/map/projection.ts';
import { VesselMap } from '../src/map/VesselMap.tsx';
import { LAND } from '../src/map/world.generated.ts';

afterEach(cleanup);

// jsdom has no PointerEvent; without one fireEvent drops clientX and pointerId.
if (typeof window.PointerEvent === 'undefined') {
  class PointerEventPolyfill extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 0;
    }
  }
  vi.stubGlobal('PointerEvent', PointerEventPolyfill);
}

const vessel = (over: Partial<Vessel>): Vessel => ({
  mmsi: '211000001',
  name: null,
  lat: 0,
  lon: 0,
  speed: 10,
  course: 90,
  heading: null,
  status: 0,
  lastSeen: 1,
  ...over,
});

describe('projection', () => {
  test('Web Mercator puts 0,0 in the middle and round-trips', () => {
    expect(project(0, 0)).toEqual([0.5, 0.5]);
    const [x, y] = project(4.05, 51.95);
    const [lon, lat] = unproject(x, y);
    expect(lon).toBeCloseTo(4.05, 9);
    expect(lat).toBeCloseTo(51.95, 9);
    expect(project(0, 60)[1]).toBeLessThan(project(0, 30)[1]);
  });

  test('zooming at a point keeps that point under the pointer', () => {
    const size = { width: 800, height: 500 };
    const v = fitWorld(size);
    const before = toWorld(v, size, 200, 120);
    const z = zoomAt(v, size, 3, 200, 120);
    expect(z.scale).toBeCloseTo(v.scale * 3);
    const after = toWorld(z, size, 200, 120);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
  });

  test('dragging right moves the world right on screen', () => {
    const size = { width: 800, height: 500 };
    const v = zoomAt(fitWorld(size), size, 4, 400, 250);
    const [wx, wy] = project(10, 10);
    const [sx] = toScreen(v, size, wx, wy);
    const [sx2] = toScreen(panBy(v, 50, 0), size, wx, wy);
    expect(sx2 - sx).toBeCloseTo(50);
  });
});

describe('markers', () => {
  test('colour by speed bands and by navigation status', () => {
    expect(markerColour({ speed: 0.1, status: 0 }, 'speed')).not.toBe(markerColour({ speed: 12, status: 0 }, 'speed'));
    expect(markerColour({ speed: 12, status: 1 }, 'status')).toBe(markerColour({ speed: 0, status: 5 }, 'status'));
    expect(markerColour({ speed: 12, status: 0 }, 'status')).not.toBe(markerColour({ speed: 12, status: 1 }, 'status'));
    expect(statusLabel(5)).toBe('moored');
    expect(statusLabel(null)).toBe('unknown');
  });

  test('a moving vessel points along its course; a stopped one along its heading, else a dot', () => {
    expect(markerRotation({ course: 90, heading: 80, speed: 10 })).toBe(90);
    expect(markerRotation({ course: 90, heading: 80, speed: 0 })).toBe(80);
    expect(markerRotation({ course: 90, heading: null, speed: 0 })).toBeNull();
  });
});

describe('VesselMap', () => {
  const size = { width: 800, height: 500 };

  test('draws the bundled land outline and one marker per vessel in view', () => {
    expect(LAND.length).toBeGreaterThan(5);
    const { container } = render(
      <VesselMap
        vessels={[vessel({ mmsi: '1' }), vessel({ mmsi: '2', lat: 51.9, lon: 4, course: null, speed: 0 })]}
        colourBy="speed"
        selected={null}
        onSelect={() => {}}
        initialSize={size}
      />,
    );
    expect(container.querySelector('path.map-land')?.getAttribute('d')?.length).toBeGreaterThan(1000);
    expect(container.querySelectorAll('[data-mmsi]')).toHaveLength(2);
    const one = container.querySelector('[data-mmsi="1"]');
    expect(one?.getAttribute('transform')).toContain('rotate(90)');
    expect(container.querySelector('[data-mmsi="2"] circle')).not.toBeNull();
  });

  test('vessels outside the view are not drawn after zooming in', () => {
    const { container, getByLabelText } = render(
      <VesselMap
        vessels={[vessel({ mmsi: '1' }), vessel({ mmsi: '2', lat: -60, lon: 170 })]}
        colourBy="speed"
        selected={null}
        onSelect={() => {}}
        initialSize={size}
      />,
    );
    for (let i = 0; i < 4; i++) fireEvent.click(getByLabelText('Zoom in'));
    expect([...container.querySelectorAll('[data-mmsi]')].map((g) => g.getAttribute('data-mmsi'))).toEqual(['1']);
  });

  test('a click on a marker selects the vessel; a drag does not', () => {
    const onSelect = vi.fn();
    const { container } = render(
      <VesselMap
        vessels={[vessel({ mmsi: '7' })]}
        colourBy="status"
        selected={null}
        onSelect={onSelect}
        initialSize={size}
      />,
    );
    const marker = container.querySelector('[data-mmsi="7"] path')!;
    const box = container.querySelector('.map-box')!;
    fireEvent.pointerDown(marker, { pointerId: 1, clientX: 10, clientY: 10 });
    fireEvent.pointerUp(box, { pointerId: 1, clientX: 10, clientY: 10 });
    expect(onSelect).toHaveBeenLastCalledWith('7');
    onSelect.mockClear();
    fireEvent.pointerDown(marker, { pointerId: 2, clientX: 10, clientY: 10 });
    fireEvent.pointerMove(box, { pointerId: 2, clientX: 60, clientY: 40 });
    fireEvent.pointerUp(box, { pointerId: 2, clientX: 60, clientY: 40 });
    expect(onSelect).not.toHaveBeenCalled();
  });
});
