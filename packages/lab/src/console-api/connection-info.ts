// GET /api/connection-info: the connection strings the overview offers to copy, built from ADV_HOST
// and the ports the lab actually listens on.
import type { ConnectionInfo } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';

export function connectionInfo(d: ConsoleApiDeps, webPort: number): ConnectionInfo {
  const host = d.advHost;
  const web = `${host}:${webPort}`;
  const p = d.ports;
  return {
    kafkaBootstrap: d.kafkaBootstrap,
    mqttUrl: p.mqtt ? `mqtt://${host}:${p.mqtt}` : null,
    mqttWebSocketUrl: p.mqtt ? `ws://${web}/mqtt` : null,
    schemaRegistryUrl:
      d.registryUrl ??
      (p.registry
        ? `http://${host}:${p.registry}`
        : d.embeddedRegistry !== false
          ? `http://${web}/api/schema-registry`
          : null),
    connectUrl: p.connect
      ? `http://${host}:${p.connect}`
      : d.embeddedConnect !== false
        ? `http://${web}/api/connect`
        : null,
    consoleUrl: `http://${web}`,
  };
}

export function registerConnectionInfo(app: FastifyInstance, d: ConsoleApiDeps): void {
  app.get('/api/connection-info', async (req) => connectionInfo(d, d.ports.web || req.socket.localPort || 3030));
}
