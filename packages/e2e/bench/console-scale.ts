// How the console holds up at scale: a lab with 1,000 topics, 100 connectors and a topic written at
// a steady rate (5,000 records/s by default, kafkajs), then chromium opens each page and measures,
// in the page, frame times over a window (requestAnimationFrame deltas: median, p95, max, frames
// over 50 ms) and the JS heap and DOM size (Chrome DevTools Protocol Performance.getMetrics).
// It measures and prints; it asserts nothing.
//
//   node --import tsx packages/e2e/bench/console-scale.ts [--topics 1000] [--connectors 100]
//        [--rate 5000] [--window 5] [--json out.json]
// Needs the console built (pnpm --filter @seaway/console build) and /usr/bin/chromium.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig, startLab } from '@seaway/lab';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { launchBrowser } from '../src/browser.ts';
import { freePort } from '../src/ports.ts';

const { values: args } = parseArgs({
  options: {
    topics: { type: 'string', default: '1000' },
    connectors: { type: 'string', default: '100' },
    rate: { type: 'string', default: '5000' },
    window: { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const TOPICS = Number(args.topics);
const CONNECTORS = Number(args.connectors);
const RATE = Number(args.rate);
const WINDOW_S = Number(args.window);

const dataDir = mkdtempSync(join(tmpdir(), 'seaway-console-scale-'));
const lab = await startLab(
  parseConfig({
    BROKER_PORT: String(await freePort()),
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    REGISTRY_PORT: '0',
    CONNECT_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    RUNNING_SAMPLEDATA: 'false',
    SAMPLEDATA: 'false',
  }),
  { log: () => {} },
);
const base = `http://127.0.0.1:${lab.webPort}`;
const kafka = new Kafka({ brokers: lab.kafkaBrokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const t0 = Date.now();
for (let i = 0; i < TOPICS; i += 100) {
  const topics = [];
  for (let j = i; j < Math.min(TOPICS, i + 100); j++) topics.push({ topic: `scale-${String(j).padStart(4, '0')}` });
  await admin.createTopics({ topics });
}
await admin.createTopics({ topics: [{ topic: 'scale-tail', numPartitions: 3 }] });
console.log(`${TOPICS} topics in ${Date.now() - t0} ms`);
const t1 = Date.now();
for (let i = 0; i < CONNECTORS; i++) {
  const r = await fetch(`${base}/api/connect/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `scale-c${i}`,
      config: {
        'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
        'connect.mqtt.hosts': `tcp://127.0.0.1:${lab.mqttPort}`,
        'connect.mqtt.client.id': `scale-c${i}`,
        'connect.mqtt.service.quality': '1',
        'connect.mqtt.kcql': `INSERT INTO scale-${String(i).padStart(4, '0')} SELECT * FROM \`scale/${i}\``,
      },
    }),
  });
  if (r.status !== 201) throw new Error(`connector ${i}: ${r.status} ${await r.text()}`);
}
console.log(`${CONNECTORS} connectors in ${Date.now() - t1} ms`);

// The steady writer: RATE records/s in batches every 100 ms.
const producer = kafka.producer();
await producer.connect();
let writing = true;
let written = 0;
const value = JSON.stringify({ mmsi: 123456789, lat: 59.9, lon: 10.7, speed: 12.5, pad: 'x'.repeat(100) });
const writer = (async () => {
  const perBatch = Math.max(1, Math.round(RATE / 10));
  let next = Date.now();
  while (writing) {
    const messages = Array.from({ length: perBatch }, (_, i) => ({ key: String(i % 50), value }));
    await producer.send({ topic: 'scale-tail', messages, compression: CompressionTypes.None });
    written += perBatch;
    next += 100;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
})();

const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const pages = [
  ['Overview', '/'],
  [`Topics (${TOPICS})`, '/topics'],
  [`Connectors (${CONNECTORS})`, '/connectors'],
  ['Live tail (follow)', '/topics/scale-tail?follow=1'],
  ['Consumer groups', '/groups'],
] as [string, string][];
interface Row {
  page: string;
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  over50ms: number;
  heapMB: number;
  domNodes: number;
}
const rows: Row[] = [];
for (const [name, path] of pages) {
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 3000)); // first data in, live frames flowing
  const deltas = (await page.evaluate(`new Promise((resolve) => {
    const out = []; let last = performance.now(); const end = last + ${WINDOW_S * 1000};
    const step = (t) => { out.push(t - last); last = t; if (t < end) requestAnimationFrame(step); else resolve(out); };
    requestAnimationFrame(step);
  })`)) as number[];
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = (k: string) => metrics.find((x) => x.name === k)?.value ?? 0;
  const sorted = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  rows.push({
    page: name,
    frames: deltas.length,
    medianMs: q(0.5),
    p95Ms: q(0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
    over50ms: deltas.filter((d) => d > 50).length,
    heapMB: m('JSHeapUsedSize') / 2 ** 20,
    domNodes: m('Nodes'),
  });
}
writing = false;
await writer;
const f = (n: number) => n.toFixed(1);
console.log(
  `\n${TOPICS} topics, ${CONNECTORS} connectors, scale-tail written at ${RATE} records/s (${written} written), ${WINDOW_S} s per page, chromium headless\n`,
);
console.log('| page | frames | median ms | p95 ms | max ms | frames > 50 ms | JS heap MB | DOM nodes |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.page} | ${r.frames} | ${f(r.medianMs)} | ${f(r.p95Ms)} | ${f(r.maxMs)} | ${r.over50ms} | ${f(r.heapMB)} | ${r.domNodes} |`,
  );
if (args.json)
  writeFileSync(args.json, JSON.stringify({ topics: TOPICS, connectors: CONNECTORS, rate: RATE, rows }, null, 2));
await browser.close();
await producer.disconnect();
await admin.disconnect();
await lab.close();
rmSync(dataDir, { recursive: true, force: true });
