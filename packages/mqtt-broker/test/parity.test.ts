// The same MQTT 5 and shared-subscription checks against Seaway and against mosquitto (started here
// on a random port), to show parity: each check runs once per target with mqtt.js.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, connect as tcp } from 'node:net';
import { test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { command } from '../../../scripts/testing/needs.mjs';
import { startMqttBroker } from '../src/index.ts';
import { sleep } from './helpers.ts';

const mosquitto = command('mosquitto');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Target {
  url: string;
  stop(): Promise<void>;
}

async function seaway(): Promise<Target> {
  const b = await startMqttBroker({ port: 0, host: '127.0.0.1' });
  return { url: `mqtt://127.0.0.1:${b.port}`, stop: () => b.close() };
}

async function mosquittoTarget(): Promise<Target> {
  const port = await freePort();
  const p: ChildProcess = spawn(mosquitto as string, ['-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
      await c.endAsync();
      break;
    } catch {
      await sleep(50);
    }
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
    },
  };
}

const v5 = (url: string, clientId: string) =>
  mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, clientId });

async function collect(c: MqttClient, ms: number): Promise<string[]> {
  const got: string[] = [];
  const on = (t: string, p: Buffer) => got.push(`${t}=${p}`);
  c.on('message', on);
  await sleep(ms);
  c.off('message', on);
  return got;
}

/** A v5 subscriber on a raw socket (mqtt-packet) that acknowledges only when told to. */
async function rawSubscriber(url: string, properties: Record<string, unknown>, filters: [string, number][]) {
  const s = tcp(Number(new URL(url).port), '127.0.0.1');
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  const got: {
    cmd: string;
    qos?: number;
    messageId?: number;
    payload?: Buffer;
    properties?: { subscriptionIdentifier?: number | number[] };
  }[] = [];
  s.on('data', (d) => parser.parse(d));
  parser.on('packet', (p) => got.push(p as never));
  const send = (p: object) => s.write(mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 }));
  send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 5,
    clean: true,
    clientId: 'raw-sub',
    keepalive: 60,
    properties,
  });
  let id = 1;
  for (const [topic, si] of filters)
    send({
      cmd: 'subscribe',
      messageId: id++,
      subscriptions: [{ topic, qos: 1 }],
      properties: { subscriptionIdentifier: si },
    });
  await sleep(200);
  return { got, send, close: () => s.destroy() };
}

type Check = (url: string) => Promise<unknown>;
const checks: Record<string, Check> = {
  'receive maximum, maximum packet size and subscription identifiers the client announced': async (url) => {
    const sub = await rawSubscriber(url, { receiveMaximum: 2, maximumPacketSize: 200 }, [
      ['prm/#', 7],
      ['prm/+', 9],
    ]);
    const p = await v5(url, 'prm-pub');
    for (let i = 0; i < 5; i++) await p.publishAsync('prm/a', `m${i}`, { qos: 1 });
    await p.publishAsync('prm/a', Buffer.alloc(300), { qos: 1 });
    await p.publishAsync('prm/a', Buffer.alloc(300), { qos: 0 });
    await p.publishAsync('prm/a', 'q0', { qos: 0 });
    await sleep(300);
    const q1 = () => sub.got.filter((x) => x.cmd === 'publish' && x.qos === 1);
    const unackedAtMost = q1().length; // mosquitto sends one copy per subscription, Seaway one with both ids
    const q0BeforeAcks = sub.got.some((x) => x.cmd === 'publish' && String(x.payload) === 'q0');
    for (let round = 0; round < 12; round++) {
      for (const x of q1()) sub.send({ cmd: 'puback', messageId: x.messageId });
      await sleep(50);
    }
    const ids = new Map<string, Set<number>>();
    for (const x of sub.got.filter((x) => x.cmd === 'publish')) {
      const si = x.properties?.subscriptionIdentifier;
      const set = ids.get(String(x.payload)) ?? new Set<number>();
      for (const n of Array.isArray(si) ? si : [si]) set.add(Number(n));
      ids.set(String(x.payload), set);
    }
    sub.close();
    await p.endAsync();
    return {
      unackedAtMost,
      q0BeforeAcks,
      delivered: [...ids]
        .map(([payload, s]) => `${payload.length > 10 ? 'big' : payload}:${[...s].sort().join('+')}`)
        .sort(),
    };
  },
  'no local, retain as published, subscription identifier': async (url) => {
    const c = await v5(url, 'opt');
    await c.subscribeAsync('po/nl', { qos: 1, nl: true });
    await c.subscribeAsync('po/rap', { qos: 1, rap: true, properties: { subscriptionIdentifier: 5 } } as never);
    const seen: { t: string; retain: boolean; si: unknown }[] = [];
    c.on('message', (t, _p, pk) => seen.push({ t, retain: pk.retain, si: pk.properties?.subscriptionIdentifier }));
    await c.publishAsync('po/nl', 'x', { qos: 1 });
    await c.publishAsync('po/rap', 'y', { qos: 1, retain: true });
    await sleep(200);
    await c.publishAsync('po/rap', '', { qos: 1, retain: true }); // clear
    await c.endAsync();
    return seen.map((s) => ({ ...s, si: Array.isArray(s.si) ? s.si[0] : s.si }));
  },
  'retain handling 0/1/2': async (url) => {
    const p = await v5(url, 'rhp');
    await p.publishAsync('prh/x', 'kept', { qos: 1, retain: true });
    const counts: number[] = [];
    for (const rh of [0, 1, 2] as const) {
      const c = await v5(url, `rh${rh}`);
      let n = 0;
      c.on('message', () => n++);
      await c.subscribeAsync('prh/#', { qos: 1, rh });
      await c.subscribeAsync('prh/#', { qos: 1, rh });
      await sleep(150);
      counts.push(n);
      await c.endAsync();
    }
    await p.publishAsync('prh/x', '', { qos: 1, retain: true });
    await p.endAsync();
    return counts;
  },
  'publish to $SYS: v5 reason code': async (url) => {
    const c = await v5(url, 'sys');
    const rc = await new Promise<number>((r) =>
      c.publish('$SYS/x', 'y', { qos: 1 }, (err, pk) =>
        r((pk as { reasonCode?: number } | undefined)?.reasonCode ?? (err as { code?: number } | undefined)?.code ?? 0),
      ),
    );
    const connected = c.connected;
    await c.endAsync();
    return { rc, connected };
  },
  'topic alias from the client': async (url) => {
    const c = await v5(url, 'ta');
    await c.subscribeAsync('pta/#', { qos: 1 });
    const got = collect(c, 300);
    await c.publishAsync('pta/a', '1', { qos: 1, properties: { topicAlias: 1 } });
    await c.publishAsync('', '2', { qos: 1, properties: { topicAlias: 1 } });
    const r = await got;
    await c.endAsync();
    return r;
  },
  'shared subscription: round robin, each message once, literal $share topic not delivered': async (url) => {
    const a = await v5(url, 'sa');
    const b = await v5(url, 'sb');
    await a.subscribeAsync('$share/g/psh/#', { qos: 1 });
    await b.subscribeAsync('$share/g/psh/#', { qos: 1 });
    const ga = collect(a, 500);
    const gb = collect(b, 500);
    const p = await v5(url, 'sp');
    for (let i = 0; i < 6; i++) await p.publishAsync('psh/x', String(i), { qos: 1 });
    const literal = await new Promise<number>((r) =>
      p.publish('$share/g/psh/x', 'literal', { qos: 1 }, (err, pk) =>
        r((pk as { reasonCode?: number } | undefined)?.reasonCode ?? (err as { code?: number } | undefined)?.code ?? 0),
      ),
    );
    const [ra, rb] = await Promise.all([ga, gb]);
    await Promise.all([a.endAsync(), b.endAsync(), p.endAsync()]);
    return { a: ra.length, b: rb.length, all: [...ra, ...rb].sort(), literal };
  },
};

for (const [name, check] of Object.entries(checks)) {
  test(`parity with mosquitto: ${name}`, { skip: !mosquitto && 'mosquitto not installed' }, async () => {
    const results: unknown[] = [];
    for (const start of [seaway, mosquittoTarget]) {
      const t = await start();
      try {
        results.push(await check(t.url));
      } finally {
        await t.stop();
      }
    }
    assert.deepEqual(
      results[0],
      results[1],
      `seaway ${JSON.stringify(results[0])} vs mosquitto ${JSON.stringify(results[1])}`,
    );
  });
}
