// DescribeConfigs (key 32), versions 1-4.
// v1: includeSynonyms, configSource (1 topic override, 4 static broker, 5 default). v2: same.
// v3: includeDocumentation, configType. v4: flexible. Topics (resource type 2) list every topic config
// with its effective value; brokers (4) list this broker's settings with the dynamic ones set through
// IncrementalAlterConfigs first (synonyms in Kafka's order: DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG,
// STATIC_BROKER_CONFIG, DEFAULT_CONFIG), the empty name lists the cluster-wide dynamic defaults only, as
// Kafka; client metrics resources (16) list
// their three configs, as Kafka does also for a name that does not exist (all at their defaults, which
// is how kafka-client-metrics tells it does not exist). configurationKeys null = all.

import { ErrorCode, type RequestBody } from '@seaway/kafka-protocol';
import { DYNAMIC_BROKER_CONFIGS } from '../state/broker-configs.ts';
import { CLIENT_METRICS, CLIENT_METRICS_CONFIGS } from '../state/client-metrics.ts';
import { brokerConfigs, TOPIC_CONFIGS } from '../state/topic-configs.ts';
import type { RequestContext } from './context.ts';

export const apiKey = 32;
export const minVersion = 1;
export const maxVersion = 4;

export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;
const SOURCE = {
  DYNAMIC_TOPIC: 1,
  DYNAMIC_BROKER: 2,
  DYNAMIC_DEFAULT_BROKER: 3,
  STATIC_BROKER: 4,
  DEFAULT: 5,
  CLIENT_METRICS: 7,
} as const;

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
      const configs = describeBroker(ctx, r.resourceName === '', keys, req.includeSynonyms);
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

interface Synonym {
  name: string;
  value: string | null;
  source: number;
}

/** A BROKER resource's configs: this node's (`defaults` false) or the cluster-wide dynamic defaults. */
function describeBroker(ctx: RequestContext, defaults: boolean, keys: Set<string> | null, includeSynonyms: boolean) {
  const { opts, brokerConfigs: store } = ctx.broker;
  const dynDefaults = store.defaults();
  const entry = (name: string, synonyms: Synonym[], readOnly: boolean, type: number, known: boolean) => {
    const first = synonyms[0] as Synonym;
    return {
      name,
      // Kafka does not know the name, so it treats it as a password: sensitive, value hidden
      value: known ? first.value : null,
      readOnly,
      isDefault: first.source === SOURCE.DEFAULT,
      configSource: first.source,
      isSensitive: !known,
      synonyms: includeSynonyms ? synonyms.map((y) => (known ? y : { ...y, value: null })) : [],
      configType: type,
      documentation: null,
    };
  };
  const known = (name: string, statics: Record<string, unknown>) =>
    Object.hasOwn(statics, name) || Object.hasOwn(DYNAMIC_BROKER_CONFIGS, name);
  const statics = brokerConfigs({ ...opts, port: ctx.broker.port() });
  if (defaults) {
    return Object.entries(dynDefaults)
      .filter(([name]) => keys === null || keys.has(name))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) =>
        entry(
          name,
          [{ name, value, source: SOURCE.DYNAMIC_DEFAULT_BROKER }],
          false,
          DYNAMIC_BROKER_CONFIGS[name]?.type ?? 0,
          known(name, statics),
        ),
      );
  }
  const node = store.node(opts.nodeId);
  const names = new Set([
    ...Object.keys(statics),
    ...Object.entries(DYNAMIC_BROKER_CONFIGS)
      .filter(([, d]) => d.default !== null)
      .map(([n]) => n),
    ...Object.keys(dynDefaults),
    ...Object.keys(node),
  ]);
  const out = [];
  for (const name of names) {
    if (keys !== null && !keys.has(name)) continue;
    const synonyms: Synonym[] = [];
    if (Object.hasOwn(node, name)) synonyms.push({ name, value: node[name] as string, source: SOURCE.DYNAMIC_BROKER });
    if (Object.hasOwn(dynDefaults, name))
      synonyms.push({ name, value: dynDefaults[name] as string, source: SOURCE.DYNAMIC_DEFAULT_BROKER });
    const c = statics[name];
    const d = DYNAMIC_BROKER_CONFIGS[name];
    if (c) synonyms.push({ name, value: c.value, source: c.isDefault ? SOURCE.DEFAULT : SOURCE.STATIC_BROKER });
    else if (d && d.default !== null) synonyms.push({ name, value: d.default, source: SOURCE.DEFAULT });
    if (synonyms.length === 0) continue;
    out.push(entry(name, synonyms, !d, c?.type ?? d?.type ?? 0, known(name, statics)));
  }
  return out;
}
