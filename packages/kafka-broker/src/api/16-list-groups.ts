// ListGroups (key 16), versions 0-5.
// v1: throttleTimeMs. v3: flexible. v4: statesFilter (case-insensitive) and groupState.
// v5: typesFilter and groupType ("classic", or "consumer" for KIP-848 groups).

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import type { RequestContext } from './context.ts';

export const apiKey = 16;
export const minVersion = 0;
export const maxVersion = 5;

export function handle(req: RequestBody<16>, ctx: RequestContext) {
  const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
  const types = new Set(req.typesFilter.map((s) => s.toLowerCase()));
  const groups = [];
  const { consumer } = ctx.broker.groups;
  for (const g of consumer.groups.values()) {
    const state = consumer.state(g);
    if (states.size > 0 && !states.has(state.toLowerCase())) continue;
    if (types.size > 0 && !types.has('consumer')) continue;
    groups.push({ groupId: g.id, protocolType: 'consumer', groupState: state, groupType: 'consumer' });
  }
  for (const g of ctx.broker.groups.groups.values()) {
    if (consumer.groups.has(g.id)) continue;
    if (states.size > 0 && !states.has(g.state.kind.toLowerCase())) continue;
    if (types.size > 0 && !types.has('classic')) continue;
    groups.push({ groupId: g.id, protocolType: g.protocolType ?? '', groupState: g.state.kind, groupType: 'classic' });
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
}
