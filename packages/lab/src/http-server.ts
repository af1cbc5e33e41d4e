// The lab's HTTP server on WEB_PORT: console, /api/*, and two WebSocket endpoints on the same
// origin: /ws (metrics frames) and /mqtt (MQTT over WebSocket into the embedded broker).

import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import { authorized, limitedServer, requireBasicAuth } from './auth-http.ts';
import { DEFAULT_WEB_LIMITS, fastifyLimitOptions, type HttpLimitStats, type HttpLimits } from './http-limits.ts';
import type { MetricsHub } from './metrics-hub.ts';
import { registerConsole } from './static-files.ts';

export interface HttpServerOptions {
  port: number;
  host: string;
  /** Connections, timeouts and body size on this port (http-limits.ts; default DEFAULT_WEB_LIMITS). */
  limits?: HttpLimits;
  hub: MetricsHub;
  auth: { user: string; password: string } | null;
  /** Hands MQTT-over-WebSocket connections to the broker; null when MQTT is disabled. */
  mqttWebSocket: ((socket: WebSocket, req: IncomingMessage) => void) | null;
  routes: (app: FastifyInstance) => void | Promise<void>;
  /** Also hands each /ws socket to this (the console's live tail listens for subscribe messages). */
  onWebSocket?: (ws: WebSocket) => void;
}

export async function startHttpServer(
  o: HttpServerOptions,
): Promise<{ app: FastifyInstance; port: number; limits: HttpLimitStats }> {
  const l = o.limits ?? DEFAULT_WEB_LIMITS;
  const app = Fastify({ logger: false, ...fastifyLimitOptions(l) });
  const limits = limitedServer(app, l);
  requireBasicAuth(app, o.auth);
  await o.routes(app);
  registerConsole(app);

  const metricsWss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // Each frame is serialised once, however many clients watch.
  let lastFrame: unknown = null;
  let lastText = '';
  const text = (f: unknown) => {
    if (f !== lastFrame) {
      lastFrame = f;
      lastText = JSON.stringify(f);
    }
    return lastText;
  };
  metricsWss.on('connection', (ws) => {
    ws.send(text(o.hub.current()));
    const off = o.hub.subscribe((f) => {
      // A client that cannot keep up skips frames instead of growing our memory.
      if (ws.bufferedAmount < 1024 * 1024) ws.send(text(f));
    });
    ws.on('close', off);
    ws.on('error', off);
    o.onWebSocket?.(ws);
  });
  const mqttWss = new WebSocketServer({
    noServer: true,
    handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : p.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  mqttWss.on('connection', (ws, req) => o.mqttWebSocket?.(ws, req));

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (o.auth && !authorized(req.headers.authorization, o.auth)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="Seaway"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (path === '/ws') metricsWss.handleUpgrade(req, socket, head, (ws) => metricsWss.emit('connection', ws, req));
    else if (path === '/mqtt' && o.mqttWebSocket)
      mqttWss.handleUpgrade(req, socket, head, (ws) => mqttWss.emit('connection', ws, req));
    else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  app.addHook('onClose', async () => {
    for (const c of metricsWss.clients) c.terminate();
    for (const c of mqttWss.clients) c.terminate();
  });

  await app.listen({ port: o.port, host: o.host });
  return { app, port: (app.server.address() as AddressInfo).port, limits };
}
