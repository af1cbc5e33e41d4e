// Sockets for the fuzz tool: a TCP or WebSocket (MQTT over ws://…/mqtt) connection that writes bytes
// and counts how it ended, plus the "does a normal client still work" probes for every port.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { mqttConnect, mqttPublishQos1 } from './frames.ts';

export interface Ports {
  kafka: number;
  mqtt: number;
  web: number;
  registry: number;
  connect: number;
}

export function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** A WebSocket frame from the client (masked), binary opcode unless given. */
export function wsFrame(payload: Buffer, opcode = 2): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, 0x80 | len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255])
        : (() => {
            const b = Buffer.alloc(10);
            b[0] = 0x80 | opcode;
            b[1] = 0x80 | 127;
            b.writeBigUInt64BE(BigInt(len), 2);
            return b;
          })();
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (mask[i & 3] as number);
  return Buffer.concat([head, mask, body]);
}

/** Opens ws://127.0.0.1:port/mqtt (subprotocol mqtt) and resolves once the 101 arrived. */
export async function wsMqtt(port: number, auth?: string): Promise<Socket> {
  const s = await tcp(port);
  s.write(
    `GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n${auth ? `Authorization: ${auth}\r\n` : ''}\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        s.off('data', onData);
        if (got.startsWith('HTTP/1.1 101')) resolve();
        else reject(new Error(`no upgrade: ${got.split('\r\n')[0]}`));
      }
    };
    s.on('data', onData);
    s.once('close', () => reject(new Error('closed before the upgrade')));
  });
  return s;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

/** CONNECT, one QoS 1 PUBLISH, wait for CONNACK and PUBACK (over TCP, or ws when `ws`). */
async function mqttRoundTrip(port: number, ws: boolean): Promise<void> {
  const s = ws ? await wsMqtt(port) : await tcp(port);
  const send = (b: Buffer) => s.write(ws ? wsFrame(b) : b);
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        s.on('data', (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          // server frames are unmasked: look for CONNACK (0x20) and PUBACK (0x40) bytes in order
          const i = buf.indexOf(0x20);
          if (i >= 0 && buf.indexOf(0x40, i) >= 0) resolve();
        });
        s.on('close', () => reject(new Error('closed')));
        send(mqttConnect(`fuzz-probe-${Math.random().toString(16).slice(2, 8)}`));
        send(mqttPublishQos1('fuzz-probe/x', 1, 'probe'));
      }),
      10_000,
      ws ? 'MQTT over WebSocket' : 'MQTT',
    );
  } finally {
    s.destroy();
  }
}

async function httpOk(url: string): Promise<void> {
  const r = await withTimeout(fetch(url), 10_000, url);
  await r.arrayBuffer();
  if (r.status >= 500) throw new Error(`${url}: ${r.status}`);
}

/** One normal client per port; resolves with the failures (empty when everything works). */
export async function probeAll(p: Ports): Promise<string[]> {
  const checks: [string, () => Promise<void>][] = [
    [
      'kafka',
      async () => {
        const admin = new Kafka({
          brokers: [`127.0.0.1:${p.kafka}`],
          logLevel: logLevel.NOTHING,
          retry: { retries: 3 },
        }).admin();
        await withTimeout(admin.connect(), 10_000, 'kafka connect');
        await withTimeout(admin.listTopics(), 10_000, 'kafka listTopics');
        await admin.disconnect();
      },
    ],
    ['mqtt', () => mqttRoundTrip(p.mqtt, false)],
    ['mqtt-ws', () => mqttRoundTrip(p.web, true)],
    ['http-3030', () => httpOk(`http://127.0.0.1:${p.web}/api/health`)],
    ['http-8081', () => httpOk(`http://127.0.0.1:${p.registry}/subjects`)],
    ['http-8083', () => httpOk(`http://127.0.0.1:${p.connect}/connectors`)],
  ];
  const failures: string[] = [];
  for (const [name, fn] of checks) {
    try {
      await fn();
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  return failures;
}
