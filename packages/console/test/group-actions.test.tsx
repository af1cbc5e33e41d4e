import type { ConsumerGroup } from '@seaway/contracts';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { clearQueryCache } from '../src/api/query.ts';
import { resetBody } from '../src/pages/GroupActions.tsx';
import { GroupsPage, isInternalGroup } from '../src/pages/GroupsPage.tsx';
import type { Route } from '../src/router.ts';

const group = (groupId: string, members = 0): ConsumerGroup =>
  ({
    groupId,
    state: members ? 'Stable' : 'Empty',
    protocolType: 'consumer',
    members: Array.from({ length: members }, (_, i) => ({
      memberId: `m${i}`,
      clientId: `c${i}`,
      host: '/127.0.0.1',
      assignments: [],
    })),
    offsets: [{ topic: 'ais', partition: 0, committed: '8', high: '10', lag: 2 }],
    totalLag: 2,
  }) as unknown as ConsumerGroup;

const route = (query: string): Route => ({ segments: ['groups'], query: new URLSearchParams(query) }) as Route;

let calls: { url: string; method: string; body?: string }[] = [];
let groups: ConsumerGroup[] = [];
beforeEach(() => {
  clearQueryCache();
  calls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body as string | undefined });
    if (url === '/api/consumer-groups') return new Response(JSON.stringify({ groups }));
    const body = JSON.parse(String(init.body));
    return new Response(
      JSON.stringify({
        groupId: 'app',
        topic: body.topic,
        dryRun: body.dryRun,
        partitions: [{ partition: 0, current: '8', next: '5' }],
      }),
    );
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

test('the reset body names what is missing instead of sending a bad request', () => {
  expect(resetBody('ais', 'earliest', '', true)).toEqual({ topic: 'ais', to: 'earliest', dryRun: true });
  expect(resetBody('ais', 'shift', '-3', false)).toEqual({ topic: 'ais', to: 'shift', value: -3, dryRun: false });
  expect(resetBody('ais', 'shift', 'three', true)).toMatch(/whole number/);
  expect(resetBody('ais', 'timestamp', '2026-12-03T07:00:00Z', true)).toEqual({
    topic: 'ais',
    to: 'timestamp',
    value: Date.parse('2026-12-03T07:00:00Z'),
    dryRun: true,
  });
  expect(resetBody('ais', 'timestamp', 'yesterday', true)).toMatch(/not a date/);
  expect(resetBody('', 'latest', '', true)).toBe('Pick a topic.');
});

test('the schema registry’s group is internal, an application group is not', () => {
  expect(isInternalGroup({ groupId: 'seaway-schema-registry-0b6e' })).toBe(true);
  expect(isInternalGroup({ groupId: '__consumer_offsets_reader' })).toBe(true);
  expect(isInternalGroup({ groupId: 'position-readers' })).toBe(false);
  expect(isInternalGroup({ groupId: 'position-readers', internal: true })).toBe(true);
});

test('internal groups are hidden until asked for, and the list says how many', async () => {
  groups = [group('seaway-schema-registry-1')];
  render(<GroupsPage route={route('')} />);
  await screen.findByText(/1 internal group is hidden/);
  cleanup();
  render(<GroupsPage route={route('internal=1')} />);
  await screen.findByText(/seaway-schema-registry-1/);
});

test('a dry run is posted first and shows the plan; Apply posts dryRun false', async () => {
  groups = [group('app')];
  render(<GroupsPage route={route('open=app')} />);
  fireEvent.change(await screen.findByLabelText('Reset to'), { target: { value: 'shift' } });
  fireEvent.change(screen.getByLabelText('Shift by N'), { target: { value: '-3' } });
  fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
  await screen.findByText('Dry run: nothing changed yet');
  expect(JSON.parse(calls.at(-1)?.body ?? '')).toEqual({ topic: 'ais', to: 'shift', value: -3, dryRun: true });
  fireEvent.click(screen.getByRole('button', { name: 'Apply reset' }));
  await waitFor(() =>
    expect(JSON.parse(calls.filter((c) => c.method === 'POST').at(-1)?.body ?? '').dryRun).toBe(false),
  );
  expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual([
    '/api/consumer-groups/app/reset-offsets',
    '/api/consumer-groups/app/reset-offsets',
  ]);
});

test('a group with members offers no reset or delete and says why', async () => {
  groups = [group('busy', 2)];
  render(<GroupsPage route={route('open=busy')} />);
  await screen.findByText(/stop its 2 consumers first/);
  expect(screen.queryByRole('button', { name: 'Delete group' })).toBeNull();
});
