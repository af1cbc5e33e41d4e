// Topic operations beyond create and delete, as kafka-configs, kafka-topics --alter and
// kafka-delete-records do them:
// PUT /api/topics/:name/configs (IncrementalAlterConfigs; the broker validates, its message comes back),
// POST /api/topics/:name/partitions (CreatePartitions: grow only),
// POST /api/topics/:name/purge (DeleteRecords before an offset, per partition or all).
import {
  AddPartitionsRequest,
  PurgeRequest,
  type PurgeResponse,
  TopicConfigChange,
  type TopicDetail,
} from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { ConsoleApiError, sendError } from './errors.ts';
import { type ConsoleKafka, num, requireTopic } from './kafka-access.ts';
import { topicDetail } from './topic-routes.ts';

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_BAD_REQUEST',
      `invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export function registerTopicAdminRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  app.put<{ Params: { name: string } }>('/api/topics/:name/configs', async (req, reply) => {
    try {
      const change = parse(TopicConfigChange, req.body, 'config change');
      if (Object.keys(change.set).length === 0 && change.delete.length === 0) {
        throw new ConsoleApiError('SEAWAY_CONSOLE_BAD_REQUEST', 'nothing to change: give "set" or "delete"');
      }
      const name = req.params.name;
      await k.admin.use((admin) => requireTopic(admin, name));
      await k.wire.alterTopicConfigs(name, change);
      const t: TopicDetail = await k.admin.use((admin) => topicDetail(admin, name, k));
      return { name, configs: t.configs };
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.post<{ Params: { name: string } }>('/api/topics/:name/partitions', async (req, reply) => {
    try {
      const { count } = parse(AddPartitionsRequest, req.body, 'partition request');
      const name = req.params.name;
      const meta = await k.admin.use(async (admin) => {
        await requireTopic(admin, name);
        return admin.fetchTopicMetadata({ topics: [name] });
      });
      const now = meta.topics[0]?.partitions.length ?? 0;
      if (count <= now) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `topic "${name}" already has ${now} partition${now === 1 ? '' : 's'}; Kafka can only add partitions, so ask for more than ${now}`,
        );
      }
      await k.wire.createPartitions(name, count);
      return { name, partitions: count };
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.post<{ Params: { name: string } }>('/api/topics/:name/purge', async (req, reply) => {
    try {
      const r = parse(PurgeRequest, req.body, 'purge request');
      const name = req.params.name;
      const offsets = await k.admin.use(async (admin) => {
        await requireTopic(admin, name);
        return admin.fetchTopicOffsets(name);
      });
      const chosen = r.partitions ?? offsets.map((o) => o.partition);
      const plan = new Map<number, bigint>();
      for (const p of chosen) {
        const o = offsets.find((x) => x.partition === p);
        if (!o)
          throw new ConsoleApiError('SEAWAY_CONSOLE_PARTITION_NOT_FOUND', `topic "${name}" has no partition ${p}`);
        // Past the high watermark Kafka answers OFFSET_OUT_OF_RANGE: clamp, as "up to the end".
        const before = r.beforeOffset === undefined ? num(o.high) : Math.min(num(r.beforeOffset), num(o.high));
        plan.set(p, BigInt(before));
      }
      const lows = await k.wire.deleteRecords(name, plan);
      const body: PurgeResponse = {
        topic: name,
        partitions: [...lows].sort((a, b) => a[0] - b[0]).map(([partition, low]) => ({ partition, low: String(low) })),
      };
      return body;
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
