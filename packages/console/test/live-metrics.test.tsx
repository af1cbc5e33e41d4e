import type { MetricsFrame } from '@seaway/contracts';
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { backoffMs, useLiveMetrics } from '../src/live/useLiveMetrics.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.();
  }
  send(data: unknown) {
    this.onmessage?.({ data: JSON.stringify(data) });
  }
  drop() {
    this.onclose?.();
  }
}

const hop = (n: number) => ({ messages: n, bytes: n * 10, messagesPerSec: n, bytesPerSec: n * 10 });
const frame = (ts: number): MetricsFrame => ({
  type: 'metrics',
  ts,
  hops: { generator: hop(ts), mqtt: hop(ts), bridge: hop(ts), kafka: hop(ts) },
  mqttClients: 1,
});

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const setup = (windowSize = 5) =>
  renderHook(() =>
    useLiveMetrics({
      url: 'ws://test/ws',
      windowSize,
      flushMs: 200,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    }),
  );

describe('useLiveMetrics', () => {
  test('frames reach state only at the next flush, in one update', () => {
    const { result } = setup();
    const ws = FakeSocket.all[0]!;
    act(() => {
      ws.open();
      ws.send(frame(1));
      ws.send(frame(2));
    });
    expect(result.current.frames).toHaveLength(0);
    expect(result.current.status).toBe('open');
    act(() => {
      vi.advanceTimersByTime(200);
    });
    expect(result.current.frames.map((f) => f.ts)).toEqual([1, 2]);
  });

  test('the window slides: only the newest windowSize frames are kept', () => {
    const { result } = setup(3);
    const ws = FakeSocket.all[0]!;
    act(() => {
      ws.open();
      for (let i = 1; i <= 7; i++) ws.send(frame(i));
      vi.advanceTimersByTime(200);
    });
    expect(result.current.frames.map((f) => f.ts)).toEqual([5, 6, 7]);
  });

  test('frames that fail the contract are counted and dropped', () => {
    const { result } = setup();
    const ws = FakeSocket.all[0]!;
    act(() => {
      ws.open();
      ws.send({ type: 'metrics', ts: 1, hops: {} });
      ws.onmessage?.({ data: 'not json' });
      ws.send(frame(3));
      vi.advanceTimersByTime(200);
    });
    expect(result.current.frames.map((f) => f.ts)).toEqual([3]);
    expect(result.current.rejected).toBe(2);
  });

  test('a dropped socket shows disconnected and reconnects after the backoff', () => {
    const { result } = setup();
    act(() => {
      FakeSocket.all[0]!.open();
      FakeSocket.all[0]!.drop();
    });
    expect(result.current.status).toBe('disconnected');
    expect(result.current.retryInMs).toBe(backoffMs(0));
    act(() => {
      vi.advanceTimersByTime(backoffMs(0));
    });
    expect(FakeSocket.all).toHaveLength(2);
    expect(result.current.status).toBe('connecting');
    act(() => {
      FakeSocket.all[1]!.drop();
    });
    expect(result.current.retryInMs).toBe(backoffMs(1));
  });

  test('an open socket without frames for staleMs is reported stale, then live again', () => {
    const { result } = setup();
    const ws = FakeSocket.all[0]!;
    act(() => ws.open());
    act(() => {
      vi.advanceTimersByTime(5_400);
    });
    expect(result.current.status).toBe('stale');
    act(() => {
      ws.send(frame(1));
      vi.advanceTimersByTime(200);
    });
    expect(result.current.status).toBe('open');
  });

  test('unmounting closes the socket and stops reconnecting', () => {
    const { unmount } = setup();
    const ws = FakeSocket.all[0]!;
    unmount();
    expect(ws.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  test('backoff doubles and is capped at 10 s', () => {
    expect([0, 1, 2, 3, 10].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
});
