// Walks CONTRACT.md: every row of its Routes table is sent, in order, to a fresh registry; the
// status must be the row's, and the answer must match (objects: the keys given; arrays: element
// by element; scalars: equal). A difference from the documented contract fails with the row's number.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type RunningSchemaRegistry, startSchemaRegistry } from '../src/index.ts';
import { backends } from './helpers.ts';

interface Row {
  n: number;
  method: string;
  path: string;
  body: string | undefined;
  status: number;
  answer: unknown;
}

const cell = (c: string) => c.trim().replace(/^`(.*)`$/s, '$1');

function rows(): Row[] {
  const text = readFileSync(new URL('../CONTRACT.md', import.meta.url), 'utf8');
  const routes = text.slice(text.indexOf('## Routes'));
  const out: Row[] = [];
  for (const line of routes.split('\n')) {
    if (!/^\|\s*\d+\s*\|/.test(line)) continue;
    // cells never contain "|" (bodies and answers are JSON without pipes); padding is trimmed
    const cells = line.trim().slice(1, -1).split('|').map(cell);
    const [n, method, path, body, status, answer] = cells;
    out.push({
      n: Number(n),
      method: method as string,
      path: path as string,
      body: body === '—' ? undefined : body,
      status: Number(status),
      answer: JSON.parse(answer as string),
    });
  }
  return out;
}

function matches(expected: unknown, actual: unknown, at: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${at}: an object`);
    for (const [k, v] of Object.entries(expected)) matches(v, (actual as Record<string, unknown>)[k], `${at}.${k}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${at}: ${expected.length} elements`);
    for (let i = 0; i < expected.length; i++) matches(expected[i], (actual as unknown[])[i], `${at}[${i}]`);
    return;
  }
  assert.deepEqual(actual, expected, at);
}

const table = rows();

test('CONTRACT.md has its rows numbered in order', () => {
  assert.equal(table.length, 70);
  assert.deepEqual(
    table.map((r) => r.n),
    table.map((_, i) => i + 1),
  );
});

for (const b of backends) {
  describe(`CONTRACT.md walked on ${b.name} storage`, { skip: b.skip }, () => {
    let r: RunningSchemaRegistry;
    before(async () => {
      r = await startSchemaRegistry({ port: 0, store: b.store(b.newLocation('walk')) });
    });
    after(() => r?.close());

    test('every row answers as documented', async () => {
      const failures: string[] = [];
      for (const row of table) {
        const res = await fetch(r.url + row.path, {
          method: row.method,
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
          ...(row.body === undefined ? {} : { body: row.body }),
        });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        try {
          assert.equal(res.status, row.status, 'status');
          matches(row.answer, body, 'answer');
        } catch (e) {
          failures.push(
            `row ${row.n} ${row.method} ${row.path}: ${(e as Error).message.split('\n')[0]} -> ${res.status} ${text.slice(0, 300)}`,
          );
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
