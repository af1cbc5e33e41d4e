// No PUBACK window: the whole lab (embedded Kafka, MQTT broker, a connector reading it through the
// ingest gate) is killed with SIGKILL and stopped with SIGTERM at several points — mid-stream, during
// start-up once the MQTT port accepts, during a graceful shutdown, around a connector pause and
// restart — while mqtt.js publishers and a mosquitto_pub loop keep reconnecting and publishing
// unique ids. Every id a publisher got a PUBACK for must be in Kafka after the last restart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { command } from '../../../scripts/testing/needs.mjs';
import { freePort } from '../src/ports.ts';
import { type Proc, seaway, waitForHealth, waitForPort } from '../src/processes.ts';

const mosquittoPub = command('mosquitto_pub');
const dir = mkdtempSync(join(tmpdir(), 'seaway-window-'));
const procs: Proc[] = [];
after(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (p: Proc) =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r(null) : p.child.once('exit', r)));

/** Every `id=...` value in the topic, read from the beginning. */
async function idsInKafka(brokers: string[], topic: string): Promise<Set<string>> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const high = (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const ids = new Set<string>();
  if (high === 0) return ids;
  const consumer = kafka.consumer({ groupId: `window-count-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        const m = /id=(\S+)/.exec(String(message.value));
        if (m) ids.add(m[1] as string);
        if (seen >= high) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return ids;
}

test('SIGKILL and SIGTERM at start-up, mid-stream, in shutdown and around pause/restart: every PUBACKed id is in Kafka', {
  timeout: 420_000,
}, async () => {
  const [webPort, mqttPort, kafkaPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    BIND_HOST: '127.0.0.1',
    ADV_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    MQTT_PORT: String(mqttPort),
    BROKER_PORT: String(kafkaPort),
    REGISTRY_PORT: '0',
    CONNECT_PORT: '0',
    DATA_DIR: join(dir, 'data'),
    MQTT_INGEST_HOLD_MS: '1500',
  };
  const api = `http://127.0.0.1:${webPort}/api/connect/connectors`;
  const start = () => {
    const p = seaway(['start'], env);
    procs.push(p);
    return p;
  };
  let lab = start();
  await waitForHealth(webPort, lab);
  const created = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'window',
      config: {
        'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
        'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
        'connect.mqtt.service.quality': '1',
        'connect.mqtt.kcql': 'INSERT INTO window SELECT * FROM `win/#`',
      },
    }),
  });
  assert.equal(created.status, 201, await created.text());

  // publishers: unique ids, the next one only after the PUBACK of the previous one
  const acked = new Set<string>();
  const ackedIn = new Map<string, string>();
  let curPhase = 'created';
  const perPhase: Record<string, number> = {};
  let running = true;
  const loops: Promise<void>[] = [];
  for (let p = 0; p < 3; p++) {
    loops.push(
      (async () => {
        const c = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
          clientId: `window-pub-${p}`,
          reconnectPeriod: 200,
          connectTimeout: 3000,
        });
        c.on('error', () => {});
        for (let seq = 0; running; seq++) {
          const id = `js${p}-${seq}`;
          await c.publishAsync(`win/js${p}`, `id=${id}`, { qos: 1 });
          acked.add(id);
          ackedIn.set(id, curPhase);
        }
        await c.endAsync(true);
      })(),
    );
  }
  if (mosquittoPub) {
    loops.push(
      (async () => {
        for (let seq = 0; running; seq++) {
          const id = `mosq-${seq}`;
          const rc = await new Promise<number | null>((resolve) => {
            const child = spawn(
              mosquittoPub as string,
              [
                '-h',
                '127.0.0.1',
                '-p',
                String(mqttPort),
                '-q',
                '1',
                '-i',
                `window-mosq-${seq}`,
                '-t',
                'win/mosq',
                '-m',
                `id=${id}`,
              ],
              { stdio: 'ignore' },
            );
            child.on('exit', (code) => resolve(code));
          });
          if (rc === 0) {
            acked.add(id);
            ackedIn.set(id, curPhase);
          } else await sleep(100);
        }
      })(),
    );
  }
  const phase = async (name: string, fn: () => Promise<void>) => {
    const before = acked.size;
    curPhase = name;
    await fn();
    perPhase[name] = acked.size - before;
  };
  const restartHealthy = async () => {
    lab = start();
    await waitForHealth(webPort, lab);
  };

  await phase('running, then SIGKILL', async () => {
    await sleep(2000);
    lab.child.kill('SIGKILL');
    await exited(lab);
  });
  for (const [sig, delay] of [
    ['SIGKILL', 0],
    ['SIGKILL', 300],
    ['SIGTERM', 100],
  ] as const) {
    await phase(`${sig} ${delay} ms after the MQTT port opened during start-up`, async () => {
      lab = start();
      await waitForPort(mqttPort, lab, 60_000);
      await sleep(delay);
      lab.child.kill(sig);
      await exited(lab);
    });
  }
  await phase('healthy, then SIGTERM while publishing (graceful shutdown)', async () => {
    await restartHealthy();
    await sleep(2000);
    lab.child.kill('SIGTERM');
    await exited(lab);
  });
  await phase('connector paused past the hold bound, resumed, restarted, SIGKILL during a restart', async () => {
    await restartHealthy();
    await sleep(1000);
    assert.equal((await fetch(`${api}/window/pause`, { method: 'PUT' })).status, 202);
    await sleep(2500);
    assert.equal((await fetch(`${api}/window/resume`, { method: 'PUT' })).status, 202);
    await sleep(1500);
    assert.equal((await fetch(`${api}/window/restart?includeTasks=true`, { method: 'POST' })).status, 202);
    await sleep(1000);
    void fetch(`${api}/window/restart?includeTasks=true`, { method: 'POST' }).catch(() => {});
    await sleep(20);
    lab.child.kill('SIGKILL');
    await exited(lab);
  });
  await phase('healthy, then stopped publishing', async () => {
    await restartHealthy();
    await sleep(2000);
    running = false;
    await Promise.all(loops);
  });

  const brokers = [`127.0.0.1:${kafkaPort}`];
  let ids = new Set<string>();
  for (let i = 0; i < 5; i++) {
    ids = await idsInKafka(brokers, 'window');
    if ([...acked].every((id) => ids.has(id))) break;
    await sleep(1000);
  }
  const missing = [...acked].filter((id) => !ids.has(id)).map((id) => `${id} (${ackedIn.get(id)})`);
  process.stderr.write(
    `PUBACKed ids per phase: ${JSON.stringify(perPhase)}; ${acked.size} acked, ${ids.size} in Kafka\n`,
  );
  assert.ok(acked.size > 100, `publishers got PUBACKs (${acked.size})`);
  assert.ok((perPhase['healthy, then stopped publishing'] ?? 0) > 0, 'publishing resumed after the last restart');
  if (mosquittoPub)
    assert.ok(
      [...acked].some((id) => id.startsWith('mosq-')),
      'mosquitto_pub got PUBACKs',
    );
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} PUBACKed ids are not in Kafka`);
  lab.child.kill('SIGTERM');
  await exited(lab);
});
