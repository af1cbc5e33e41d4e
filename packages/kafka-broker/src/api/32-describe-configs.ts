// DescribeConfigs (key 32), versions 1-4.
// v1: includeSynonyms, configSource (1 topic override, 4 static broker, 5 default). v2: same.
// v3: includeDocumentation, configType. v4: flexible. Topics (resource type 2) list every topic config
// with its effective value; brokers (4) list this broker's settings; client metrics resources (16) list
// their three configs, as Kafka does also for a name that does not exist (all at their defaults, which
// is how kafka-client-metrics tells it does not exist). configurationKeys null = all.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { CLIENT_METRICS, CLIENT_METRICS_CONFIGS } from '../state/client-metrics.ts';
import { brokerConfigs, TOPIC_CONFIGS } from '../state/topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 32;
export const minVersion = 1;
export const maxVersion = 4;

export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;
const SOURCE = { DYNAMIC_TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5, CLIENT_METRICS: 7 } as const;

export function handle(req: RequestBody<32>, ctx: RequestContext) {
  const { cluster, opts } = ctx.broker;
  const docs = req.includeDocumentation;
  const results = req.resources.map((r) => {
    const keys = r.configurationKeys === null ? null : new Set(r.configurationKeys);
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (r.resourceType === ResourceType.TOPIC) {
      const t = cluster.topics.get(r.resourceName);
      if (!t) {
        return {
          ...base,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `Topic ${r.resourceName} does not exist`,
          configs: [],
        };
      }
      const configs = Object.entries(TOPIC_CONFIGS)
        .filter(([name]) => keys === null || keys.has(name))
        .map(([name, def]) => {
          const set = Object.hasOwn(t.configs, name);
          const source = set ? SOURCE.DYNAMIC_TOPIC : SOURCE.DEFAULT;
          const value = set ? (t.configs[name] as string) : def.default;
          const synonyms = req.includeSynonyms
            ? // as Kafka: a topic override lists itself only (kafka-configs --describe prints the same)
              [
                set
                  ? { name, value, source: SOURCE.DYNAMIC_TOPIC }
                  : { name, value: def.default, source: SOURCE.DEFAULT },
              ]
            : [];
          return {
            name,
            value,
            readOnly: false,
            isDefault: !set,
            configSource: source,
            isSensitive: false,
            synonyms,
            configType: def.type,
            documentation: docs ? def.doc : null,
          };
        });
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
    }
    if (r.resourceType === ResourceType.BROKER) {
      if (r.resourceName !== '' && r.resourceName !== String(opts.nodeId)) {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `this broker is node ${opts.nodeId}`,
          configs: [],
        };
      }
      const configs = Object.entries(brokerConfigs({ ...opts, port: ctx.broker.port() }))
        .filter(([name]) => keys === null || keys.has(name))
        .map(([name, c]) => ({
          name,
          value: c.value,
          readOnly: true,
          isDefault: c.isDefault,
          configSource: c.isDefault ? SOURCE.DEFAULT : SOURCE.STATIC_BROKER,
          isSensitive: false,
          synonyms: req.includeSynonyms
            ? [{ name, value: c.value, source: c.isDefault ? SOURCE.DEFAULT : SOURCE.STATIC_BROKER }]
            : [],
          configType: c.type,
          documentation: null,
        }));
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
    }
    if (r.resourceType === CLIENT_METRICS) {
      const set = ctx.broker.clientMetrics.get(r.resourceName);
      const configs = Object.entries(CLIENT_METRICS_CONFIGS)
        .filter(([name]) => keys === null || keys.has(name))
        .map(([name, def]) => {
          const value = set[name];
          return {
            name,
            value: value ?? def.default,
            readOnly: false,
            // Kafka answers false here for set and unset ones alike
            isDefault: false,
            configSource: value === undefined ? SOURCE.DEFAULT : SOURCE.CLIENT_METRICS,
            isSensitive: false,
            synonyms:
              req.includeSynonyms && value !== undefined ? [{ name, value, source: SOURCE.CLIENT_METRICS }] : [],
            configType: def.type,
            documentation: null,
          };
        });
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: '', configs };
    }
    if (r.resourceType === ResourceType.BROKER_LOGGER) {
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: [] };
    }
    return {
      ...base,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `resource type ${r.resourceType} is not supported`,
      configs: [],
    };
  });
  return { throttleTimeMs: 0, results };
}
