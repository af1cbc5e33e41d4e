// GET /api/cluster/workers: the Connect-style cluster the lab's connector runtime is part of
// (CONNECT_GROUP_ID), as this worker saw the last assignment: the workers, what each runs, and the
// rebalances it took part in (newest last).
import { z } from 'zod';

export const ClusterWorker = z.object({
  /** The group member id Kafka's coordinator gave the worker. */
  memberId: z.string(),
  /** REST URL the other workers forward requests to. */
  url: z.string(),
  leader: z.boolean(),
  /** This lab itself. */
  self: z.boolean(),
  /** What it runs: task -1 is the connector itself. */
  units: z.array(z.object({ connector: z.string(), task: z.number() })),
});
export type ClusterWorker = z.infer<typeof ClusterWorker>;

export const ClusterRebalance = z.object({
  generation: z.number(),
  /** ms since the epoch, when this worker applied the assignment. */
  at: z.number(),
  leader: z.boolean(),
  started: z.array(z.string()),
  stopped: z.array(z.string()),
});
export type ClusterRebalance = z.infer<typeof ClusterRebalance>;

export const ClusterWorkersResponse = z.object({
  /** False when the lab runs its connectors alone (no CONNECT_GROUP_ID). */
  enabled: z.boolean(),
  groupId: z.string().nullable(),
  generation: z.number(),
  workers: z.array(ClusterWorker),
  rebalances: z.array(ClusterRebalance),
});
export type ClusterWorkersResponse = z.infer<typeof ClusterWorkersResponse>;
