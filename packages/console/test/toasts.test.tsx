import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { Toaster, toast } from '../src/components/Toasts.tsx';

afterEach(cleanup);

test('an action toast shows, goes away by itself, and a click dismisses it sooner', () => {
  vi.useFakeTimers();
  try {
    const { queryByText, getByText } = render(<Toaster />);
    act(() => toast('Paused ships'));
    expect(getByText('Paused ships').className).toContain('toast-ok');
    act(() => vi.advanceTimersByTime(4_100));
    expect(queryByText('Paused ships')).toBeNull();
    act(() => toast('ships: Connector ships not found', 'bad'));
    fireEvent.click(getByText('ships: Connector ships not found'));
    expect(queryByText('ships: Connector ships not found')).toBeNull();
  } finally {
    vi.useRealTimers();
  }
});

test('at most five toasts stay on screen', () => {
  const { container } = render(<Toaster />);
  act(() => {
    for (let i = 0; i < 8; i++) toast(`restart ${i}`);
  });
  const shown = [...container.querySelectorAll('.toast')].map((b) => b.textContent);
  expect(shown).toEqual(['restart 3', 'restart 4', 'restart 5', 'restart 6', 'restart 7']);
});
