// The RegistryStore contract, run against every implementation (memory, real Kafka).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeawayCode, SeawayRegistryError } from '../src/index.ts';
import { backends } from './helpers.ts';

for (const b of backends) {
  describe(`store contract: ${b.name}`, { skip: b.skip }, () => {
    test('append resolves only after the record was delivered to the listener', async () => {
      const store = b.store(b.newLocation('append'));
      const seen: [string | null, string | null][] = [];
      await store.open((k, v) => seen.push([k, v]));
      try {
        await store.append('k1', 'v1');
        assert.deepEqual(seen.at(-1), ['k1', 'v1']);
        await store.append('k1', null);
        assert.deepEqual(seen.at(-1), ['k1', null]);
      } finally {
        await store.close();
      }
    });

    test('open replays earlier records in order before it resolves', async () => {
      const where = b.newLocation('replay');
      const first = b.store(where);
      await first.open(() => {});
      for (let i = 0; i < 5; i++) await first.append(`k${i}`, `v${i}`);
      await first.close();
      const second = b.store(where);
      const seen: string[] = [];
      await second.open((k, v) => seen.push(`${k}=${v}`));
      try {
        assert.deepEqual(seen, ['k0=v0', 'k1=v1', 'k2=v2', 'k3=v3', 'k4=v4']);
      } finally {
        await second.close();
      }
    });

    test('open on an empty location resolves with nothing delivered', async () => {
      const store = b.store(b.newLocation('empty'));
      const seen: unknown[] = [];
      await store.open((k) => seen.push(k));
      await store.close();
      assert.deepEqual(seen, []);
    });

    test('a second open store sees records appended by the first', async () => {
      const where = b.newLocation('follow');
      const writer = b.store(where);
      const reader = b.store(where);
      await writer.open(() => {});
      const seen: string[] = [];
      let notify: () => void = () => {};
      const got = new Promise<void>((r) => (notify = r));
      await reader.open((k) => {
        seen.push(String(k));
        if (k === 'late') notify();
      });
      try {
        await writer.append('late', 'x');
        await got;
        assert.deepEqual(seen, ['late']);
      } finally {
        await writer.close();
        await reader.close();
      }
    });

    test('append after close fails with SEAWAY_SR_STORE_CLOSED', async () => {
      const store = b.store(b.newLocation('closed'));
      await store.open(() => {});
      await store.close();
      await assert.rejects(
        store.append('k', 'v'),
        (e: unknown) => e instanceof SeawayRegistryError && e.code === SeawayCode.STORE_CLOSED,
      );
    });
  });
}
