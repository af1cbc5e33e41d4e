// The live tail of one topic over the shared /ws socket: records arrive in server batches (at most
// 5 frames a second), go into a buffer held in a ref, and are flushed to state every flushMs into a
// capped sliding window (oldest first). `dropped` counts records the server skipped and records
// pushed out of the window.
import type { TailErrorFrame, TopicMessage } from '@seaway/contracts';
import { useEffect, useRef, useState } from 'react';
import { FrameBuffer } from './frame-buffer.ts';
import { useLive } from './LiveContext.tsx';

export interface TailState {
  records: TopicMessage[];
  /** Records the server reported as not sent (viewer too slow or batch over the cap). */
  dropped: number;
  error: TailErrorFrame | null;
}

export function useTail(topic: string, enabled: boolean, capacity: number, flushMs = 200): TailState {
  const { subscribeTail } = useLive();
  const buffer = useRef(new FrameBuffer<TopicMessage>(capacity));
  const droppedRef = useRef(0);
  const [state, setState] = useState<TailState>({ records: [], dropped: 0, error: null });

  useEffect(() => {
    if (!enabled) return;
    buffer.current = new FrameBuffer<TopicMessage>(capacity);
    droppedRef.current = 0;
    setState({ records: [], dropped: 0, error: null });
    const off = subscribeTail(topic, (f) => {
      if (f.type === 'tail-error') {
        setState((s) => ({ ...s, error: f }));
        return;
      }
      droppedRef.current += f.dropped;
      for (const r of f.records) buffer.current.push(r);
    });
    const t = setInterval(() => {
      const next = buffer.current.flush();
      if (next) setState({ records: next, dropped: droppedRef.current, error: null });
    }, flushMs);
    return () => {
      off();
      clearInterval(t);
    };
  }, [topic, enabled, capacity, flushMs, subscribeTail]);

  return enabled ? state : { records: [], dropped: 0, error: null };
}
