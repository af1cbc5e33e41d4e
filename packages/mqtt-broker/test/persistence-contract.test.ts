// aedes' own persistence contract suite (aedes-persistence/abstract.js) run against SessionStore,
// in memory and with a journal directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SessionStore } from '../src/session-store.ts';

const require = createRequire(import.meta.url);
const abstract = require('aedes-persistence/abstract.js') as (opts: unknown) => void;
const base = mkdtempSync(join(tmpdir(), 'seaway-mqtt-contract-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

abstract({
  test: (name: string, fn: unknown) => test(`in memory: ${name}`, fn as never),
  persistence: () =>
    new SessionStore({ fsyncIntervalMs: 0, compactBytes: 1 << 20, maxQueuedPerClient: 1e6, log: () => {} }),
  testAsync: true,
});

abstract({
  test: (name: string, fn: unknown) => test(`journaled: ${name}`, fn as never),
  persistence: () =>
    new SessionStore({
      dir: join(base, String(n++)),
      fsyncIntervalMs: 0,
      compactBytes: 1 << 20,
      maxQueuedPerClient: 1e6,
      log: () => {},
    }),
  testAsync: true,
});
