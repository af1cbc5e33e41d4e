// One hook per REST resource, with hierarchical query keys. Lab APIs are same-origin under /api;
// Kafka Connect under /api/connect and the schema registry under /api/schema-registry.
import {
  CompatibilityConfig,
  ConnectionInfo,
  ConnectorPlugin,
  ConnectorsExpanded,
  ConsumerGroupsResponse,
  HealthResponse,
  MqttSummary,
  SubjectVersion,
  TopicDetail,
  TopicsResponse,
} from '@seaway/contracts';
import { HttpError, request, type Schema } from './http.ts';
import { type QueryOptions, useQuery } from './query.ts';

const arrayOf = <T>(item: Schema<T>): Schema<T[]> => ({
  parse(x) {
    if (!Array.isArray(x)) throw new Error('expected a JSON array');
    return x.map((v) => item.parse(v));
  },
});
const str: Schema<string> = {
  parse(x) {
    if (typeof x !== 'string') throw new Error('expected a string');
    return x;
  },
};
const int: Schema<number> = {
  parse(x) {
    if (typeof x !== 'number') throw new Error('expected a number');
    return x;
  },
};

/** Health answers 503 with a body while starting or degraded: that body is still the answer. */
async function fetchHealth(signal: AbortSignal): Promise<HealthResponse> {
  try {
    return await request('/api/health', HealthResponse, { signal });
  } catch (e) {
    if (e instanceof HttpError && e.status === 503) {
      const r = await fetch('/api/health', { signal });
      return HealthResponse.parse(await r.json());
    }
    throw e;
  }
}

export const useHealth = (o?: QueryOptions) => useQuery(['health'], fetchHealth, o);
export const useConnectionInfo = () =>
  useQuery(['connection-info'], (signal) => request('/api/connection-info', ConnectionInfo, { signal }));
export const useTopics = (o?: QueryOptions) =>
  useQuery(['topics'], (signal) => request('/api/topics', TopicsResponse, { signal }), o);
export const useTopic = (name: string, o?: QueryOptions) =>
  useQuery(
    ['topics', name, 'detail'],
    (signal) => request(`/api/topics/${encodeURIComponent(name)}`, TopicDetail, { signal }),
    o,
  );
export const useConsumerGroups = (o?: QueryOptions) =>
  useQuery(['consumer-groups'], (signal) => request('/api/consumer-groups', ConsumerGroupsResponse, { signal }), o);
export const useMqtt = (o?: QueryOptions) =>
  useQuery(['mqtt'], (signal) => request('/api/mqtt', MqttSummary, { signal }), o);

// Kafka Connect
export const CONNECT = '/api/connect';
export const useConnectors = (o?: QueryOptions) =>
  useQuery(
    ['connect', 'connectors'],
    (signal) => request(`${CONNECT}/connectors?expand=status&expand=info`, ConnectorsExpanded, { signal }),
    o,
  );
export const useConnectorPlugins = () =>
  useQuery(['connect', 'plugins'], (signal) =>
    request(`${CONNECT}/connector-plugins`, arrayOf(ConnectorPlugin), { signal }),
  );

// Schema registry
export const REGISTRY = '/api/schema-registry';
const enc = encodeURIComponent;
const del = (deleted: boolean) => (deleted ? '?deleted=true' : '');
/** Live subjects; with `deleted`, soft-deleted ones too (Confluent's ?deleted=true). */
export const useSubjects = (o?: QueryOptions & { deleted?: boolean }) =>
  useQuery(
    ['registry', 'subjects', 'list', o?.deleted === true],
    (signal) => request(`${REGISTRY}/subjects${del(o?.deleted === true)}`, arrayOf(str), { signal }),
    o,
  );
/**
 * Every version of a subject, soft-deleted ones included, and which of them are soft-deleted
 * (`subjectDeleted`: all of them, the subject itself was soft-deleted).
 */
export const useSubjectVersions = (subject: string) =>
  useQuery(['registry', 'subjects', subject, 'versions'], async (signal) => {
    const all = await request(`${REGISTRY}/subjects/${enc(subject)}/versions?deleted=true`, arrayOf(int), { signal });
    // deletedOnly (Confluent 7.3+) instead of the live list: a subject whose versions are all
    // soft-deleted answers that with a 404, which the browser logs as an error.
    const deleted = await request(`${REGISTRY}/subjects/${enc(subject)}/versions?deletedOnly=true`, arrayOf(int), {
      signal,
    });
    return { all, deleted, subjectDeleted: all.length > 0 && deleted.length === all.length };
  });
export const useSubjectVersion = (subject: string, version: number | null) =>
  useQuery(
    ['registry', 'subjects', subject, 'versions', version],
    (signal) =>
      request(`${REGISTRY}/subjects/${enc(subject)}/versions/${version}?deleted=true`, SubjectVersion, { signal }),
    { enabled: version !== null },
  );

/**
 * The subject's effective level (defaultToGlobal=true: no 404 when it has none of its own) and the
 * global level. Confluent has no 404-free way to ask whether a subject set its own level, so a
 * subject pinned to the global value reads as following it.
 */
export const useCompatibility = (subject: string) =>
  useQuery(['registry', 'subjects', subject, 'config'], async (signal) => {
    const [own, global] = await Promise.all([
      request(`${REGISTRY}/config/${enc(subject)}?defaultToGlobal=true`, CompatibilityConfig, { signal }),
      request(`${REGISTRY}/config`, CompatibilityConfig, { signal }),
    ]);
    const globalLevel = global.compatibilityLevel ?? global.compatibility ?? 'BACKWARD';
    const level = own.compatibilityLevel ?? own.compatibility ?? globalLevel;
    return { level, global: globalLevel, inherited: level === globalLevel };
  });
export const useGlobalCompatibility = () =>
  useQuery(['registry', 'config'], async (signal) => {
    const c = await request(`${REGISTRY}/config`, CompatibilityConfig, { signal });
    return c.compatibilityLevel ?? c.compatibility ?? 'BACKWARD';
  });

/**
 * Whether Connect or the registry runs in this lab, from /api/connection-info (null URL = disabled,
 * e.g. CONNECT_PORT=0). Pages skip requests to a disabled service instead of collecting 404s.
 * When connection info is unavailable the service is assumed on, so its own error shows.
 */
export function useServiceOn(service: 'connect' | 'registry'): boolean | undefined {
  const info = useConnectionInfo();
  if (info.error) return true;
  if (!info.data) return undefined;
  return (service === 'connect' ? info.data.connectUrl : info.data.schemaRegistryUrl) !== null;
}
