// The Kafka hop as Kafka itself reports it: the sum of (high watermark - log start) over the
// partitions of non-internal topics, polled once a second, minus what was there at start. One
// Metadata plus two ListOffsets per leader per poll (@seaway/kafka-protocol's OffsetsReader), so
// the cost does not grow with the number of topics; works the same on any cluster. Bytes, when the
// lab gives `sizes` (DescribeLogDirs, one request per broker), are the growth of the topics' logs
// on disk (leader copies, record batches with their overhead); a preload's bytes are discounted
// as the log growth between the polls around it. Without sizes, or when the cluster refuses
// DescribeLogDirs, bytes stay 0 and the console says "bytes not measured".
import { OffsetsReader, type PoolOptions } from '@seaway/kafka-protocol';
import type { Totals } from './metrics-hub.ts';

export function watchKafkaRecords(
  kafka: PoolOptions,
  intervalMs = 1000,
  /** Bytes on disk of every non-internal topic, summed (the lab passes DescribeLogDirs). */
  sizes?: () => Promise<number>,
): { totals(): Totals; discount(records: number): void; stop(): void } {
  const reader = new OffsetsReader({ clientId: 'seaway-lab-watch', ...kafka });
  let baseline: number | null = null;
  let latest = 0;
  /** Records written by the lab itself (the SAMPLEDATA preload), not counted as traffic. */
  let discounted = 0;
  let busy = false;
  let bytesBase: number | null = null;
  let bytesLatest = 0;
  let bytesDiscounted = 0;
  /** A preload finished: its bytes are the growth up to the next size poll. */
  let discountBytes = false;
  const pollSizes = async () => {
    if (!sizes) return;
    try {
      const b = await sizes();
      if (discountBytes && bytesBase !== null) bytesDiscounted += Math.max(0, b - bytesLatest);
      discountBytes = false;
      bytesBase ??= b;
      bytesLatest = b;
    } catch {
      // DescribeLogDirs refused or Kafka away: keep the last figure.
    }
  };
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      let total = 0;
      for (const p of await reader.read((t) => !t.startsWith('_'))) total += p.high - p.low;
      baseline ??= total;
      latest = total;
      await pollSizes();
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
    totals: () => ({
      messages: Math.max(0, latest - (baseline ?? latest) - discounted),
      bytes: Math.max(0, bytesLatest - (bytesBase ?? bytesLatest) - bytesDiscounted),
    }),
    discount: (records: number) => {
      discounted += records;
      discountBytes = true;
    },
    stop: () => {
      clearInterval(timer);
      reader.close();
    },
  };
}
