// Child processes for tests: the seaway CLI and mosquitto, with readiness waits. Tests kill what
// they start in after(); these helpers never leave a process behind on a failed start.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const seawayBin = join(dirname(fileURLToPath(import.meta.url)), '../../lab/bin/seaway.mjs');

export interface Proc {
  child: ChildProcess;
  output(): string;
}

function track(child: ChildProcess): Proc {
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, output: () => out };
}

export function seaway(args: string[], env: Record<string, string>): Proc {
  return track(
    spawn(process.execPath, [seawayBin, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

export async function waitForPort(port: number, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`process exited (${proc.child.exitCode}) before port ${port} opened:\n${proc.output()}`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        res(true);
      });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`port ${port} did not open in ${timeoutMs} ms:\n${proc.output()}`);
}

export async function waitForHealth(webPort: number, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`lab exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${webPort}/api/health`);
      last = await r.text();
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`lab not healthy in ${timeoutMs} ms: ${last}\n${proc.output()}`);
}

/** mosquitto on 127.0.0.1:port with unbounded queues for persistent sessions. */
export function mosquitto(bin: string, port: number, dir: string): Proc {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      'persistence false',
      '',
    ].join('\n'),
  );
  return track(spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs a tool (kcat, mosquitto_pub, ...) to its end without blocking the event loop (the embedded
 *  broker may answer it from this very process); killed after timeoutMs. */
export function runTool(
  file: string,
  args: string[],
  input = '',
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
