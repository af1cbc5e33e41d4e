// Child processes for the harness: spawn with captured output, wait until ready (HTTP, TCP port,
// output line), stop with SIGTERM then SIGKILL, and a registry that kills whatever is still running
// when the harness exits (normally, on an error, or on SIGINT/SIGTERM), so no run leaves processes behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { BenchError } from './errors.ts';

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or null after a signal) when the process has ended. */
  exited: Promise<number | null>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** The last ~8 KB of stderr. */
  stderrTail(): string;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const live = new Set<Proc>();
const cleanups = new Set<() => Promise<void> | void>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live)
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {}
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n[bench] ${sig}: stopping child processes\n`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** Register an async cleanup (e.g. stopping Apache Kafka) run by stopAll(). */
export function onCleanup(fn: () => Promise<void> | void): () => void {
  hookExit();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Stop every process this harness started and run the registered cleanups. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`[bench] cleanup failed: ${(err as Error).message}\n`);
    }
  }
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Called with each stderr chunk (for logs). */
  onStderr?: (s: string) => void;
}

export function spawnProc(name: string, cmd: string, args: readonly string[], o: SpawnOptions = {}): Proc {
  hookExit();
  const child = spawn(cmd, args, {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new BenchError('SEAWAY_BENCH_SPAWN', `could not start ${name} (${cmd})`);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err = (err + s).slice(-8192);
    o.onStderr?.(s);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    });
  });
  const proc: Proc = {
    name,
    pid: child.pid,
    child,
    exited,
    stdout: () => out,
    stderrTail: () => err,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(signal);
      } catch {}
      const t = setTimeout(() => {
        try {
          child.kill('SIGKILL');
        } catch {}
      }, graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  live.add(proc);
  return proc;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns true; fails with what was awaited, and the process's stderr if it died. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  proc?: Proc,
): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new BenchError(
        'SEAWAY_BENCH_NOT_READY',
        `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) while waiting for ${what}:\n${proc.stderrTail()}`,
      );
    }
    if (performance.now() - t0 > timeoutMs) {
      throw new BenchError(
        'SEAWAY_BENCH_NOT_READY',
        `${what} not ready after ${timeoutMs} ms${proc ? `; ${proc.name} stderr:\n${proc.stderrTail()}` : ''}`,
      );
    }
    await sleep(50);
  }
}

export function httpOk(url: string): () => Promise<boolean> {
  return async () => {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      return r.ok;
    } catch {
      return false;
    }
  };
}

export function portOpen(port: number, host = '127.0.0.1'): () => Promise<boolean> {
  return () =>
    new Promise((ok) => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        ok(true);
      });
      s.once('error', () => ok(false));
    });
}
