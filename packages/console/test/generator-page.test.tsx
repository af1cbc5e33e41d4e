import type { GeneratorRunInfo } from '@seaway/contracts';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { clearQueryCache } from '../src/api/query.ts';
import { GeneratorPage } from '../src/pages/GeneratorPage.tsx';

const params = {
  messages: 1000,
  workers: 2,
  inflight: 1,
  rate: 0,
  format: 'avro' as const,
  qos: 1 as const,
  origin: '/ais',
  fleet: 300,
  duration: 0,
};
const run = (over: Partial<GeneratorRunInfo>): GeneratorRunInfo => ({
  id: 'aaaaaaaa-1111',
  state: 'running',
  params,
  startedAt: 1,
  endedAt: null,
  progress: { messages: 250, sent: 260, errors: 0, target: 1000, seconds: 1, msgPerSec: 250 },
  summary: null,
  error: null,
  ...over,
});

let calls: { url: string; method: string; body?: string }[] = [];
let runs: GeneratorRunInfo[] = [];

beforeEach(() => {
  clearQueryCache();
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body as string | undefined });
    if (url === '/api/generator/runs' && (init.method ?? 'GET') === 'GET')
      return new Response(JSON.stringify({ runs, mqttUrl: 'tcp://127.0.0.1:1883', maxConcurrent: 2 }));
    if (url === '/api/generator/runs' && init.method === 'POST')
      return new Response(JSON.stringify(run({ id: 'bbbbbbbb-2222', state: 'preparing' })), { status: 201 });
    return new Response(JSON.stringify(run({ state: 'stopping' })), { status: 202 });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

test('a live run shows its progress and stops with DELETE', async () => {
  runs = [run({})];
  render(<GeneratorPage />);
  await screen.findByText(/250 \/ 1,000/);
  fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/generator/runs/aaaaaaaa-1111');
});

test('a finished run shows the closing summary with PUBACK percentiles', async () => {
  runs = [
    run({
      state: 'done',
      summary: {
        messages: 1000,
        sent: 1000,
        errors: 0,
        bytes: 1,
        seconds: 1,
        msgPerSec: 1000,
        latencyMs: { p50: 1.5, p99: 9.25, max: 20 },
        lastError: null,
      },
    }),
  ];
  render(<GeneratorPage />);
  await screen.findByText('1.5 / 9.25');
  expect(screen.getByRole('button', { name: 'Remove' })).toBeTruthy();
});

test('the form posts the parameters; starting is refused in the UI when two runs are live', async () => {
  runs = [];
  render(<GeneratorPage />);
  await screen.findByText(/No runs yet/);
  fireEvent.change(screen.getByLabelText('Workers'), { target: { value: '16' } });
  fireEvent.click(screen.getByRole('button', { name: 'Start run' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
  expect(JSON.parse(calls.find((c) => c.method === 'POST')!.body!)).toMatchObject({
    workers: 16,
    qos: 1,
    origin: '/ais',
  });
  cleanup();
  clearQueryCache();
  runs = [run({ id: 'x1' }), run({ id: 'x2' })];
  render(<GeneratorPage />);
  await screen.findAllByText(/250 \/ 1,000/);
  expect((screen.getByRole('button', { name: 'Start run' }) as HTMLButtonElement).disabled).toBe(true);
});
