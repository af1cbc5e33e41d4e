// The embedded MQTT broker: aedes behind a TCP listener, plus a hook the lab uses to hand it
// WebSocket connections from its own HTTP server (ws://host:3030/mqtt). Counters are plain numbers
// read by the lab's 1 Hz metrics frame.
import type { IncomingMessage } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { createWebSocketStream, type WebSocket } from 'ws';

export interface MqttBrokerConfig {
  /** TCP port for MQTT; 0 picks a free port, null disables the TCP listener. */
  port: number | null;
  host: string;
}

export interface MqttBrokerStats {
  clients: number;
  /** PUBLISH packets received from clients (not $SYS, not broker-originated). */
  messagesIn: number;
  bytesIn: number;
}

export interface MqttBroker {
  readonly aedes: Aedes;
  /** The bound TCP port, or null when the TCP listener is disabled. */
  readonly port: number | null;
  stats(): MqttBrokerStats;
  /** Serve one MQTT-over-WebSocket connection accepted by someone else's HTTP server. */
  handleWebSocket(socket: WebSocket, req: IncomingMessage): void;
  close(): Promise<void>;
}

export async function startMqttBroker(config: MqttBrokerConfig): Promise<MqttBroker> {
  const aedes = await Aedes.createBroker();
  const counters = { messagesIn: 0, bytesIn: 0 };
  aedes.on('publish', (packet, client) => {
    if (!client) return;
    counters.messagesIn++;
    counters.bytesIn += packet.payload.length;
  });

  let server: Server | null = null;
  let port: number | null = null;
  if (config.port !== null) {
    const srv = createServer(aedes.handle);
    server = srv;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(config.port ?? 0, config.host, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    port = (srv.address() as AddressInfo).port;
  }

  return {
    aedes,
    port,
    stats: () => ({ clients: aedes.connectedClients, ...counters }),
    handleWebSocket(socket, req) {
      aedes.handle(createWebSocketStream(socket), req);
    },
    async close() {
      if (server) {
        const srv = server;
        await new Promise<void>((resolve) => srv.close(() => resolve()));
      }
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
