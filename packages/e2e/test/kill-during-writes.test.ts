// kill -9 of the lab while connectors are created and deleted and schemas registered, again and
// again at different moments. After each restart: every connector the REST API confirmed (201) and
// did not delete is there whole (config and status readable), every deleted one (204) is gone, no
// half-made connector is listed; every schema id the registry confirmed still names the same schema
// under the same subject, and no id was handed out twice. A request the kill cut off got no answer,
// so it may or may not have happened (as with any server): such a connector may be listed or not,
// but if it is listed it is whole, and the next check settles which it is. Every fourth connector is
// created PAUSED (initial_state): config and target state are one write, so it comes back PAUSED.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../src/ports.ts';
import { type Proc, seaway, waitForHealth } from '../src/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'seaway-kill-writes-'));
const procs: Proc[] = [];
after(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const exited = (p: Proc) =>
  new Promise((r) => (p.child.exitCode !== null || p.child.signalCode ? r(null) : p.child.once('exit', r)));

const schemaFor = (i: number) =>
  JSON.stringify({ type: 'record', name: 'Ping', fields: [{ name: `f${i}`, type: 'int', default: 0 }] });

test('kill -9 during connector create/delete and schema registration leaves consistent state', {
  timeout: 300_000,
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
    RUNNING_SAMPLEDATA: 'false',
  };
  const connect = `http://127.0.0.1:${webPort}/api/connect/connectors`;
  const registry = `http://127.0.0.1:${webPort}/api/schema-registry`;
  const confirmed = new Set<string>(); // created (201), not deleted since
  const deleted = new Set<string>(); // deleted (204)
  const ids = new Map<number, { subject: string; schema: string }>(); // ids the registry confirmed
  const reused: string[] = []; // an id confirmed for two different schemas
  const paused = new Set<string>(); // created with initial_state PAUSED
  const doubt = new Set<string>(); // DELETE sent, no answer (cut by the kill)
  let settled = 0; // deletes cut by a kill, settled by the next check
  let n = 0;

  const createOne = async (name: string) => {
    if (Number(name.slice(1)) % 4 === 0) paused.add(name);
    const r = await fetch(connect, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        ...(paused.has(name) ? { initial_state: 'PAUSED' } : {}),
        config: {
          'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
          'connect.mqtt.hosts': `tcp://127.0.0.1:${mqttPort}`,
          'connect.mqtt.service.quality': '1',
          'connect.mqtt.kcql': `INSERT INTO kill-${name} SELECT * FROM \`kill/${name}\``,
        },
      }),
    });
    if (r.status === 201) confirmed.add(name);
  };
  const deleteOne = async (name: string) => {
    confirmed.delete(name);
    doubt.add(name);
    const r = await fetch(`${connect}/${name}`, { method: 'DELETE' });
    doubt.delete(name);
    if (r.status === 204) deleted.add(name);
    else confirmed.add(name);
  };
  const registerOne = async (i: number) => {
    const subject = `kill-${i % 3}-value`;
    const schema = schemaFor(i);
    const r = await fetch(`${registry}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema }),
    });
    if (r.status !== 200) return;
    const { id } = (await r.json()) as { id: number };
    const before = ids.get(id);
    if (before && before.schema !== schema) reused.push(`id ${id}: ${before.schema} then ${schema}`);
    ids.set(id, { subject, schema });
  };

  for (const killAfterMs of [150, 400, 50, 700, 250]) {
    const lab = seaway(['start'], env);
    procs.push(lab);
    await waitForHealth(webPort, lab);
    await check();
    // Writers run until the kill; a request cut by it is neither confirmed nor counted.
    let running = true;
    const writers = [
      (async () => {
        while (running) {
          const name = `c${n++}`;
          await createOne(name).catch(() => {});
          if (n % 3 === 0 && confirmed.size > 0) await deleteOne([...confirmed][0] as string).catch(() => {});
        }
      })(),
      (async () => {
        for (let i = n * 7; running; i++) await registerOne(i).catch(() => {});
      })(),
    ];
    await sleep(killAfterMs);
    lab.child.kill('SIGKILL');
    running = false;
    await exited(lab);
    await Promise.all(writers);
  }
  const lab = seaway(['start'], env);
  procs.push(lab);
  await waitForHealth(webPort, lab);
  await check();
  process.stderr.write(
    `after 5 kills: ${confirmed.size} connectors confirmed and kept (${[...confirmed].filter((c) => paused.has(c)).length} paused), ${deleted.size} deleted, ${ids.size} schema ids confirmed, ${settled} deletes cut by a kill\n`,
  );
  assert.ok(confirmed.size + deleted.size > 0 && ids.size > 0, 'the writers got answers before the kills');
  assert.deepEqual(reused, [], 'no schema id was handed out for two schemas');
  lab.child.kill('SIGTERM');
  await exited(lab);

  async function check(): Promise<void> {
    const listed = (await (await fetch(connect)).json()) as string[];
    for (const name of doubt) (listed.includes(name) ? confirmed : deleted).add(name);
    settled += doubt.size;
    doubt.clear();
    for (const name of confirmed) assert.ok(listed.includes(name), `confirmed connector ${name} is listed`);
    for (const name of deleted) assert.ok(!listed.includes(name), `deleted connector ${name} stays deleted`);
    for (const name of listed) {
      const cfg = await fetch(`${connect}/${name}`);
      assert.equal(cfg.status, 200, `${name} is listed and readable`);
      const body = (await cfg.json()) as { config: Record<string, string> };
      assert.match(body.config['connect.mqtt.kcql'] ?? '', new RegExp(`kill/${name}\``), `${name} has its own config`);
      const status = await fetch(`${connect}/${name}/status`);
      assert.equal(status.status, 200, `${name} has a status`);
      const { connector } = (await status.json()) as { connector: { state: string } };
      if (confirmed.has(name)) {
        assert.equal(connector.state, paused.has(name) ? 'PAUSED' : 'RUNNING', `${name} is in its target state`);
      }
    }
    for (const [id, { subject, schema }] of ids) {
      const r = await fetch(`${registry}/schemas/ids/${id}`);
      assert.equal(r.status, 200, `schema id ${id} is still there`);
      const got = (await r.json()) as { schema: string };
      assert.equal(
        JSON.stringify(JSON.parse(got.schema)),
        JSON.stringify(JSON.parse(schema)),
        `id ${id} names its schema`,
      );
      const versions = (await (await fetch(`${registry}/subjects/${subject}/versions`)).json()) as number[];
      assert.ok(Array.isArray(versions) && versions.length > 0, `${subject} has versions`);
    }
  }
});
