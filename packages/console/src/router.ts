// History routing: the URL holds the page, the topic and the filters, so every view is a deep link.
// navigate() pushes, setQuery() replaces (filters typed into a box should not flood history).
import { type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(cb: () => void) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}
const snapshot = () => location.pathname + location.search;

export interface Route {
  /** Decoded path segments: /topics/a%2Fb -> ['topics', 'a/b']. */
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(pathAndSearch: string): Route {
  const u = new URL(pathAndSearch, 'http://x');
  const segments = u.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query: u.searchParams };
}

export function useRoute(): Route {
  const s = useSyncExternalStore(subscribe, snapshot);
  return parseRoute(s);
}

/** Build a path from segments and query, dropping empty query values. */
export function href(segments: string[], query: Record<string, string | number | null | undefined> = {}): string {
  const path = `/${segments.map(encodeURIComponent).join('/')}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export function navigate(to: string, replace = false): void {
  if (to === snapshot()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
  if (!replace) window.scrollTo?.(0, 0);
}

/** Update some query parameters of the current URL (replace, not push). */
export function setQuery(changes: Record<string, string | number | null | undefined>, push = false): void {
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, String(v));
  }
  navigate(u.pathname + u.search, !push);
}

/** onClick for <a href>: client-side navigation unless the user wants a new tab. */
export function linkClick(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.currentTarget;
  if (a.target && a.target !== '_self') return;
  const url = new URL(a.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}
