// GET /metrics: Prometheus text exposition of the lab's hop counters and the MQTT broker's own.
import type { MqttBroker } from '@seaway/mqtt-broker';
import type { FastifyInstance } from 'fastify';
import type { MetricsHub } from './metrics-hub.ts';

export function registerPrometheus(
  app: FastifyInstance,
  d: { hub: MetricsHub; broker: () => MqttBroker | null },
): void {
  app.get('/metrics', async (_req, reply) => {
    const f = d.hub.current();
    const lines = [
      '# HELP seaway_hop_messages_total Messages that passed each hop of the data path.',
      '# TYPE seaway_hop_messages_total counter',
      ...Object.entries(f.hops).map(([hop, c]) => `seaway_hop_messages_total{hop="${hop}"} ${c.messages}`),
      '# HELP seaway_hop_bytes_total Payload bytes that passed each hop (0 where the hop cannot see bytes).',
      '# TYPE seaway_hop_bytes_total counter',
      ...Object.entries(f.hops).map(([hop, c]) => `seaway_hop_bytes_total{hop="${hop}"} ${c.bytes}`),
      '',
    ];
    const broker = d.broker();
    const text = lines.join('\n') + (broker ? broker.prometheus() : '');
    return reply.type('text/plain; version=0.0.4').send(text);
  });
}
