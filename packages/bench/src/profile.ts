// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per package (aedes,
// mqtt-packet, kafkajs, the Seaway packages, node core, GC), computed from samples and timeDeltas.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Busy time: total minus (idle). */
  busyMs: number;
  byPackage: { package: string; ms: number; percentOfBusy: number }[];
  /** Self time of node core and native frames (socket writes, Buffer copies) charged to the nearest package frame that called them. */
  byCallerPackage: { package: string; ms: number; percentOfBusy: number }[];
  topFunctions: { fn: string; package: string; where: string; ms: number; percentOfBusy: number }[];
}

/** Which package a script URL belongs to. */
export function packageOf(url: string, fn: string): string {
  if (!url) {
    if (fn === '(garbage collector)') return 'gc';
    if (fn === '(idle)') return 'idle';
    if (fn === '(program)') return 'program';
    return 'native';
  }
  if (url.startsWith('node:')) return 'node core';
  const nm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1] as string;
  const ws = /packages\/([^/]+)\//.exec(url);
  if (ws) return `@seaway/${ws[1]}`;
  return 'other';
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const caller = new Map<string, number>();
  const pkg = new Map<string, number>();
  const fns = new Map<string, { fn: string; package: string; where: string; us: number }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    const pk = packageOf(url, name);
    total += us;
    if (pk === 'idle') {
      idle += us;
      continue;
    }
    pkg.set(pk, (pkg.get(pk) ?? 0) + us);
    let owner = pk;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (f?.url && !f.url.startsWith('node:')) {
        owner = packageOf(f.url, f.functionName);
        break;
      }
    }
    caller.set(owner, (caller.get(owner) ?? 0) + us);
    const where = url ? `${url.replace(/^.*\/(node_modules|packages)\//, '')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const e = fns.get(key) ?? { fn: name, package: pk, where, us: 0 };
    e.us += us;
    fns.set(key, e);
  }
  const busy = total - idle;
  const pct = (us: number) => Math.round((us / Math.max(busy, 1)) * 1000) / 10;
  return {
    file,
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    byPackage: [...pkg]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ package: k, ms: Math.round(us / 1000), percentOfBusy: pct(us) })),
    byCallerPackage: [...caller]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ package: k, ms: Math.round(us / 1000), percentOfBusy: pct(us) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({
        fn: f.fn,
        package: f.package,
        where: f.where,
        ms: Math.round(f.us / 1000),
        percentOfBusy: pct(f.us),
      })),
  };
}
