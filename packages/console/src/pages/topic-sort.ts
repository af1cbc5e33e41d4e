// Sorting the topic list by a column (the URL keeps ?sort=&desc=1). Unknown values (a topic deleted
// mid-listing has no record count) sort last in both directions; ties fall back to the name.
import type { TopicSummary } from '@seaway/contracts';

export const SORT_KEYS = ['name', 'partitions', 'records', 'bytes', 'rate'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const parseSortKey = (s: string | null): SortKey =>
  s && (SORT_KEYS as readonly string[]).includes(s) ? (s as SortKey) : 'name';

export function sortTopics(
  topics: readonly TopicSummary[],
  key: SortKey,
  desc: boolean,
  rates: ReadonlyMap<string, number>,
): TopicSummary[] {
  const value = (t: TopicSummary): number | undefined =>
    key === 'partitions' ? t.partitions : key === 'records' ? t.records : key === 'bytes' ? t.bytes : rates.get(t.name);
  const byName = (a: TopicSummary, b: TopicSummary) => a.name.localeCompare(b.name);
  return [...topics].sort((a, b) => {
    if (key === 'name') return desc ? byName(b, a) : byName(a, b);
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) return va === vb ? byName(a, b) : va === undefined ? 1 : -1;
    return va === vb ? byName(a, b) : desc ? vb - va : va - vb;
  });
}
