// Walks the route table of CONNECT-REST.md against a Connect REST endpoint over HTTP: parses every
// row, substitutes the target's placeholders, sends the request (Content-Type: application/json
// always, as curl recipes do), and checks status and answer, retrying a row for up to 15 s because
// real Connect applies most changes asynchronously. Returns one line per failing row.
import { readFileSync } from 'node:fs';

export interface WalkTarget {
  url: string;
  /** {name}, {class}, {version}, {worker}, {logger} */
  vars: Record<string, string>;
  /** What {...config} expands to. */
  config: Record<string, string>;
  /** What {offsets} expands to. */
  offsets: unknown;
}

export interface Row {
  n: number;
  method: string;
  path: string;
  body: string;
  status: number;
  answer: string;
}

const DOC = new URL('../CONNECT-REST.md', import.meta.url);

export function contractRows(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    if (!/^\|\s*\d+\s*\|/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const [n, request, body, status, answer] = cells as [string, string, string, string, string];
    const sp = request.indexOf(' ');
    rows.push({
      n: Number(n),
      method: request.slice(0, sp),
      path: request.slice(sp + 1),
      body,
      status: Number(status),
      answer,
    });
  }
  return rows;
}

function fill(text: string, t: WalkTarget): string {
  let out = text
    .replaceAll('{...config}', JSON.stringify(t.config).slice(1, -1))
    .replaceAll('{offsets}', JSON.stringify(t.offsets));
  for (const [k, v] of Object.entries(t.vars)) out = out.replaceAll(`{${k}}`, v);
  return out;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => contains(a, e)));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** Does the answer text match an expectation of the table's mini-language? */
function matches(text: string, expect: string): boolean {
  if (expect === '—') return text.trim() === '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const check = (value: unknown, e: string): boolean => {
    const at = /^at \.(\S+) (.*)$/.exec(e);
    if (at) {
      return (
        value !== null &&
        typeof value === 'object' &&
        check((value as Record<string, unknown>)[at[1] as string], at[2] as string)
      );
    }
    if (e.startsWith('= ')) return same(value, JSON.parse(e.slice(2)));
    if (e.startsWith('has ')) return contains(value, JSON.parse(e.slice(4)));
    if (e.startsWith('each keys ')) {
      const keys = e.slice(10).split(',');
      return Array.isArray(value) && value.length > 0 && value.every((x) => keys.every((k) => k in (x as object)));
    }
    if (e.startsWith('keys ')) {
      const keys = e.slice(5).split(',').sort();
      return value !== null && typeof value === 'object' && same(Object.keys(value).sort(), keys);
    }
    throw new Error(`unknown answer form: ${e}`);
  };
  return check(body, expect);
}

/** Run every row in order; returns the failures ("#n METHOD path: got …"). */
export async function walk(t: WalkTarget, rows = contractRows(), retryMs = 15_000): Promise<string[]> {
  const failures: string[] = [];
  for (const row of rows) {
    const path = fill(row.path, t);
    const body = row.body === '—' ? undefined : fill(row.body, t);
    const expect = fill(row.answer, t);
    const deadline = Date.now() + retryMs;
    let last = '';
    for (;;) {
      const res = await fetch(t.url + path, {
        method: row.method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      if (res.status === row.status && matches(text, expect)) {
        last = '';
        break;
      }
      last = `#${row.n} ${row.method} ${path}: expected ${row.status} ${expect}, got ${res.status} ${text.slice(0, 600)}`;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    if (last) failures.push(last);
  }
  return failures;
}
