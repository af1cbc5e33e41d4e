// GET /api/mqtt: the embedded MQTT broker's counters and, when the broker offers them, its clients,
// subscriptions, topics with rates and retained messages (each list capped at LIST_LIMIT).
// POST /api/mqtt/publish: a test message from the console into the broker.
import { MqttPublishRequest, type MqttSummary } from '@seaway/contracts';
import type { FastifyInstance } from 'fastify';
import type { ConsoleApiDeps } from './deps.ts';
import { ConsoleApiError, sendError } from './errors.ts';

const LIST_LIMIT = 500;

export function registerMqttRoutes(app: FastifyInstance, d: ConsoleApiDeps): void {
  app.get('/api/mqtt', async () => {
    const b = d.mqtt();
    if (!b) return { enabled: false, clients: 0, messagesIn: 0, bytesIn: 0 } satisfies MqttSummary;
    const s = b.stats();
    const body: MqttSummary = {
      enabled: true,
      clients: s.clients,
      messagesIn: s.messagesIn,
      bytesIn: s.bytesIn,
      canPublish: !!b.aedes,
    };
    if (s.messagesOut !== undefined) body.messagesOut = s.messagesOut;
    if (b.clients) body.clientList = b.clients().slice(0, LIST_LIMIT);
    if (b.subscriptions) body.subscriptions = b.subscriptions(LIST_LIMIT);
    if (b.topics) body.topics = b.topics(LIST_LIMIT);
    if (b.retained) body.retained = b.retained(LIST_LIMIT);
    return body;
  });

  app.post('/api/mqtt/publish', async (req, reply) => {
    try {
      const b = d.mqtt();
      if (!b?.aedes) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_MQTT_DISABLED',
          'the embedded MQTT broker is not running (MQTT_PORT=0); start the lab with MQTT_PORT set to publish',
        );
      }
      const parsed = MqttPublishRequest.safeParse(req.body);
      if (!parsed.success) {
        throw new ConsoleApiError(
          'SEAWAY_CONSOLE_BAD_REQUEST',
          `invalid publish: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
        );
      }
      const m = parsed.data;
      const aedes = b.aedes;
      await new Promise<void>((resolve, reject) =>
        aedes.publish(
          {
            cmd: 'publish',
            topic: m.topic,
            payload: Buffer.from(m.payload, 'utf8'),
            qos: m.qos,
            retain: m.retain,
            dup: false,
          },
          (err) =>
            err
              ? reject(
                  new ConsoleApiError(
                    'SEAWAY_CONSOLE_MQTT_PUBLISH_FAILED',
                    `the broker refused the message: ${err.message}`,
                  ),
                )
              : resolve(),
        ),
      );
      return reply.code(202).send({ topic: m.topic, bytes: Buffer.byteLength(m.payload) });
    } catch (e) {
      return sendError(reply, e);
    }
  });
}
