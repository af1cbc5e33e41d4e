// MQTT 5 vs 3.1.1 publishers on the lab's ingest shape: 64 mqtt.js connections, QoS 1,
// stop-and-wait (each waits for its PUBACK), 100-byte payloads to `bench/<n>`, a gate handler that
// acknowledges at once, no subscriber; the broker in its own process (broker-process.ts), runs of
// the two versions alternating. Reports acked msg/s and the broker's CPU µs per message. Only
// reports (no assertion); the machine is shared, so compare within one invocation.
//   node --import tsx packages/mqtt-broker/bench/mqtt5-vs-311.ts [--seconds 5] [--runs 3] [--connections 64]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const connections = Number(values.connections);
const payload = Buffer.alloc(100, 120);

async function one(protocolVersion: 4 | 5): Promise<{ rate: number; cpuUsPerMsg: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'broker-process.ts'), 'gate'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  while (!out.includes('\n')) await once(child.stdout, 'data');
  const port = Number(out.split('\n')[0]);
  const clients = await Promise.all(
    Array.from({ length: connections }, (_, i) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion, clientId: `b${i}`, reconnectPeriod: 0 }),
    ),
  );
  let acked = 0;
  let measuring = false;
  let stop = false;
  const loops = clients.map(async (c, i) => {
    const topic = `bench/${i}`;
    while (!stop) {
      await c.publishAsync(topic, payload, { qos: 1 });
      if (measuring) acked++;
    }
  });
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  measuring = true;
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const rate = acked / elapsed;
  stop = true;
  await Promise.all(loops);
  await Promise.all(clients.map((c) => c.endAsync()));
  child.kill('SIGTERM');
  await once(child, 'exit');
  const m = /cpuUsPerMsg=([\d.]+)/.exec(out);
  return { rate, cpuUsPerMsg: m ? Number(m[1]) : Number.NaN };
}

const results: Record<string, { rate: number; cpuUsPerMsg: number }[]> = { 'v3.1.1': [], v5: [] };
for (let r = 0; r < runs; r++) {
  results['v3.1.1']?.push(await one(4));
  results.v5?.push(await one(5));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(
  `${connections} mqtt.js publishers, QoS 1 stop-and-wait, ${seconds} s x ${runs} runs (median), gate acks at once`,
);
for (const [k, list] of Object.entries(results)) {
  console.log(
    `${k.padEnd(7)} ${median(list.map((x) => x.rate))
      .toFixed(0)
      .padStart(
        7,
      )} msg/s  broker CPU ${median(list.map((x) => x.cpuUsPerMsg)).toFixed(1)} µs/msg  (runs: ${list.map((x) => x.rate.toFixed(0)).join(', ')})`,
  );
}
