// IncrementalAlterConfigs (key 44), versions 0-1.
// v1: flexible. Operations: 0 SET, 1 DELETE (back to default), 2 APPEND and 3 SUBTRACT (list configs,
// comma-separated). Values are validated against the topic config table, or for client metrics
// resources (type 16) against their three configs, or for brokers (type 4: a node id, or "" for the
// cluster-wide defaults) by alter-broker-configs.ts.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { DYNAMIC_BROKER_CONFIGS } from '../state/broker-configs.ts';
import { CLIENT_METRICS, CLIENT_METRICS_CONFIGS, clientMetricsProblem } from '../state/client-metrics.ts';
import { TOPIC_CONFIGS } from '../state/topic-configs.ts';
import { applyBrokerConfigs } from './alter-broker-configs.ts';
import { applyTopicConfigs } from './alter-topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 44;
export const minVersion = 0;
export const maxVersion = 1;

const BROKER = 4;

export async function handle(req: RequestBody<44>, ctx: RequestContext) {
  const responses = [];
  for (const r of req.resources) {
    if (r.resourceType === CLIENT_METRICS) {
      const result = await alterClientMetrics(ctx, r.resourceName, r.configs, req.validateOnly);
      responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
      continue;
    }
    if (r.resourceType === BROKER) {
      const result = await applyBrokerConfigs(
        ctx,
        r.resourceName,
        (current) => applyOps(current, r.configs, (name) => DYNAMIC_BROKER_CONFIGS[name]?.default ?? undefined),
        req.validateOnly,
      );
      responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
      continue;
    }
    const result = await applyTopicConfigs(
      ctx.broker.cluster,
      r.resourceType,
      r.resourceName,
      (current) => applyOps(current, r.configs, (name) => TOPIC_CONFIGS[name]?.default ?? undefined),
      req.validateOnly,
    );
    responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
  }
  return { throttleTimeMs: 0, responses };
}

type Op = RequestBody<44>['resources'][number]['configs'][number];

/** SET / DELETE / APPEND / SUBTRACT applied to a config map; a string is the reason it cannot be. */
function applyOps(
  current: Record<string, string>,
  ops: readonly Op[],
  defaultOf: (name: string) => string | undefined,
): Record<string, string> | string {
  for (const c of ops) {
    const list = () =>
      (current[c.name] ?? defaultOf(c.name) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    switch (c.configOperation) {
      case 0:
        if (c.value === null) return `${c.name}: SET needs a value`;
        current[c.name] = c.value;
        break;
      case 1:
        delete current[c.name];
        break;
      case 2: {
        const l = list();
        for (const v of (c.value ?? '').split(',')) if (v && !l.includes(v)) l.push(v);
        current[c.name] = l.join(',');
        break;
      }
      case 3:
        current[c.name] = list()
          .filter((v) => !(c.value ?? '').split(',').includes(v))
          .join(',');
        break;
      default:
        return `unknown config operation ${c.configOperation}`;
    }
  }
  return current;
}

async function alterClientMetrics(ctx: RequestContext, name: string, ops: readonly Op[], validateOnly: boolean) {
  if (name === '') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid empty client metric name' };
  const next = applyOps({ ...ctx.broker.clientMetrics.get(name) }, ops, (n) => CLIENT_METRICS_CONFIGS[n]?.default);
  if (typeof next === 'string') return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: next };
  for (const [k, v] of Object.entries(next)) {
    const bad = clientMetricsProblem(k, v);
    if (bad) return { errorCode: ErrorCode[bad.code], errorMessage: bad.message };
  }
  if (!validateOnly) await ctx.broker.clientMetrics.set(name, next);
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}
