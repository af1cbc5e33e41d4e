// The soak (a benchmark-style run, not a CI test): a lab on free ports with a raw connector on
// MQTT soak/# -> Kafka "soak", stop-and-wait QoS 1 publishers at a fixed total rate, the console's
// live views open (a /ws tail of the topic and the map endpoint polled every 2 s), RSS of the lab
// every 10 s. At the end every PUBACKed id must be in Kafka, and RSS growth after the warm-up is
// reported against the 10 % budget. Exit 1 on a lost message, a crash or growth past the budget.
//
//   node --import tsx packages/bench/src/soak/main.ts [--minutes 30] [--rate 2000] [--publishers 8] [--warmup-s 60]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { mqttConnect, mqttPublishQos1 } from '../fuzz/frames.ts';
import { tcp, wsFrame } from '../fuzz/wire.ts';
import { freePort } from '../ports.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MINUTES = opt('minutes', 30);
const RATE = opt('rate', 2000);
const PUBLISHERS = opt('publishers', 8);
const WARMUP_S = opt('warmup-s', Math.min(60, MINUTES * 6));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const seawayBin = join(dirname(fileURLToPath(import.meta.url)), '../../../lab/bin/seaway.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'seaway-soak-'));
const [web, mqttPort, kafkaPort] = [await freePort(), await freePort(), await freePort()];
const lab = spawn(process.execPath, [seawayBin, 'start'], {
  env: {
    PATH: process.env.PATH,
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(web),
    MQTT_PORT: String(mqttPort),
    BROKER_PORT: String(kafkaPort),
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: dataDir,
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let labLog = '';
lab.stderr?.on('data', (d) => {
  labLog = (labLog + d).slice(-20_000);
});
process.on('exit', () => {
  lab.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});
const rssMb = () => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${lab.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : -1;
  } catch {
    return -1;
  }
};
for (let i = 0; ; i++) {
  if (lab.exitCode !== null) throw new Error(`the lab exited:\n${labLog}`);
  const ok = await fetch(`http://127.0.0.1:${web}/api/health`).then(
    (r) => r.status === 200,
    () => false,
  );
  if (ok) break;
  if (i > 300) throw new Error(`the lab did not get healthy:\n${labLog}`);
  await sleep(200);
}
const created = await fetch(`http://127.0.0.1:${web}/api/connect/connectors`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    name: 'soak',
    config: {
      'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
      'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
      'connect.mqtt.service.quality': '1',
      'connect.mqtt.kcql': 'INSERT INTO soak SELECT * FROM `soak/#`',
    },
  }),
});
if (created.status !== 201) throw new Error(`connector: ${created.status} ${await created.text()}`);

// the console's live views: a tail over /ws and the map endpoint
const ws = await tcp(web);
ws.write(
  `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c29hay1zb2FrLXNvYWstIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
);
let wsBytes = 0;
ws.on('data', (d: Buffer) => {
  wsBytes += d.length;
});
ws.on('error', () => {});
await sleep(300);
ws.write(wsFrame(Buffer.from(JSON.stringify({ type: 'tail', topic: 'soak' })), 1));
const mapTimer = setInterval(() => {
  void fetch(`http://127.0.0.1:${web}/api/map/vessels`).then(
    (r) => r.arrayBuffer(),
    () => {},
  );
}, 2000);

// publishers: each keeps one QoS 1 message in flight, paced to RATE / PUBLISHERS per second
const acked = new Set<string>();
let running = true;
let reconnects = 0;
const perPublisher = RATE / PUBLISHERS;
async function publisher(p: number): Promise<void> {
  let seq = 0;
  while (running) {
    let s: Socket;
    try {
      s = await tcp(mqttPort);
    } catch {
      await sleep(200);
      continue;
    }
    s.on('error', () => {});
    await new Promise<void>((resolve) => {
      let buf = Buffer.alloc(0);
      let inFlight: { id: string; mid: number } | null = null;
      const started = Date.now();
      const sendNext = () => {
        if (!running) return s.end();
        // pacing: message n of this connection is due at started + n / perPublisher seconds
        const due = started + ((seq % 1_000_000) * 1000) / perPublisher;
        const wait = Math.max(0, due - Date.now());
        const id = `p${p}-${seq}`;
        const mid = (seq % 65535) + 1;
        setTimeout(() => {
          inFlight = { id, mid };
          s.write(mqttPublishQos1(`soak/${p}`, mid, `id=${id}`));
        }, wait);
      };
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2) {
          const type = (buf[0] as number) >> 4;
          const len = buf[1] as number;
          if (buf.length < 2 + len) break;
          if (type === 2) sendNext();
          if (type === 4 && inFlight && buf.readUInt16BE(2) === inFlight.mid) {
            acked.add(inFlight.id);
            inFlight = null;
            seq++;
            sendNext();
          }
          buf = buf.subarray(2 + len);
        }
      });
      s.once('close', () => resolve());
      s.write(mqttConnect(`soak-${p}-${reconnects}`));
    });
    if (running) reconnects++;
  }
}
const pubs = Array.from({ length: PUBLISHERS }, (_, p) => publisher(p));

const samples: { s: number; rssMb: number; acked: number }[] = [];
const t0 = Date.now();
const end = t0 + MINUTES * 60_000;
while (Date.now() < end && lab.exitCode === null) {
  await sleep(Math.min(10_000, end - Date.now()));
  const row = { s: Math.round((Date.now() - t0) / 1000), rssMb: Math.round(rssMb()), acked: acked.size };
  samples.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
running = false;
clearInterval(mapTimer);
await Promise.race([Promise.all(pubs), sleep(10_000)]);
ws.destroy();

// every PUBACKed id must be in Kafka
const kafka = new Kafka({ brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const high = (await admin.fetchTopicOffsets('soak')).reduce((n, p) => n + Number(p.high), 0);
await admin.disconnect();
const seen = new Set<string>();
const consumer = kafka.consumer({ groupId: `soak-check-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topic: 'soak', fromBeginning: true });
let n = 0;
await new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, 120_000);
  void consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const id = /id=(\S+)/.exec(String(m.value))?.[1];
        if (id) seen.add(id);
      }
      n += batch.messages.length;
      if (n >= high) {
        clearTimeout(timer);
        resolve();
      }
    },
  });
});
await consumer.disconnect();
const missing = [...acked].filter((id) => !seen.has(id));
const afterWarmup = samples.filter((x) => x.s >= WARMUP_S);
const base = afterWarmup[0]?.rssMb ?? samples[0]?.rssMb ?? 0;
const peak = Math.max(...afterWarmup.map((x) => x.rssMb), base);
const growth = base > 0 ? (peak - base) / base : 0;
const seconds = (Date.now() - t0) / 1000;
const summary = {
  minutes: MINUTES,
  targetRate: RATE,
  achievedRate: Math.round(acked.size / seconds),
  acked: acked.size,
  inKafka: seen.size,
  missing: missing.length,
  reconnects,
  rssAfterWarmupMb: base,
  rssPeakMb: peak,
  growthPct: Math.round(growth * 1000) / 10,
  wsBytes,
  labAlive: lab.exitCode === null,
};
process.stdout.write(`\nSUMMARY ${JSON.stringify(summary)}\n`);
const ok = missing.length === 0 && summary.labAlive && growth <= 0.1;
if (!ok) process.stderr.write(`FAILED${missing.length ? `: missing ${missing.slice(0, 10).join(',')}` : ''}\n`);
process.exit(ok ? 0 : 1);
