// The console's server side: every /api route the web console needs beyond health and the topic
// list. The lab calls registerConsoleApi(app, deps) once; see README.md for the wiring.
import type { FastifyInstance } from 'fastify';
import { registerClusterRoutes } from './cluster-routes.ts';
import { registerConnectionInfo } from './connection-info.ts';
import { registerConnectorMetrics } from './connector-metrics-routes.ts';
import type { ConsoleApiDeps } from './deps.ts';
import { registerGeneratorRoutes } from './generator-runs.ts';
import { registerGroupRoutes } from './group-routes.ts';
import { consoleKafka } from './kafka-access.ts';
import { registerMapRoutes } from './map-routes.ts';
import { registerMessageRoutes } from './message-routes.ts';
import { registerMqttRoutes } from './mqtt-routes.ts';
import { registerTopicAdminRoutes } from './topic-admin-routes.ts';
import { registerTopicList } from './topic-list.ts';
import { registerTopicRoutes } from './topic-routes.ts';

export type { ClusterLike, ConnectorMetricsLike, ConsoleApiDeps, MqttBrokerLike, ScanStats } from './deps.ts';
export { ConsoleErrors } from './errors.ts';
export { GeneratorLimits } from './generator-runs.ts';
export { consoleKafka, LazyClient } from './kafka-access.ts';
export { MapLimits } from './map-routes.ts';
export { createTailHub, type TailHub, TailLimits, type TailSocket } from './tail-hub.ts';
export { listTopics } from './topic-list.ts';

export function registerConsoleApi(app: FastifyInstance, deps: ConsoleApiDeps): void {
  const kafka = consoleKafka(deps);
  app.addHook('onClose', async () => {
    kafka.wire.close();
    await Promise.all([kafka.admin.close(), kafka.producer.close()]);
  });
  registerConnectionInfo(app, deps);
  if (deps.serveTopicList) registerTopicList(app, kafka);
  registerTopicRoutes(app, kafka);
  registerTopicAdminRoutes(app, kafka);
  registerMessageRoutes(app, kafka);
  registerGroupRoutes(app, kafka);
  registerMqttRoutes(app, deps);
  registerMapRoutes(app, kafka);
  registerGeneratorRoutes(app, deps);
  registerConnectorMetrics(app, deps);
  registerClusterRoutes(app, deps);
}
