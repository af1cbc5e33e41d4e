// Shared test plumbing: a broker on a free port, a WebSocket front door like the lab's, and a raw
// TCP client for byte-level tests.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { type MqttBroker, type MqttBrokerConfig, startMqttBroker } from '../src/index.ts';

export async function withBroker<T>(
  cfg: Partial<MqttBrokerConfig>,
  fn: (b: MqttBroker, url: string) => Promise<T>,
): Promise<T> {
  const b = await startMqttBroker({ port: 0, host: '127.0.0.1', ...cfg });
  try {
    return await fn(b, `mqtt://127.0.0.1:${b.port}`);
  } finally {
    await b.close();
  }
}

/** An http.Server + ws WebSocketServer on /mqtt passing upgrades to the broker, as the lab does. */
export async function wsFrontDoor(b: MqttBroker): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (req.url !== '/mqtt') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => b.handleWebSocket(ws, req));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/mqtt`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

export async function rawSocket(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

/** MQTT 3.1.1 CONNECT with a client id, clean session, keep-alive 60 s. */
export function connectPacket(
  clientId: string,
  opts: { clean?: boolean; username?: string; password?: string } = {},
): Buffer {
  const id = Buffer.from(clientId);
  let flags = opts.clean === false ? 0 : 0x02;
  const parts = [Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4]), Buffer.alloc(3)];
  const payload = [u16str(id)];
  if (opts.username !== undefined) {
    flags |= 0x80;
    payload.push(u16str(Buffer.from(opts.username)));
  }
  if (opts.password !== undefined) {
    flags |= 0x40;
    payload.push(u16str(Buffer.from(opts.password)));
  }
  (parts[1] as Buffer).writeUInt8(flags, 0);
  (parts[1] as Buffer).writeUInt16BE(60, 1);
  return frame(0x10, Buffer.concat([...parts, ...payload]));
}

export function publishPacket(topic: string, payload: Buffer, qos: 0 | 1 | 2, messageId = 1): Buffer {
  const t = u16str(Buffer.from(topic));
  const id = Buffer.alloc(qos > 0 ? 2 : 0);
  if (qos > 0) id.writeUInt16BE(messageId, 0);
  return frame(0x30 | (qos << 1), Buffer.concat([t, id, payload]));
}

function u16str(b: Buffer): Buffer {
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length, 0);
  return Buffer.concat([l, b]);
}

export function frame(first: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    len.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}

/** Collects bytes from a socket; `waitFor` resolves once the predicate holds over everything received. */
export class Received {
  buf = Buffer.alloc(0);
  closed = false;
  #waiters: (() => void)[] = [];
  constructor(s: Socket) {
    s.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.#wake();
    });
    s.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    s.on('error', () => {});
  }
  #wake() {
    for (const w of this.#waiters.splice(0)) w();
  }
  async waitFor(pred: (r: Received) => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
  /** Count of packets of one type (first byte >> 4) in what was received. */
  count(type: number): number {
    let n = 0;
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      const t = (b[i] as number) >> 4;
      let mult = 1;
      let len = 0;
      let j = i + 1;
      let byte: number;
      do {
        byte = b[j++] as number;
        len += (byte & 127) * mult;
        mult *= 128;
      } while (byte & 128 && j < b.length);
      if (j + len > b.length) break;
      if (t === type) n++;
      i = j + len;
    }
    return n;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
