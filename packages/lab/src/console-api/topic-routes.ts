// Topic detail and admin: GET /api/topics/:name (partitions, low/high offsets, configs, consumer
// groups with lag, bytes on disk), POST /api/topics, DELETE /api/topics/:name.
import { CreateTopicRequest, type TopicConfigEntry, type TopicDetail } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import kafkajs, { type Admin } from 'kafkajs';
import { ConsoleApiError, sendError } from './errors.ts';
import { isScanGroup } from './group-routes.ts';
import { type ConsoleKafka, mapLimit, num, requireTopic } from './kafka-access.ts';

/** Groups checked for offsets on one topic (one OffsetFetch each, 16 at a time). */
const MAX_GROUPS_PER_TOPIC = 1000;
// kafkajs is CommonJS and Node cannot see this export by name.
const { ConfigResourceTypes } = kafkajs;

async function topicConfigs(admin: Admin, name: string): Promise<TopicConfigEntry[]> {
  const r = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name }],
    includeSynonyms: false,
  });
  const entries = r.resources[0]?.configEntries ?? [];
  return entries
    .map((e) => ({
      name: e.configName,
      value: e.isSensitive ? null : e.configValue,
      // configSource 1 is DYNAMIC_TOPIC_CONFIG: set on this topic; anything else is inherited.
      isDefault: e.configSource !== undefined ? e.configSource !== 1 : e.isDefault,
      readOnly: e.readOnly,
      sensitive: e.isSensitive,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function groupsOnTopic(
  admin: Admin,
  name: string,
  highs: Map<number, number>,
): Promise<TopicDetail['consumerGroups']> {
  const { groups } = await admin.listGroups();
  const candidates = groups
    .filter((g) => (g.protocolType === 'consumer' || g.protocolType === '') && !isScanGroup(g.groupId))
    .slice(0, MAX_GROUPS_PER_TOPIC);
  const out: TopicDetail['consumerGroups'] = [];
  const described = candidates.length ? await admin.describeGroups(candidates.map((g) => g.groupId)) : { groups: [] };
  const states = new Map(described.groups.map((g) => [g.groupId, g.state]));
  await mapLimit(candidates, 16, async (g) => {
    const offsets = await admin.fetchOffsets({ groupId: g.groupId, topics: [name] });
    const parts = offsets[0]?.partitions.filter((p) => num(p.offset) >= 0) ?? [];
    if (parts.length === 0) return;
    const lag = parts.reduce((n, p) => n + Math.max(0, (highs.get(p.partition) ?? 0) - num(p.offset)), 0);
    out.push({ groupId: g.groupId, state: states.get(g.groupId) ?? 'Unknown', lag });
  });
  return out.sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** Kafka's rule for topic names (Topic.validate): 1-249 of [a-zA-Z0-9._-], not "." or "..". */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return 'it cannot be "." or ".."';
  if (name.length > 249) return `it is ${name.length} characters long, the limit is 249`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return 'only ASCII letters, digits, ".", "_" and "-" are allowed';
  return null;
}

export async function topicDetail(admin: Admin, name: string, k?: Pick<ConsoleKafka, 'wire'>): Promise<TopicDetail> {
  await requireTopic(admin, name);
  const [meta, offsets, configs, sizes] = await Promise.all([
    admin.fetchTopicMetadata({ topics: [name] }),
    admin.fetchTopicOffsets(name),
    topicConfigs(admin, name),
    // Sizes are extra: a cluster that refuses DescribeLogDirs (ACLs) still shows the topic.
    k
      ? k.wire.topicSizes([name]).then(
          (m) => m.get(name) ?? null,
          () => null,
        )
      : null,
  ]);
  const t = meta.topics[0];
  const byPartition = new Map(offsets.map((o) => [o.partition, o]));
  const partitions = (t?.partitions ?? [])
    .map((p) => ({
      partition: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      low: byPartition.get(p.partitionId)?.low ?? '0',
      high: byPartition.get(p.partitionId)?.high ?? '0',
      ...(sizes?.has(p.partitionId) ? { bytes: sizes.get(p.partitionId) } : {}),
    }))
    .sort((a, b) => a.partition - b.partition);
  const highs = new Map(partitions.map((p) => [p.partition, num(p.high)]));
  return {
    name,
    internal: name.startsWith('_'),
    partitions,
    records: partitions.reduce((n, p) => n + num(p.high) - num(p.low), 0),
    ...(sizes ? { bytes: [...sizes.values()].reduce((n, b) => n + b, 0) } : {}),
    configs,
    consumerGroups: await groupsOnTopic(admin, name, highs),
  };
}

export function registerTopicRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  app.get<{ Params: { name: string } }>('/api/topics/:name', async (req, reply) => {
    try {
      return await k.admin.use((admin) => topicDetail(admin, req.params.name, k));
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.post('/api/topics', async (req, reply) => {
    try {
      const parsed = CreateTopicRequest.safeParse(req.body);
      if (!parsed.success) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `invalid topic request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      }
      const t = parsed.data;
      const bad = topicNameProblem(t.name);
      if (bad)
        throw new ConsoleApiError('SEAWAY_CONSOLE_BAD_REQUEST', `invalid topic name ${JSON.stringify(t.name)}: ${bad}`);
      await k.admin.use(async (admin) => {
        if ((await admin.listTopics()).includes(t.name)) {
          throw new ConsoleApiError('SEAWAY_CONSOLE_TOPIC_EXISTS', `topic "${t.name}" already exists`);
        }
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: t.name,
              numPartitions: t.partitions,
              replicationFactor: t.replicationFactor,
              configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
      });
      return reply.code(201).send({ name: t.name, partitions: t.partitions });
    } catch (e) {
      return sendError(reply, e);
    }
  });

  app.delete<{ Params: { name: string } }>('/api/topics/:name', async (req, reply) => {
    try {
      await k.admin.use(async (admin) => {
        await requireTopic(admin, req.params.name);
        await admin.deleteTopics({ topics: [req.params.name], timeout: 10_000 });
      });
      return reply.code(204).send();
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
