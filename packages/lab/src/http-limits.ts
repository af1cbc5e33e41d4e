// Limits on one HTTP port of the lab (WEB_PORT, REGISTRY_PORT, CONNECT_PORT), with the counters
// /metrics shows per port: connections in total (Node's server.maxConnections, excess closed at
// accept) and per remote address, idle connections (no byte either way for idleTimeoutMs: fastify's
// connectionTimeout), requests whose headers and body are not complete within requestTimeoutMs
// (slowloris; Node answers 408 and closes) and bodies over bodyLimit (fastify answers 413).
// WebSocket upgrades (/ws, /mqtt) count as connections while they live; ws clears the idle timer.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  bodyLimit: number;
}

/** The web port's defaults (config.ts has the settings); tests that start a bare server use them. */
export const DEFAULT_WEB_LIMITS: Readonly<HttpLimits> = Object.freeze({
  maxConnections: 2000,
  maxConnectionsPerAddress: 1000,
  idleTimeoutMs: 120_000,
  requestTimeoutMs: 30_000,
  bodyLimit: 10 * 1024 * 1024,
});

export interface HttpLimitStats {
  open: number;
  refusedTotal: number;
  refusedPerAddress: number;
  requestTimeouts: number;
  idleTimeouts: number;
  bodyTooLarge: number;
}

/** The fastify options that carry the limits fastify and Node enforce themselves. */
export function fastifyLimitOptions(l: HttpLimits): {
  bodyLimit: number;
  connectionTimeout: number;
  requestTimeout: number;
  http: { connectionsCheckingInterval: number };
} {
  return {
    bodyLimit: l.bodyLimit,
    connectionTimeout: l.idleTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    // Node checks the request timeout on this interval (default 30 s): without it a slow request was
    // cut anywhere between requestTimeoutMs and requestTimeoutMs + 30 s
    http: { connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(l.requestTimeoutMs / 4))) },
  };
}

/** Counts and enforces the connection limits on `server` (call before listen). */
export function applyHttpLimits(server: Server, l: HttpLimits): HttpLimitStats {
  const stats: HttpLimitStats = {
    open: 0,
    refusedTotal: 0,
    refusedPerAddress: 0,
    requestTimeouts: 0,
    idleTimeouts: 0,
    bodyTooLarge: 0,
  };
  const perAddress = new Map<string, number>();
  server.maxConnections = l.maxConnections;
  // headers must arrive within the request timeout too (Node requires headersTimeout <= requestTimeout)
  server.headersTimeout = Math.min(server.headersTimeout, l.requestTimeoutMs);
  server.on('drop', () => {
    stats.refusedTotal++;
  });
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '?';
    const n = perAddress.get(address) ?? 0;
    if (n >= l.maxConnectionsPerAddress) {
      stats.refusedPerAddress++;
      socket.destroy();
      return;
    }
    perAddress.set(address, n + 1);
    stats.open++;
    socket.once('timeout', () => {
      stats.idleTimeouts++;
    });
    socket.once('close', () => {
      stats.open--;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') stats.requestTimeouts++;
  });
  return stats;
}

/** Prometheus lines for every port's stats, `port` label web / registry / connect. */
export function httpLimitsPrometheus(ports: Record<string, HttpLimitStats>): string {
  const rows: [string, string, string, (s: HttpLimitStats) => number][] = [
    ['seaway_http_connections_open', 'gauge', 'Open connections per HTTP port.', (s) => s.open],
    [
      'seaway_http_connections_refused_total',
      'counter',
      'Connections closed at accept: the port held its maximum in total or from that address.',
      (s) => s.refusedTotal + s.refusedPerAddress,
    ],
    [
      'seaway_http_request_timeouts_total',
      'counter',
      'Requests not complete within the request timeout (answered 408, closed).',
      (s) => s.requestTimeouts,
    ],
    [
      'seaway_http_idle_timeouts_total',
      'counter',
      'Connections closed after the idle timeout without a byte either way.',
      (s) => s.idleTimeouts,
    ],
    [
      'seaway_http_body_too_large_total',
      'counter',
      'Requests answered 413 (body over the limit).',
      (s) => s.bodyTooLarge,
    ],
  ];
  const lines: string[] = [];
  for (const [name, type, help, get] of rows) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [port, s] of Object.entries(ports)) lines.push(`${name}{port="${port}"} ${get(s)}`);
  }
  // per-address refusals on their own, so a flood from one host is visible
  lines.push(
    '# HELP seaway_http_connections_refused_per_address_total Connections closed at accept: that address held its maximum.',
    '# TYPE seaway_http_connections_refused_per_address_total counter',
  );
  for (const [port, s] of Object.entries(ports)) {
    lines.push(`seaway_http_connections_refused_per_address_total{port="${port}"} ${s.refusedPerAddress}`);
  }
  return `${lines.join('\n')}\n`;
}
