import type { TopicMessage } from '@seaway/contracts';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { LiveProvider } from '../src/live/LiveContext.tsx';
import { useTail } from '../src/live/useTail.ts';
import { connectorRates } from '../src/pages/connector-rates.ts';

class FakeWs {
  static all: FakeWs[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWs.all.push(this);
  }
  send(d: string) {
    this.sent.push(JSON.parse(d));
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  server(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const rec = (i: number): TopicMessage => ({
  partition: 0,
  offset: String(i),
  timestamp: i,
  key: null,
  value: null,
  headers: [],
  size: 0,
});

let seen: { offsets: string[]; dropped: number; acked: boolean } = { offsets: [], dropped: 0, acked: false };
function Viewer({ topic, on = true }: { topic: string; on?: boolean }) {
  const t = useTail(topic, on, 5);
  seen = { offsets: t.records.map((r) => r.offset), dropped: t.dropped, acked: t.acked };
  return null;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWs.all = [];
  vi.stubGlobal('WebSocket', FakeWs);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

test('tail frames are buffered and flushed every 200 ms into a capped window', () => {
  render(
    <LiveProvider>
      <Viewer topic="t" />
    </LiveProvider>,
  );
  const ws = FakeWs.all[0]!;
  act(() => ws.open());
  expect(ws.sent).toContainEqual({ type: 'tail', topic: 't' });
  expect(seen.acked).toBe(false);
  act(() => ws.server({ type: 'tail', topic: 't', records: [], dropped: 0 }));
  expect(seen.acked).toBe(true);
  act(() => {
    ws.server({ type: 'tail', topic: 't', records: [rec(1), rec(2), rec(3)], dropped: 0 });
    ws.server({ type: 'tail', topic: 't', records: [rec(4), rec(5), rec(6), rec(7)], dropped: 10 });
    ws.server({ type: 'tail', topic: 'other', records: [rec(99)], dropped: 0 });
  });
  expect(seen.offsets).toEqual([]);
  act(() => vi.advanceTimersByTime(200));
  expect(seen.offsets).toEqual(['3', '4', '5', '6', '7']);
  expect(seen.dropped).toBe(10);
});

test('the tail is re-requested after a reconnect and released on unmount', () => {
  const { rerender } = render(
    <LiveProvider>
      <Viewer topic="t" />
    </LiveProvider>,
  );
  act(() => FakeWs.all[0]!.open());
  act(() => FakeWs.all[0]!.onclose?.());
  act(() => vi.advanceTimersByTime(1_000));
  const second = FakeWs.all[1]!;
  act(() => second.open());
  expect(second.sent).toEqual([{ type: 'tail', topic: 't' }]);
  rerender(
    <LiveProvider>
      <Viewer topic="t" on={false} />
    </LiveProvider>,
  );
  expect(second.sent.at(-1)).toEqual({ type: 'untail' });
});

test('connector rates come from two polls; a counter reset gives no rate', () => {
  const c = (messagesIn: number, deadLettered = 0) => ({
    name: 'ais',
    state: 'RUNNING',
    messagesIn,
    recordsOut: messagesIn,
    bytesOut: messagesIn * 100,
    deadLettered,
    inFlight: 0,
    produceLatencyMs: 3,
    tasks: [],
  });
  const a = { available: true, ts: 1_000, connectors: [c(100)] };
  const b = { available: true, ts: 3_000, connectors: [c(300, 4)] };
  expect(connectorRates(undefined, a).get('ais')?.messagesInPerSec).toBeNull();
  const r = connectorRates(a, b).get('ais')!;
  expect(r.messagesInPerSec).toBe(100);
  expect(r.bytesOutPerSec).toBe(10_000);
  expect(r.deadLetteredPerSec).toBe(2);
  expect(connectorRates(b, { ...a, ts: 5_000 }).get('ais')?.recordsOutPerSec).toBeNull();
});
