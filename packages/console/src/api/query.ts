// A small query cache: hierarchical keys (['topics', name, 'detail']), one in-flight request per
// key, shared by every component that asks, refreshed on an interval when asked, invalidated by
// key prefix after writes.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { HttpError } from './http.ts';

export type QueryKey = readonly (string | number | boolean | null | undefined)[];

interface Entry {
  data?: unknown;
  error?: HttpError;
  loading: boolean;
  updatedAt: number;
  inflight?: Promise<void>;
  fetcher?: (signal: AbortSignal) => Promise<unknown>;
  snapshot: QueryState<unknown>;
  subs: Set<() => void>;
}

export interface QueryState<T> {
  data: T | undefined;
  error: HttpError | undefined;
  loading: boolean;
  updatedAt: number;
}

const cache = new Map<string, Entry>();
const keyOf = (k: QueryKey) => JSON.stringify(k);

function entry(key: string): Entry {
  let e = cache.get(key);
  if (!e) {
    e = {
      loading: false,
      updatedAt: 0,
      subs: new Set(),
      snapshot: { data: undefined, error: undefined, loading: false, updatedAt: 0 },
    };
    cache.set(key, e);
  }
  return e;
}

function publish(e: Entry): void {
  e.snapshot = { data: e.data, error: e.error, loading: e.loading, updatedAt: e.updatedAt };
  for (const s of e.subs) s();
}

function run(key: string): Promise<void> {
  const e = entry(key);
  if (e.inflight || !e.fetcher) return e.inflight ?? Promise.resolve();
  const ctl = new AbortController();
  e.loading = true;
  publish(e);
  e.inflight = e
    .fetcher(ctl.signal)
    .then(
      (data) => {
        e.data = data;
        e.error = undefined;
      },
      (err: unknown) => {
        e.error = err instanceof HttpError ? err : new HttpError(0, (err as Error).message ?? String(err), key);
      },
    )
    .finally(() => {
      e.loading = false;
      e.updatedAt = Date.now();
      e.inflight = undefined;
      publish(e);
    });
  return e.inflight;
}

/** Refetch every query whose key starts with `prefix`. */
export function invalidate(prefix: QueryKey): void {
  const p = keyOf(prefix).slice(0, -1);
  for (const [k, e] of cache) if (k.startsWith(p) && e.subs.size > 0) void run(k);
  for (const [k, e] of cache) if (k.startsWith(p) && e.subs.size === 0) cache.delete(k);
}

export interface QueryOptions {
  /** Refetch this often while mounted (ms). */
  refreshMs?: number;
  enabled?: boolean;
}

export function useQuery<T>(
  key: QueryKey,
  fetcher: (signal: AbortSignal) => Promise<T>,
  opts: QueryOptions = {},
): QueryState<T> & { reload: () => void } {
  const k = keyOf(key);
  const enabled = opts.enabled ?? true;
  const subscribe = useCallback(
    (cb: () => void) => {
      const e = entry(k);
      e.subs.add(cb);
      return () => e.subs.delete(cb);
    },
    [k],
  );
  const state = useSyncExternalStore(subscribe, () => entry(k).snapshot) as QueryState<T>;
  // The latest fetcher wins; it closes over the current props. A disabled query has none, so an
  // invalidation never fetches it (e.g. a version that is not chosen yet: …/versions/null).
  entry(k).fetcher = enabled ? (fetcher as (s: AbortSignal) => Promise<unknown>) : undefined;
  useEffect(() => {
    if (!enabled) return;
    const e = entry(k);
    if (e.updatedAt === 0 || Date.now() - e.updatedAt > 2_000) void run(k);
    if (!opts.refreshMs) return;
    const t = setInterval(() => void run(k), opts.refreshMs);
    return () => clearInterval(t);
  }, [k, enabled, opts.refreshMs]);
  const reload = useCallback(() => void run(k), [k]);
  return { ...state, reload };
}

/** For tests. */
export function clearQueryCache(): void {
  cache.clear();
}
