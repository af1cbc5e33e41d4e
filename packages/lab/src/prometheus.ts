// GET /metrics: Prometheus text exposition of the lab's hop counters, the MQTT broker's own, and
// what the limits did: connections and timeouts per HTTP port, the embedded Kafka port's connection
// limits, console scans.
import type { ConnectionStats } from '@seaway/kafka-broker';
import type { MqttBroker } from '@seaway/mqtt-broker';
import type { FastifyInstance } from 'fastify';
import type { ScanStats } from './console-api/index.ts';
import { type HttpLimitStats, httpLimitsPrometheus } from './http-limits.ts';
import type { MetricsHub } from './metrics-hub.ts';

export interface LimitStats {
  /** Per HTTP port: web, registry, connect (those that listen). */
  http: Record<string, HttpLimitStats>;
  scans: ScanStats;
  /** The embedded Kafka's connection limits; absent with KAFKA_BROKERS. */
  kafka?: () => ConnectionStats;
}

function kafkaLines(s: ConnectionStats): string[] {
  const rows: [string, string, number][] = [
    ['seaway_kafka_connections_open', 'gauge', s.open],
    ['seaway_kafka_buffered_bytes', 'gauge', s.bufferedBytes],
    ['seaway_kafka_connections_refused_total', 'counter', s.refusedTotal],
    ['seaway_kafka_connections_refused_per_address_total', 'counter', s.refusedPerAddress],
    ['seaway_kafka_connections_closed_idle_total', 'counter', s.closedIdle],
    ['seaway_kafka_connections_closed_partial_frame_total', 'counter', s.closedPartialTimeout],
    ['seaway_kafka_connections_closed_buffer_full_total', 'counter', s.closedBufferFull],
  ];
  return rows.flatMap(([name, type, v]) => [`# TYPE ${name} ${type}`, `${name} ${v}`]);
}

/** process.memoryUsage(): RSS, the V8 heap, and memory outside it (Buffers are array buffers). */
function memoryLines(): string[] {
  const m = process.memoryUsage();
  const rows: [string, number, string][] = [
    ['seaway_process_resident_memory_bytes', m.rss, 'Resident set size.'],
    ['seaway_process_heap_used_bytes', m.heapUsed, 'V8 heap in use (live objects and garbage not yet collected).'],
    ['seaway_process_heap_total_bytes', m.heapTotal, 'V8 heap reserved.'],
    [
      'seaway_process_external_bytes',
      m.external,
      'Memory of C++ objects bound to JavaScript ones, array buffers included.',
    ],
    ['seaway_process_array_buffers_bytes', m.arrayBuffers, 'Memory of ArrayBuffers and Buffers.'],
  ];
  return rows.flatMap(([name, v, help]) => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${v}`]);
}

export function registerPrometheus(
  app: FastifyInstance,
  d: { hub: MetricsHub; broker: () => MqttBroker | null; limits?: LimitStats },
): void {
  app.get<{ Querystring: { gc?: string } }>('/metrics', async (req, reply) => {
    // ?gc=1 runs a full garbage collection first when node was started with --expose-gc (the fuzz
    // tool does, to tell memory still referenced from memory V8 or glibc has not given back)
    const gc = (globalThis as { gc?: () => void }).gc;
    if (req.query.gc === '1' && gc) gc();
    const f = d.hub.current();
    const lines = [
      '# HELP seaway_hop_messages_total Messages that passed each hop of the data path.',
      '# TYPE seaway_hop_messages_total counter',
      ...Object.entries(f.hops).map(([hop, c]) => `seaway_hop_messages_total{hop="${hop}"} ${c.messages}`),
      '# HELP seaway_hop_bytes_total Payload bytes that passed each hop (0 where the hop cannot see bytes).',
      '# TYPE seaway_hop_bytes_total counter',
      ...Object.entries(f.hops).map(([hop, c]) => `seaway_hop_bytes_total{hop="${hop}"} ${c.bytes}`),
      ...(d.limits
        ? [
            '# HELP seaway_console_scans_running Console message scans running now (CONSOLE_MAX_SCANS).',
            '# TYPE seaway_console_scans_running gauge',
            `seaway_console_scans_running ${d.limits.scans.running}`,
            '# HELP seaway_console_scans_refused_total Console message scans answered 429.',
            '# TYPE seaway_console_scans_refused_total counter',
            `seaway_console_scans_refused_total ${d.limits.scans.refused}`,
            ...(d.limits.kafka ? kafkaLines(d.limits.kafka()) : []),
          ]
        : []),
      ...memoryLines(),
      '',
    ];
    const broker = d.broker();
    const text =
      lines.join('\n') + (d.limits ? httpLimitsPrometheus(d.limits.http) : '') + (broker ? broker.prometheus() : '');
    return reply.type('text/plain; version=0.0.4').send(text);
  });
}
