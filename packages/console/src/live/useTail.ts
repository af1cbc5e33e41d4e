// The live tail of one topic over the shared /ws socket: records arrive in server batches (at most
// 5 frames a second), go into a buffer held in a ref, and are flushed to state every flushMs into a
// capped sliding window (oldest first). `dropped` counts records the server skipped and records
// pushed out of the window. `acked` turns true with the server's first (empty) frame.
import type { TailErrorFrame, TopicMessage } from '@seaway/contracts';
import { useEffect, useRef, useState } from 'react';
import { FrameBuffer } from './frame-buffer.ts';
import { useLive } from './LiveContext.tsx';

export interface TailState {
  records: TopicMessage[];
  /** Records the server reported as not sent (viewer too slow or batch over the cap). */
  dropped: number;
  error: TailErrorFrame | null;
  /** The server acknowledged the subscription (false: not yet, or a server without the live tail). */
  acked: boolean;
}

const OFF: TailState = { records: [], dropped: 0, error: null, acked: false };

export function useTail(topic: string, enabled: boolean, capacity: number, flushMs = 200): TailState {
  const { subscribeTail } = useLive();
  const buffer = useRef(new FrameBuffer<TopicMessage>(capacity));
  const droppedRef = useRef(0);
  const ackedRef = useRef(false);
  const [state, setState] = useState<TailState>(OFF);

  useEffect(() => {
    if (!enabled) return;
    buffer.current = new FrameBuffer<TopicMessage>(capacity);
    droppedRef.current = 0;
    ackedRef.current = false;
    setState(OFF);
    const off = subscribeTail(topic, (f) => {
      if (f.type === 'tail-error') {
        setState((s) => ({ ...s, error: f }));
        return;
      }
      if (!ackedRef.current) {
        ackedRef.current = true;
        setState((s) => ({ ...s, acked: true }));
      }
      droppedRef.current += f.dropped;
      for (const r of f.records) buffer.current.push(r);
    });
    const t = setInterval(() => {
      const next = buffer.current.flush();
      if (next) setState({ records: next, dropped: droppedRef.current, error: null, acked: true });
    }, flushMs);
    return () => {
      off();
      clearInterval(t);
    };
  }, [topic, enabled, capacity, flushMs, subscribeTail]);

  return enabled ? state : OFF;
}
