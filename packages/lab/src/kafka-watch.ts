// The Kafka hop as Kafka itself reports it: the sum of high watermarks of non-internal topics,
// polled once a second, minus what was there at start. Works the same on any cluster.
import type { Admin } from 'kafkajs';
import type { LazyClient } from './console-api/index.ts';
import type { Totals } from './metrics-hub.ts';

export function watchKafkaRecords(admin: LazyClient<Admin>, intervalMs = 1000): { totals(): Totals; stop(): void } {
  let baseline: number | null = null;
  let latest = 0;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      // Its own admin, renewed when a topic deleted elsewhere leaves kafkajs' metadata stale.
      const sum = await admin.use(async (a) => {
        const names = (await a.listTopics()).filter((t) => !t.startsWith('_'));
        let total = 0;
        for (const name of names) {
          for (const p of await a.fetchTopicOffsets(name)) total += Number(p.high) - Number(p.low);
        }
        return total;
      });
      baseline ??= sum;
      latest = sum;
    } catch {
      // Kafka unreachable for a moment: keep the last figure; health reports the outage.
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return {
    totals: () => ({ messages: Math.max(0, latest - (baseline ?? latest)), bytes: 0 }),
    stop: () => {
      clearInterval(timer);
      void admin.close();
    },
  };
}
