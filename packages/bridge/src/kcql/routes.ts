// Routing for the MQTT source: which KCQL statement an arriving MQTT topic belongs to, and which
// Kafka topic it goes to.
//
// Matching follows MQTT 3.1.1 topic filters ([MQTT-4.7.1-2] '#' matches the parent level and any
// number of child levels, [MQTT-4.7.1-3] '+' matches one level) after stripping a shared-subscription
// prefix `$share/<group>/` ([MQTT-5 4.8.2]); WITHREGEX, when given, replaces the filter test as in
// Stream Reactor. The target `$` maps the MQTT topic to a Kafka topic the way Stream Reactor does:
// drop one leading '/', then every run of '/' becomes '_' ("/a/b" -> "a_b").
import type { KcqlStatement } from './parse.ts';

/** The filter to subscribe with and match against, without any `$share/group/` prefix. */
export function plainFilter(source: string): string {
  if (source.startsWith('$share/')) {
    const rest = source.slice('$share/'.length);
    const slash = rest.indexOf('/');
    return slash < 0 ? '' : rest.slice(slash + 1);
  }
  return source;
}

export function isSharedSubscription(source: string): boolean {
  return source.startsWith('$share/');
}

/** MQTT topic filter match ('+' one level, trailing '#' any levels including the parent). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // [MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with '$'.
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Stream Reactor's `$` target: "/a/b" -> "a_b", "a//b" -> "a_b". */
export function dollarTarget(mqttTopic: string): string {
  return mqttTopic.replace(/^\//, '').replace(/\/+/g, '_');
}

export interface Route {
  statement: KcqlStatement;
  filter: string;
  regex: RegExp | undefined;
}

export function buildRoutes(statements: KcqlStatement[]): Route[] {
  return statements.map((s) => ({
    statement: s,
    filter: plainFilter(s.source),
    regex: s.withRegex === undefined ? undefined : new RegExp(`^(?:${s.withRegex})$`),
  }));
}

/** The first route whose filter (or regex) matches the topic, as Stream Reactor picks the first match. */
export function routeFor(routes: Route[], topic: string): Route | undefined {
  for (const r of routes) {
    if (r.regex ? r.regex.test(topic) : topicMatches(r.filter, topic)) return r;
  }
  return undefined;
}

export function kafkaTopicFor(route: Route, mqttTopic: string): string {
  return route.statement.target === '$' ? dollarTarget(mqttTopic) : route.statement.target;
}
