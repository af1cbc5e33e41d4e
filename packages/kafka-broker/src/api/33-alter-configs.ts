// AlterConfigs (key 33), versions 0-2.
// v1: same layout. v2: flexible. Replaces a topic's whole set of overrides (configs not listed return
// to their defaults), as Kafka's legacy AlterConfigs does; on a broker resource the same for its dynamic
// configs (alter-broker-configs.ts). The new values apply to the open
// partition logs at once (ClusterState.setTopicConfigs → log.reconfigure).

import type { RequestBody } from '@seaway/kafka-protocol';
import { applyBrokerConfigs } from './alter-broker-configs.ts';
import { applyTopicConfigs } from './alter-topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 33;
export const minVersion = 0;
export const maxVersion = 2;

export async function handle(req: RequestBody<33>, ctx: RequestContext) {
  const responses = [];
  for (const r of req.resources) {
    const build = () => {
      const next: Record<string, string> = {};
      for (const c of r.configs) if (c.value !== null) next[c.name] = c.value;
      return next;
    };
    if (r.resourceType === 4) {
      const result = await applyBrokerConfigs(ctx, r.resourceName, build, req.validateOnly);
      responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
      continue;
    }
    const result = await applyTopicConfigs(ctx.broker.cluster, r.resourceType, r.resourceName, build, req.validateOnly);
    responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
  }
  return { throttleTimeMs: 0, responses };
}
