// GET /api/topics served by the console API when the lab asks for it (deps.serveTopicList): the
// same TopicsResponse as api-routes.ts, on the console's self-healing admin, one metadata call for
// all topics, and topics deleted mid-listing skipped instead of failing the whole list; bytes on
// disk per topic from DescribeLogDirs (wire-admin.ts).
import type { TopicsResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { Admin } from 'kafkajs';
import { sendError } from './errors.ts';
import { type ConsoleKafka, mapLimit, num } from './kafka-access.ts';

export async function listTopics(admin: Admin, k?: Pick<ConsoleKafka, 'wire'>): Promise<TopicsResponse> {
  // Sizes are extra: one DescribeLogDirs per broker for every topic; without them the list still shows.
  const sizing = k ? k.wire.topicSizes(null).catch(() => null) : Promise.resolve(null);
  const meta = await admin.fetchTopicMetadata();
  const sizes = await sizing;
  const bytesOf = (name: string) => {
    const m = sizes?.get(name);
    return m ? { bytes: [...m.values()].reduce((n, b) => n + b, 0) } : {};
  };
  const rows = await mapLimit(meta.topics, 16, async (t) => {
    try {
      const offsets = await admin.fetchTopicOffsets(t.name);
      const records = offsets.reduce((n, p) => n + Math.max(0, num(p.high) - num(p.low)), 0);
      return {
        name: t.name,
        partitions: t.partitions.length,
        internal: t.name.startsWith('_'),
        records,
        ...bytesOf(t.name),
      };
    } catch {
      // Deleted between the listing and this call (or leaderless): list it without a count.
      return { name: t.name, partitions: t.partitions.length, internal: t.name.startsWith('_') };
    }
  });
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return { topics: rows };
}

export function registerTopicList(app: FastifyInstance, k: ConsoleKafka): void {
  app.get('/api/topics', async (_req, reply) => {
    try {
      return await k.admin.use((admin) => listTopics(admin, k));
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
