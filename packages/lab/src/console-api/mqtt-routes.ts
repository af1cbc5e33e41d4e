// GET /api/mqtt: the embedded MQTT broker's counters (and client list when the broker offers one).
import type { MqttSummary } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';

export function registerMqttRoutes(app: FastifyInstance, d: ConsoleApiDeps): void {
  app.get('/api/mqtt', async () => {
    const b = d.mqtt();
    if (!b) return { enabled: false, clients: 0, messagesIn: 0, bytesIn: 0 } satisfies MqttSummary;
    const s = b.stats();
    const body: MqttSummary = { enabled: true, clients: s.clients, messagesIn: s.messagesIn, bytesIn: s.bytesIn };
    if (b.clientList) body.clientList = b.clientList();
    return body;
  });
}
