import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { request } from '../src/api/http.ts';
import { clearQueryCache, useQuery } from '../src/api/query.ts';
import { QueryView } from '../src/components/States.tsx';
import { href, parseRoute } from '../src/router.ts';

afterEach(() => {
  cleanup();
  clearQueryCache();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('deep links', () => {
  test('a topic name with slashes and spaces survives the URL', () => {
    const url = href(['topics', 'a/b c'], { tab: 'messages', partition: 0, from: 'offset', offset: 42, empty: '' });
    expect(url).toBe('/topics/a%2Fb%20c?tab=messages&partition=0&from=offset&offset=42');
    const r = parseRoute(url);
    expect(r.segments).toEqual(['topics', 'a/b c']);
    expect(r.query.get('offset')).toBe('42');
    expect(r.query.has('empty')).toBe(false);
  });
});

function Probe({ timeoutMs }: { timeoutMs: number }) {
  const q = useQuery(['probe'], (signal) => request('/api/slow', null, { signal, timeoutMs }));
  return (
    <QueryView q={q} what="the probe">
      {() => <p>loaded</p>}
    </QueryView>
  );
}

describe('loading states', () => {
  test('a request that never answers ends in an error with a retry, not an endless spinner', async () => {
    vi.stubGlobal(
      'fetch',
      (_u: string, init: RequestInit) =>
        new Promise((_res, rej) =>
          init.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError'))),
        ),
    );
    render(<Probe timeoutMs={50} />);
    expect(screen.getByRole('status').textContent).toMatch(/Loading the probe/);
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/No answer from \/api\/slow/);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  test('an answer replaces the loading state', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 200 }));
    render(<Probe timeoutMs={1000} />);
    expect(await screen.findByText('loaded')).toBeTruthy();
  });
});
