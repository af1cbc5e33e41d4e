import { describe, expect, test } from 'vitest';
import { parseSortKey, sortTopics } from '../src/pages/topic-sort.ts';

const topics = [
  { name: 'b', partitions: 3, internal: false, records: 10, bytes: 500 },
  { name: 'a', partitions: 1, internal: false, records: 10, bytes: 900 },
  { name: 'gone', partitions: 1, internal: false },
  { name: 'c', partitions: 2, internal: false, records: 2, bytes: 100 },
];
const names = (t: { name: string }[]) => t.map((x) => x.name);

describe('sorting the topic list', () => {
  test('by name A to Z, and Z to A', () => {
    expect(names(sortTopics(topics, 'name', false, new Map()))).toEqual(['a', 'b', 'c', 'gone']);
    expect(names(sortTopics(topics, 'name', true, new Map()))).toEqual(['gone', 'c', 'b', 'a']);
  });
  test('by records, ties broken by name, a topic without a count last either way', () => {
    expect(names(sortTopics(topics, 'records', true, new Map()))).toEqual(['a', 'b', 'c', 'gone']);
    expect(names(sortTopics(topics, 'records', false, new Map()))).toEqual(['c', 'a', 'b', 'gone']);
  });
  test('by size and by rate (rates come from outside the listing)', () => {
    expect(names(sortTopics(topics, 'bytes', true, new Map()))).toEqual(['a', 'b', 'c', 'gone']);
    const rates = new Map([
      ['c', 5],
      ['b', 1],
    ]);
    expect(names(sortTopics(topics, 'rate', true, rates))).toEqual(['c', 'b', 'a', 'gone']);
  });
  test('an unknown ?sort= falls back to the name', () => {
    expect(parseSortKey('drop table')).toBe('name');
    expect(parseSortKey(null)).toBe('name');
    expect(parseSortKey('bytes')).toBe('bytes');
  });
});
