// docker/compose*.yml without Docker: each file parses as YAML (Debian's python3-yaml, merge keys
// included), every service it depends on exists, and every environment key of a Seaway service is a
// setting of the command it runs (`seaway start`: config.ts; `seaway connect`: connect-worker.ts)
// whose value that command accepts. The cluster file's workers and lab share one group, config and
// status topics, advertise their own service name, and point at services of the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonModule } from '../../../scripts/testing/needs.mjs';
import { CONFIG_KEYS, parseConfig } from '../src/config.ts';
import { ConnectWorkerConfig, parseConnectConfig } from '../src/connect-worker.ts';

const python = pythonModule('yaml') as string | false;
const dockerDir = join(import.meta.dirname, '../../../docker');
const files = readdirSync(dockerDir).filter((f) => /^compose.*\.ya?ml$/.test(f));

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  depends_on?: string[];
  environment?: Record<string, string | number | boolean>;
}

function load(file: string): { services: Record<string, Service> } {
  const r = spawnSync(
    python as string,
    ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(dockerDir, file)],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `${file} is not valid YAML: ${r.stderr}`);
  return JSON.parse(r.stdout) as { services: Record<string, Service> };
}

const isConnect = (s: Service) => (Array.isArray(s.command) ? s.command : [s.command ?? '']).includes('connect');
const env = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

test('compose files: YAML, dependencies, every Seaway env key a setting with a valid value', {
  skip: !python && 'no python3-yaml',
}, () => {
  assert.ok(files.includes('compose.yml') && files.includes('compose.cluster.yml'), `files: ${files.join(', ')}`);
  const connectKeys = new Set(Object.keys(ConnectWorkerConfig.shape));
  const labKeys = new Set<string>(CONFIG_KEYS);
  for (const file of files) {
    const { services } = load(file);
    for (const [name, s] of Object.entries(services)) {
      for (const d of s.depends_on ?? [])
        assert.ok(services[d], `${file}: ${name} depends on ${d}, which is not a service`);
      if (s.build === undefined) continue;
      const e = env(s);
      const keys = isConnect(s) ? connectKeys : labKeys;
      for (const k of Object.keys(e))
        assert.ok(
          keys.has(k),
          `${file}: ${name} sets ${k}, not a setting of seaway ${isConnect(s) ? 'connect' : 'start'}`,
        );
      if (isConnect(s)) parseConnectConfig(e);
      else parseConfig(e);
      for (const hostPort of (e.KAFKA_BROKERS ?? '').split(',').filter(Boolean)) {
        const host = hostPort.split(':')[0] as string;
        assert.ok(services[host], `${file}: ${name}'s KAFKA_BROKERS names ${host}, not a service`);
      }
      if (e.SCHEMA_REGISTRY_URL) {
        const host = new URL(e.SCHEMA_REGISTRY_URL).hostname;
        assert.ok(services[host], `${file}: ${name}'s SCHEMA_REGISTRY_URL names ${host}, not a service`);
      }
    }
  }
});

test('compose.cluster.yml: three Kafka brokers, mosquitto, three workers and a lab in one group', {
  skip: !python && 'no python3-yaml',
}, () => {
  const { services } = load('compose.cluster.yml');
  const kafkas = Object.keys(services).filter((n) => services[n]?.image?.startsWith('apache/kafka'));
  assert.equal(kafkas.length, 3, 'three Kafka brokers');
  assert.ok(
    Object.values(services).some((s) => s.image?.startsWith('eclipse-mosquitto')),
    'mosquitto',
  );
  const workers = Object.entries(services).filter(([, s]) => s.build !== undefined && isConnect(s));
  const labs = Object.entries(services).filter(([, s]) => s.build !== undefined && !isConnect(s));
  assert.equal(workers.length, 3, 'three seaway connect workers');
  assert.equal(labs.length, 1, 'one lab');
  const lab = parseConfig(env(labs[0]?.[1] as Service));
  assert.ok(lab.CONNECT_GROUP_ID, 'the lab joins the group');
  assert.notEqual(lab.CONNECT_PORT, 0, 'the lab serves the Connect REST API the workers forward to');
  assert.equal(lab.ADV_HOST, labs[0]?.[0], 'the lab advertises its service name');
  for (const [name, s] of workers) {
    const w = parseConnectConfig(env(s));
    assert.equal(w.GROUP_ID, lab.CONNECT_GROUP_ID, `${name} is in the lab's group`);
    assert.equal(w.CONNECT_CONFIG_TOPIC, lab.CONNECT_CONFIG_TOPIC, `${name} shares the config topic`);
    assert.equal(w.CONNECT_STATUS_TOPIC, lab.CONNECT_STATUS_TOPIC, `${name} shares the status topic`);
    assert.equal(w.ADV_HOST, name, `${name} advertises its service name`);
    assert.equal(w.BIND_HOST, '0.0.0.0', `${name} listens beyond its container`);
    assert.equal(w.KAFKA_BROKERS.split(',').length, 3, `${name} knows the three brokers`);
  }
});
