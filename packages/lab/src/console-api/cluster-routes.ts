// GET /api/cluster/workers: the Connect-style cluster the lab's connector runtime joined
// (CONNECT_GROUP_ID): every worker of the last assignment with what it runs (connector, task),
// which one leads, which one is this lab, and the rebalances this worker took part in.
// Without a group: {enabled: false}.
import type { ClusterWorkersResponse } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';

/** Units are "connector:<name>" and "task:<id>:<name>" (bridge cluster/assign.ts). */
function unit(u: string): { connector: string; task: number } {
  if (u.startsWith('connector:')) return { connector: u.slice('connector:'.length), task: -1 };
  const rest = u.slice('task:'.length);
  const i = rest.indexOf(':');
  return { connector: rest.slice(i + 1), task: Number(rest.slice(0, i)) };
}

export function registerClusterRoutes(app: FastifyInstance, deps: ConsoleApiDeps): void {
  app.get('/api/cluster/workers', async () => {
    const c = deps.cluster?.() ?? null;
    if (!c) {
      const off: ClusterWorkersResponse = {
        enabled: false,
        groupId: null,
        generation: -1,
        workers: [],
        rebalances: [],
      };
      return off;
    }
    const d = c.describe();
    const body: ClusterWorkersResponse = {
      enabled: true,
      groupId: c.groupId,
      generation: d.generation,
      workers: Object.entries(d.members)
        .map(([memberId, m]) => ({
          memberId,
          url: m.url,
          leader: m.url === d.leaderUrl,
          self: memberId === c.memberId,
          units: m.units.map(unit),
        }))
        .sort((a, b) => (a.url < b.url ? -1 : 1)),
      rebalances: c.rebalances.slice(-20),
    };
    return body;
  });
}
