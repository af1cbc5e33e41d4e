import { describe, expect, test } from 'vitest';
import { FrameBuffer } from '../src/live/frame-buffer.ts';

describe('FrameBuffer', () => {
  test("the server's history goes in front of live frames, without duplicates, within the cap", () => {
    const b = new FrameBuffer<number>(5);
    b.push(10);
    b.push(11);
    b.flush();
    expect(b.seed([6, 7, 8, 9, 10, 11], (x) => x)).toEqual([7, 8, 9, 10, 11]);
    const empty = new FrameBuffer<number>(4);
    expect(empty.seed([1, 2], (x) => x)).toEqual([1, 2]);
  });

  test('flush returns null when nothing arrived, so state does not change', () => {
    const b = new FrameBuffer<number>(3);
    expect(b.flush()).toBeNull();
  });

  test('frames pushed between flushes appear together in one new window', () => {
    const b = new FrameBuffer<number>(10);
    b.push(1);
    b.push(2);
    const w1 = b.flush();
    expect(w1).toEqual([1, 2]);
    b.push(3);
    const w2 = b.flush();
    expect(w2).toEqual([1, 2, 3]);
    expect(w2).not.toBe(w1);
  });

  test('the window is capped and keeps the newest frames', () => {
    const b = new FrameBuffer<number>(3);
    for (let i = 1; i <= 5; i++) b.push(i);
    expect(b.flush()).toEqual([3, 4, 5]);
    b.push(6);
    expect(b.flush()).toEqual([4, 5, 6]);
    expect(b.size).toBe(3);
  });

  test('pending frames are bounded even when nobody flushes', () => {
    const b = new FrameBuffer<number>(2);
    for (let i = 0; i < 1000; i++) b.push(i);
    expect(b.flush()).toEqual([998, 999]);
  });

  test('a capacity below 1 is refused', () => {
    expect(() => new FrameBuffer(0)).toThrow(/capacity/);
  });
});
