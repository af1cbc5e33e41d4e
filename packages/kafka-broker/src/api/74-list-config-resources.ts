// ListConfigResources (key 74; ListClientMetricsResources before Kafka 4.1), versions 0-1 (flexible).
// v0 lists the client metrics resources (kafka-client-metrics --list). v1 (KIP-1142) takes the
// resource types to list: broker loggers (8) and brokers (4: this node), topics (2), groups (32: none
// here have configs) and client metrics (16); no types means all of them, in that order, as Kafka.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { CLIENT_METRICS } from '../state/client-metrics.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 74;
export const minVersion = 0;
export const maxVersion = 1;

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const GROUP = 32;
const ALL = [BROKER_LOGGER, BROKER, TOPIC, GROUP, CLIENT_METRICS];

export function handle(req: RequestBody<74>, ctx: RequestContext) {
  const types = req.resourceTypes.length === 0 ? ALL : req.resourceTypes;
  const unsupported = types.find((t) => !ALL.includes(t));
  if (unsupported !== undefined)
    return { throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, clientMetricsResources: [] };
  const out: { name: string; resourceType: number }[] = [];
  for (const t of types) {
    if (t === CLIENT_METRICS)
      for (const name of ctx.broker.clientMetrics.names()) out.push({ name, resourceType: CLIENT_METRICS });
    else if (t === TOPIC)
      for (const name of [...ctx.broker.cluster.topics.keys()].sort()) out.push({ name, resourceType: TOPIC });
    else if (t === BROKER || t === BROKER_LOGGER) out.push({ name: String(ctx.broker.opts.nodeId), resourceType: t });
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, clientMetricsResources: out };
}
