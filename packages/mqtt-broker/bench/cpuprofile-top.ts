// Summarise a .cpuprofile: self time per function (and per file), top N.
//   node --import tsx bench/cpuprofile-top.ts FILE [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}
const prof = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as { nodes: Node[]; samples: number[] };
const total = prof.samples.length;
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const n of prof.nodes) {
  const url = n.callFrame.url
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^file:\/\/\/work\/main\//, '');
  const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
  const file = url.split('/').slice(0, 2).join('/') || n.callFrame.functionName;
  byFile.set(file, (byFile.get(file) ?? 0) + n.hitCount);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
const n = Number(process.argv[3] ?? 30);
process.stdout.write(
  `samples: ${total}\n-- by function (self) --\n${top(byFn, n)}\n-- by package/file --\n${top(byFile, 15)}\n`,
);
