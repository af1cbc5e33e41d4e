// GET /api/consumer-groups: every consumer group with state, members, their assignments, committed
// offsets and lag per partition. The message browser's short-lived scan groups are left out.
import type { ConsumerGroup, ConsumerGroupsResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import kafkajs, { type Admin } from 'kafkajs';
import { sendError } from './errors.ts';
import { registerGroupOffsetRoutes } from './group-offsets-routes.ts';
import { type ConsoleKafka, mapLimit, num } from './kafka-access.ts';

// kafkajs is CommonJS and Node cannot see this export by name.
const { AssignerProtocol } = kafkajs;

export const SCAN_GROUP_PREFIX = 'seaway-console-scan-';
export const isScanGroup = (id: string): boolean => id.startsWith(SCAN_GROUP_PREFIX);

/** The lab's own readers (schema registry and Connect store) and Kafka-internal names. */
const INTERNAL_GROUP = /^(_|seaway-schema-registry-|seaway-connect-load-)/;
export const isInternalGroup = (id: string): boolean => INTERNAL_GROUP.test(id);

function decodeAssignment(buf: Buffer): ConsumerGroup['members'][number]['assignments'] {
  if (buf.length === 0) return [];
  try {
    const a = AssignerProtocol.MemberAssignment.decode(buf);
    return Object.entries(a?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions }));
  } catch {
    return [];
  }
}

export async function listConsumerGroups(admin: Admin): Promise<ConsumerGroupsResponse> {
  const { groups } = await admin.listGroups();
  const ids = groups.filter((g) => !isScanGroup(g.groupId)).map((g) => g.groupId);
  if (ids.length === 0) return { groups: [] };
  const described = await admin.describeGroups(ids);
  const highCache = new Map<string, Promise<Map<number, { low: number; high: number }>>>();
  const highs = (topic: string) => {
    let p = highCache.get(topic);
    if (!p) {
      p = admin
        .fetchTopicOffsets(topic)
        .then((o) => new Map(o.map((x) => [x.partition, { low: num(x.low), high: num(x.high) }])))
        .catch(() => new Map<number, { low: number; high: number }>());
      highCache.set(topic, p);
    }
    return p;
  };
  const out = await mapLimit(described.groups, 16, async (g): Promise<ConsumerGroup> => {
    const committed = await admin.fetchOffsets({ groupId: g.groupId }).catch(() => []);
    const offsets: ConsumerGroup['offsets'] = [];
    // A partition without a commit lags by everything in its log (what a member starting at the log
    // start still has to read), as Redpanda Console counts it; kafka-consumer-groups prints "-".
    const row = async (topic: string, partition: number, offset: string | null) => {
      const e = (await highs(topic)).get(partition) ?? { low: 0, high: 0 };
      const c = offset === null ? -1 : num(offset);
      offsets.push({
        topic,
        partition,
        committed: c >= 0 ? (offset as string) : null,
        high: String(e.high),
        lag: Math.max(0, e.high - (c >= 0 ? c : e.low)),
      });
    };
    const seen = new Set<string>();
    for (const t of committed) {
      for (const p of t.partitions) {
        seen.add(`${t.topic}\0${p.partition}`);
        await row(t.topic, p.partition, p.offset);
      }
    }
    // Partitions assigned to a member that has not committed yet are not in the offset fetch.
    for (const m of g.members) {
      for (const a of decodeAssignment(m.memberAssignment)) {
        for (const partition of a.partitions) {
          if (seen.has(`${a.topic}\0${partition}`)) continue;
          seen.add(`${a.topic}\0${partition}`);
          await row(a.topic, partition, null);
        }
      }
    }
    offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return {
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignments: decodeAssignment(m.memberAssignment),
      })),
      offsets,
      totalLag: offsets.reduce((n, o) => n + o.lag, 0),
      internal: isInternalGroup(g.groupId),
    };
  });
  out.sort((a, b) => a.groupId.localeCompare(b.groupId));
  return { groups: out };
}

export function registerGroupRoutes(app: FastifyInstance, k: ConsoleKafka): void {
  app.get('/api/consumer-groups', async (_req, reply) => {
    try {
      return await k.admin.use(listConsumerGroups);
    } catch (e) {
      return sendError(reply, e);
    }
  });
  registerGroupOffsetRoutes(app, k);
}
