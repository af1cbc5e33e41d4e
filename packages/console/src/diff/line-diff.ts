// Line diff (longest common subsequence) for comparing schema versions side by side. Schemas are
// small (hundreds of lines), so the O(n*m) table is fine; above MAX_CELLS it degrades to a plain
// paired listing rather than freezing the tab.

export type DiffOp = 'same' | 'add' | 'del';
export interface DiffLine {
  op: DiffOp;
  left: string | null;
  right: string | null;
  leftNo: number | null;
  rightNo: number | null;
}

const MAX_CELLS = 4_000_000;

export function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) {
    return Array.from({ length: Math.max(n, m) }, (_, i) => ({
      op: a[i] === b[i] ? 'same' : a[i] === undefined ? 'add' : b[i] === undefined ? 'del' : 'add',
      left: a[i] ?? null,
      right: b[i] ?? null,
      leftNo: i < n ? i + 1 : null,
      rightNo: i < m ? i + 1 : null,
    }));
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: 'same', left: a[i]!, right: b[j]!, leftNo: i + 1, rightNo: j + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ op: 'add', left: null, right: b[j]!, leftNo: null, rightNo: j + 1 });
      j++;
    } else {
      out.push({ op: 'del', left: a[i]!, right: null, leftNo: i + 1, rightNo: null });
      i++;
    }
  }
  return out;
}

/** Schemas are compared pretty-printed so that formatting differences do not show up as changes. */
export function prettySchema(text: string): string[] {
  try {
    return JSON.stringify(JSON.parse(text), null, 2).split('\n');
  } catch {
    return text.split('\n');
  }
}

export interface DiffRow {
  left: { no: number; text: string; op: DiffOp } | null;
  right: { no: number; text: string; op: DiffOp } | null;
}

/** Pair deletions with following additions so changed lines sit side by side. */
export function sideBySide(lines: DiffLine[]): DiffRow[] {
  const rows: DiffRow[] = [];
  let k = 0;
  while (k < lines.length) {
    const l = lines[k]!;
    if (l.op === 'same') {
      rows.push({
        left: { no: l.leftNo!, text: l.left!, op: 'same' },
        right: { no: l.rightNo!, text: l.right!, op: 'same' },
      });
      k++;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    while (k < lines.length && lines[k]!.op !== 'same') {
      const x = lines[k]!;
      (x.op === 'del' ? dels : adds).push(x);
      k++;
    }
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      const d = dels[i];
      const a = adds[i];
      rows.push({
        left: d ? { no: d.leftNo!, text: d.left!, op: 'del' } : null,
        right: a ? { no: a.rightNo!, text: a.right!, op: 'add' } : null,
      });
    }
  }
  return rows;
}
