// The one WebSocket to /ws. Frames are validated with contracts, buffered in a ref, flushed to state
// every flushMs into a capped window; the socket reconnects with exponential backoff and the status
// says honestly when data is not flowing.
import {
  type MetricsFrame,
  MetricsHistoryResponse,
  ServerFrame,
  type TailErrorFrame,
  type TailFrame,
} from '@seaway/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FrameBuffer } from './frame-buffer.ts';

export type LiveStatus = 'connecting' | 'open' | 'stale' | 'disconnected';

export interface LiveState {
  frames: MetricsFrame[];
  status: LiveStatus;
  /** When the socket is down: ms until the next attempt. */
  retryInMs: number | null;
  /** Frames that failed validation since the page loaded. */
  rejected: number;
  /**
   * Follow a topic's new records over this socket (one topic at a time: a new subscription replaces
   * the previous one). Re-sent after every reconnect. Returns the unsubscribe function.
   */
  subscribeTail: (topic: string, onFrame: (f: TailFrame | TailErrorFrame) => void) => () => void;
  /**
   * Live updates held: charts and rates stay as they are while frames keep arriving into the
   * (capped) buffer; on resume they show everything received meanwhile.
   */
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

export type TailListener = { topic: string; onFrame: (f: TailFrame | TailErrorFrame) => void };

export interface LiveOptions {
  url?: string;
  /** Frames kept: 900 at 1 Hz is fifteen minutes, as much as the server keeps. */
  windowSize?: number;
  /** Where the server's kept frames come from (null: start empty). */
  historyUrl?: string | null;
  flushMs?: number;
  /** No frame for this long on an open socket: status "stale". */
  staleMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

export function defaultWsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}

export function backoffMs(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
}

export function useLiveMetrics(o: LiveOptions = {}): LiveState {
  const windowSize = o.windowSize ?? 900;
  const historyUrl = o.historyUrl === undefined ? '/api/metrics/history' : o.historyUrl;
  const flushMs = o.flushMs ?? 200;
  const staleMs = o.staleMs ?? 5_000;
  const buffer = useRef(new FrameBuffer<MetricsFrame>(windowSize));
  const [frames, setFrames] = useState<MetricsFrame[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [paused, setPausedState] = useState(false);
  const pausedRef = useRef(false);
  const setPaused = useCallback((p: boolean) => {
    pausedRef.current = p;
    setPausedState(p);
  }, []);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const rejected = useRef(0);
  const lastFrameAt = useRef(0);
  const socket = useRef<WebSocket | null>(null);
  const tail = useRef<TailListener | null>(null);
  const sendJson = useCallback((msg: unknown) => {
    const ws = socket.current;
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(msg));
  }, []);
  const subscribeTail = useCallback(
    (topic: string, onFrame: TailListener['onFrame']) => {
      const me: TailListener = { topic, onFrame };
      tail.current = me;
      sendJson({ type: 'tail', topic });
      return () => {
        if (tail.current !== me) return;
        tail.current = null;
        sendJson({ type: 'untail' });
      };
    },
    [sendJson],
  );

  useEffect(() => {
    const WS = o.WebSocketImpl ?? WebSocket;
    const url = o.url ?? defaultWsUrl();
    let ws: WebSocket | null = null;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const connect = () => {
      setStatus('connecting');
      setRetryAt(null);
      try {
        ws = new WS(url);
      } catch {
        scheduleRetry();
        return;
      }
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        if (tail.current) ws?.send(JSON.stringify({ type: 'tail', topic: tail.current.topic }));
        lastFrameAt.current = Date.now();
        setStatus('open');
      };
      ws.onmessage = (ev: MessageEvent) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(ev.data));
        } catch {
          rejected.current++;
          return;
        }
        const r = ServerFrame.safeParse(parsed);
        if (!r.success) {
          rejected.current++;
          return;
        }
        lastFrameAt.current = Date.now();
        if (r.data.type === 'metrics') buffer.current.push(r.data);
        else if (tail.current && r.data.topic === tail.current.topic) tail.current.onFrame(r.data);
      };
      ws.onclose = () => {
        ws = null;
        socket.current = null;
        if (!closed) scheduleRetry();
      };
      ws.onerror = () => {
        // onclose follows and schedules the retry.
      };
    };
    const scheduleRetry = () => {
      const wait = backoffMs(attempt++);
      const t = Date.now();
      setStatus('disconnected');
      setNow(t);
      setRetryAt(t + wait);
      retryTimer = setTimeout(connect, wait);
    };
    connect();
    // The minutes before this page loaded, so charts start full; live frames already in win.
    const history = new AbortController();
    if (historyUrl) {
      fetch(historyUrl, { signal: history.signal })
        .then((r) => (r.ok ? r.json() : null))
        .then((j) => {
          const h = j === null ? null : MetricsHistoryResponse.safeParse(j);
          if (h?.success && h.data.frames.length) setFrames(buffer.current.seed(h.data.frames, (f) => f.ts));
        })
        .catch(() => {
          // no history (older server, offline): the charts fill from live frames
        });
    }

    const flush = setInterval(() => {
      const next = pausedRef.current ? null : buffer.current.flush();
      if (next) setFrames(next);
      const t = Date.now();
      setNow(t);
      setStatus((s) => {
        if (s === 'open' && t - lastFrameAt.current > staleMs) return 'stale';
        if (s === 'stale' && t - lastFrameAt.current <= staleMs) return 'open';
        return s;
      });
    }, flushMs);

    return () => {
      closed = true;
      history.abort();
      clearTimeout(retryTimer);
      clearInterval(flush);
      if (ws) {
        ws.onclose = null;
        ws.close();
      }
    };
  }, [o.url, o.WebSocketImpl, flushMs, staleMs, historyUrl]);

  return {
    frames,
    status,
    retryInMs: retryAt === null ? null : Math.max(0, retryAt - now),
    rejected: rejected.current,
    subscribeTail,
    paused,
    setPaused,
  };
}
