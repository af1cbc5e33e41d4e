// Entry point of a -procs child process: prepares its share of the run, reports ready, starts on
// "go", streams progress every 250 ms and sends its summary and latency histogram when done.
import type { AisError } from '../errors.ts';
import type { GeneratorOptions } from './options.ts';
import { openLog, prepare, shareOf } from './prepare.ts';

type ParentMessage =
  | { type: 'start'; options: GeneratorOptions; index: number; count: number; schemaId?: number }
  | { type: 'go' }
  | { type: 'stop' };

let started: (() => void) | null = null;
let stopRequested = false;
let engineStop: (() => void) | null = null;

function send(msg: unknown): void {
  if (process.connected) process.send?.(msg);
}

// Ctrl-C reaches the whole process group: let the parent decide (it sends "stop"). A vanished
// parent ends the run.
process.on('SIGINT', () => {});
process.on('disconnect', () => {
  stopRequested = true;
  engineStop?.();
  setTimeout(() => process.exit(1), 6000).unref();
});

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'start') void run(msg);
  else if (msg.type === 'go') started?.();
  else if (msg.type === 'stop') {
    stopRequested = true;
    engineStop?.();
  }
});

async function run(msg: Extract<ParentMessage, { type: 'start' }>): Promise<void> {
  const log = openLog(msg.options.log);
  try {
    const share = shareOf(msg.options, msg.index, msg.count);
    const p = await prepare(msg.options, share, log, msg.schemaId);
    const go = new Promise<void>((r) => {
      started = r;
    });
    send({
      type: 'ready',
      malformed: p.source.malformed,
      source: p.source.description,
      looped: p.looped,
      prepareMs: p.prepareMs,
    });
    await go;
    engineStop = () => p.engine.stop();
    p.engine.go();
    if (stopRequested) p.engine.stop();
    const timer = setInterval(() => send({ type: 'progress', counters: p.engine.counters }), 250);
    await p.engine.done;
    clearInterval(timer);
    send({
      type: 'done',
      counters: p.engine.counters,
      hist: Array.from(p.engine.hist.counts),
      max: p.engine.hist.max,
      elapsedMs: p.engine.elapsedMs(),
      lastError: p.engine.lastError?.message ?? null,
    });
  } catch (err) {
    const e = err as AisError;
    send({ type: 'error', code: e.code ?? 'SEAWAY_AIS_CONFIG', message: e.message });
  } finally {
    log.close();
    if (process.connected) process.disconnect?.();
  }
}
