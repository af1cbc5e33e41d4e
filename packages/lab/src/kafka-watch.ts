// The Kafka hop as Kafka itself reports it: the sum of (high watermark - log start) over the
// partitions of non-internal topics, polled once a second, minus what was there at start. One
// Metadata plus two ListOffsets per leader per poll (@seaway/kafka-protocol's OffsetsReader), so
// the cost does not grow with the number of topics; works the same on any cluster.
import { OffsetsReader, type PoolOptions } from '@seaway/kafka-protocol';
import type { Totals } from './metrics-hub.ts';

export function watchKafkaRecords(
  kafka: PoolOptions,
  intervalMs = 1000,
): { totals(): Totals; discount(records: number): void; stop(): void } {
  const reader = new OffsetsReader({ clientId: 'seaway-lab-watch', ...kafka });
  let baseline: number | null = null;
  let latest = 0;
  /** Records written by the lab itself (the SAMPLEDATA preload), not counted as traffic. */
  let discounted = 0;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      let total = 0;
      for (const p of await reader.read((t) => !t.startsWith('_'))) total += p.high - p.low;
      baseline ??= total;
      latest = total;
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
    totals: () => ({ messages: Math.max(0, latest - (baseline ?? latest) - discounted), bytes: 0 }),
    discount: (records: number) => {
      discounted += records;
    },
    stop: () => {
      clearInterval(timer);
      reader.close();
    },
  };
}
