// Consumer-group operations, as kafka-consumer-groups does them:
// POST /api/consumer-groups/:id/reset-offsets (dry run by default) and DELETE /api/consumer-groups/:id.
// Both need a group without members (Kafka refuses a live group: NON_EMPTY_GROUP); the answer says
// so with the member count. Reset targets are clamped to each partition's [log start, end].
import { ResetOffsetsRequest, type ResetOffsetsResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { Admin } from 'kafkajs';
import { ConsoleApiError, sendError } from './errors.ts';
import { type ConsoleKafka, num } from './kafka-access.ts';

async function requireEmpty(admin: Admin, groupId: string, what: string): Promise<void> {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0];
  if (!g || g.state === 'Dead') {
    throw new ConsoleApiError('SEAWAY_CONSOLE_GROUP_NOT_FOUND', `no consumer group "${groupId}"`);
  }
  if (g.members.length > 0) {
    throw new ConsoleApiError(
      'SEAWAY_CONSOLE_GROUP_ACTIVE',
      `group "${groupId}" has ${g.members.length} active member${g.members.length === 1 ? '' : 's'}; stop its consumers before you ${what}`,
    );
  }
}

export async function planReset(
  admin: Admin,
  groupId: string,
  r: ReturnType<typeof ResetOffsetsRequest.parse>,
): Promise<ResetOffsetsResponse> {
  const ends = await admin.fetchTopicOffsets(r.topic).catch(() => {
    throw new ConsoleApiError('SEAWAY_CONSOLE_TOPIC_NOT_FOUND', `topic "${r.topic}" does not exist`);
  });
  const chosen = r.partitions ? new Set(r.partitions) : null;
  for (const p of chosen ?? []) {
    if (!ends.some((e) => e.partition === p)) {
      throw new ConsoleApiError('SEAWAY_CONSOLE_PARTITION_NOT_FOUND', `topic "${r.topic}" has no partition ${p}`);
    }
  }
  if (r.to !== 'earliest' && r.to !== 'latest' && r.value === undefined) {
    throw new ConsoleApiError('SEAWAY_CONSOLE_BAD_REQUEST', `reset to "${r.to}" needs a value`);
  }
  const committed = new Map<number, number>();
  for (const t of await admin.fetchOffsets({ groupId, topics: [r.topic] })) {
    for (const p of t.partitions) if (num(p.offset) >= 0) committed.set(p.partition, num(p.offset));
  }
  const byTime =
    r.to === 'timestamp'
      ? new Map((await admin.fetchTopicOffsetsByTimestamp(r.topic, r.value)).map((x) => [x.partition, num(x.offset)]))
      : null;
  const partitions: ResetOffsetsResponse['partitions'] = [];
  for (const e of ends.sort((a, b) => a.partition - b.partition)) {
    if (chosen && !chosen.has(e.partition)) continue;
    const low = num(e.low);
    const high = num(e.high);
    const cur = committed.get(e.partition);
    let next: number;
    switch (r.to) {
      case 'earliest':
        next = low;
        break;
      case 'latest':
        next = high;
        break;
      case 'timestamp': {
        const t = byTime?.get(e.partition) ?? -1;
        next = t < 0 ? high : t;
        break;
      }
      case 'offset':
        next = r.value as number;
        break;
      case 'shift':
        next = (cur ?? low) + (r.value as number);
        break;
    }
    partitions.push({
      partition: e.partition,
      current: cur === undefined ? null : String(cur),
      next: String(Math.min(high, Math.max(low, next))),
    });
  }
  return { groupId, topic: r.topic, dryRun: r.dryRun, partitions };
}

export function registerGroupOffsetRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  app.post<{ Params: { id: string } }>('/api/consumer-groups/:id/reset-offsets', async (req, reply) => {
    try {
      const parsed = ResetOffsetsRequest.safeParse(req.body ?? {});
      if (!parsed.success) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `invalid reset: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      }
      const r = parsed.data;
      return await k.admin.use(async (admin) => {
        await requireEmpty(admin, req.params.id, 'resetting its offsets');
        const plan = await planReset(admin, req.params.id, r);
        if (!r.dryRun && plan.partitions.length) {
          await admin.setOffsets({
            groupId: req.params.id,
            topic: r.topic,
            partitions: plan.partitions.map((p) => ({ partition: p.partition, offset: p.next })),
          });
        }
        return plan;
      });
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.delete<{ Params: { id: string } }>('/api/consumer-groups/:id', async (req, reply) => {
    try {
      await k.admin.use(async (admin) => {
        await requireEmpty(admin, req.params.id, 'deleting it');
        await admin.deleteGroups([req.params.id]);
      });
      return reply.code(204).send();
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
