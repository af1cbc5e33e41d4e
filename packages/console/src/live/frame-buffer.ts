// Frames arrive once a second per hop; rendering on every frame is wasteful when several arrive
// together (reconnect, tab back in focus). Frames go into a buffer held in a ref and are flushed
// to React state on a timer, into a capped sliding window.

export class FrameBuffer<T> {
  private pending: T[] = [];
  private window: T[] = [];

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('FrameBuffer capacity must be at least 1');
  }

  push(frame: T): void {
    this.pending.push(frame);
    // Never hold more than a window's worth even if flushes stop (hidden tab).
    if (this.pending.length > this.capacity) this.pending.splice(0, this.pending.length - this.capacity);
  }

  /** A new window array when frames were pending, else null (so state does not change). */
  flush(): T[] | null {
    if (this.pending.length === 0) return null;
    const next = this.window.concat(this.pending);
    this.pending = [];
    this.window = next.length > this.capacity ? next.slice(next.length - this.capacity) : next;
    return this.window;
  }

  /**
   * Frames from before the socket opened (the server's history), oldest first: they go in front of
   * what the window holds, frames at or after the window's first timestamp are dropped as duplicates.
   */
  seed(older: T[], ts: (f: T) => number): T[] {
    const first = this.window[0] ?? this.pending[0];
    const keep = first === undefined ? older : older.filter((f) => ts(f) < ts(first));
    const next = keep.concat(this.window);
    this.window = next.length > this.capacity ? next.slice(next.length - this.capacity) : next;
    return this.window;
  }

  get size(): number {
    return this.window.length;
  }
}
