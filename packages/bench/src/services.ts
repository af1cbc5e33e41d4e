// Starting and stopping what a scenario measures, each in its own process so the sampler can tell
// them apart: the embedded Kafka broker, real Apache Kafka (scripts/kafka, 1 or 3 brokers), the lab
// (`seaway start` against a given Kafka), Mosquitto, and connectors created over the Connect REST API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from './errors.ts';
import { EMBEDDED_KAFKA, KAFKA_SCRIPT, LAB_BIN, REPO } from './paths.ts';
import { freePort, freePortBlock } from './ports.ts';
import { httpOk, onCleanup, type Proc, portOpen, spawnProc, waitFor } from './procs.ts';

export type KafkaKind = 'lab' | 'embedded' | 'apache' | 'external';

export interface KafkaService {
  kind: KafkaKind;
  brokers: string[];
  /** Processes to sample (the embedded broker, or each Apache Kafka JVM). */
  procs: { name: string; pid: number }[];
  startMs: number;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `seaway-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function startEmbeddedKafka(opts: { partitions?: number } = {}): Promise<KafkaService> {
  const port = await freePort();
  const dir = tempDir('kafka');
  const t0 = performance.now();
  const proc = spawnProc(
    'embedded-kafka',
    process.execPath,
    [
      '--import',
      'tsx',
      EMBEDDED_KAFKA,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--adv-host',
      '127.0.0.1',
      '--data-dir',
      dir.path,
      '--partitions',
      String(opts.partitions ?? 1),
    ],
    { cwd: REPO },
  );
  await waitFor('embedded Kafka broker', () => proc.stdout().includes('ready at'), 30_000, proc);
  return {
    kind: 'embedded',
    brokers: [`127.0.0.1:${port}`],
    procs: [{ name: 'embedded-kafka', pid: proc.pid }],
    startMs: Math.round(performance.now() - t0),
    stop: async () => {
      await proc.stop();
      dir.remove();
    },
  };
}

export async function startApacheKafka(opts: { nodes?: number } = {}): Promise<KafkaService> {
  const nodes = opts.nodes ?? 1;
  const scripts = (await import(KAFKA_SCRIPT)) as {
    javaAvailable(): boolean;
    startKafka(o: { port: number; nodes: number; dir: string }): Promise<{ bootstrap: string; pids: number[] }>;
    stopKafka(o: { dir: string }): Promise<void>;
  };
  if (!scripts.javaAvailable()) {
    throw new BenchError('SEAWAY_BENCH_SPAWN', 'Apache Kafka needs Java 17+ (and Maven for the first fetch)');
  }
  const port = await freePortBlock(nodes);
  const dir = tempDir(`apache${nodes}`);
  const stop = async () => {
    await scripts.stopKafka({ dir: dir.path });
    dir.remove();
  };
  const unregister = onCleanup(stop);
  const t0 = performance.now();
  const k = await scripts.startKafka({ port, nodes, dir: dir.path });
  return {
    kind: 'apache',
    brokers: k.bootstrap.split(','),
    procs: k.pids.map((pid, i) => ({ name: nodes > 1 ? `apache-kafka-${i + 1}` : 'apache-kafka', pid })),
    startMs: Math.round(performance.now() - t0),
    stop: async () => {
      unregister();
      await stop();
    },
  };
}

export async function startKafka(kind: KafkaKind, opts: { nodes?: number } = {}): Promise<KafkaService> {
  return kind === 'embedded' ? startEmbeddedKafka() : startApacheKafka(opts);
}

export interface LabService {
  proc: Proc;
  webPort: number;
  mqttPort: number;
  connectPort: number;
  registryPort: number;
  /** Spawn to GET /api/health = 200. */
  healthyMs: number;
  stop(): Promise<void>;
}

/**
 * The lab as `pnpm start` runs it: with its own embedded Kafka broker in its process (connectors
 * write to it without sockets). The Kafka service's process is the lab's.
 */
export async function startLabWithKafka(opts: {
  id: string;
  cpuProfDir?: string;
}): Promise<{ kafka: KafkaService; lab: LabService }> {
  const port = await freePort();
  const lab = await startLab(null, { ...opts, brokerPort: port });
  return {
    kafka: {
      kind: 'lab',
      brokers: [`127.0.0.1:${port}`],
      procs: [{ name: 'lab', pid: lab.proc.pid }],
      startMs: 0,
      stop: async () => {},
    },
    lab,
  };
}

/** The lab against `brokers`, or with its own embedded broker on `brokerPort` when brokers is null. */
export async function startLab(
  brokers: string[] | null,
  opts: { id: string; cpuProfDir?: string; nodeArgs?: string[]; brokerPort?: number } = { id: 'lab' },
): Promise<LabService> {
  const [webPort, mqttPort, connectPort, registryPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const data = tempDir('lab');
  const args = [
    ...(opts.nodeArgs ?? []),
    ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : []),
    LAB_BIN,
    'start',
  ];
  const t0 = performance.now();
  const proc = spawnProc('lab', process.execPath, args, {
    cwd: REPO,
    env: {
      ...(brokers ? { KAFKA_BROKERS: brokers.join(',') } : {}),
      BIND_HOST: '127.0.0.1',
      ADV_HOST: '127.0.0.1',
      WEB_PORT: String(webPort),
      MQTT_PORT: String(mqttPort),
      CONNECT_PORT: String(connectPort),
      REGISTRY_PORT: String(registryPort),
      BROKER_PORT: brokers ? '0' : String(opts.brokerPort ?? 9092),
      DATA_DIR: data.path,
      CONNECT_CONFIG_TOPIC: `${opts.id}-connect-configs`,
      CONNECT_STATUS_TOPIC: `${opts.id}-connect-status`,
      REGISTRY_TOPIC: `${opts.id}-schemas`,
      RUNNING_SAMPLEDATA: '0',
      // The sweep goes to 1024 generator connections, all from 127.0.0.1.
      MQTT_MAX_CONNECTIONS_PER_ADDRESS: '4096',
      SAMPLEDATA: '0',
    },
  });
  const healthyMs = await waitFor('lab /api/health', httpOk(`http://127.0.0.1:${webPort}/api/health`), 90_000, proc);
  return {
    proc,
    webPort,
    mqttPort,
    connectPort,
    registryPort,
    healthyMs: Math.round(healthyMs || performance.now() - t0),
    stop: async () => {
      await proc.stop('SIGTERM', 20_000);
      data.remove();
    },
  };
}

export interface ConnectorSpec {
  name: string;
  topic: string;
  mqttPort: number;
  tasksMax: number;
  /** MQTT filters, one KCQL statement each (default ['/ais/#']). */
  sources?: string[];
  /** Avro schema file for the AvroConverter; without it the BytesConverter passes payloads through. */
  avroSchemaFile?: string;
}

export function connectorConfig(s: ConnectorSpec): Record<string, string> {
  const sources = s.sources ?? ['/ais/#'];
  const source = sources[0] as string;
  return {
    'connector.class': 'com.datamountaineer.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'tasks.max': String(s.tasksMax),
    'connect.mqtt.hosts': `tcp://127.0.0.1:${s.mqttPort}`,
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.connection.clean': 'true',
    'connect.mqtt.client.id': `${s.name}-client`,
    'connect.mqtt.converter.throw.on.error': 'true',
    'connect.mqtt.source.kcql': sources.map((src) => `INSERT INTO ${s.topic} SELECT * FROM \`${src}\``).join(';'),
    ...(s.avroSchemaFile
      ? {
          'connect.mqtt.source.converters': `${source}=com.datamountaineer.streamreactor.connect.converters.source.AvroConverter`,
          'connect.source.converter.avro.schemas': `${source}=${s.avroSchemaFile}`,
        }
      : {}),
  };
}

/** POST the connector to the Connect REST API and wait until it and its tasks are RUNNING. */
export async function createConnector(connectPort: number, s: ConnectorSpec): Promise<void> {
  const base = `http://127.0.0.1:${connectPort}`;
  const r = await fetch(`${base}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: s.name, config: connectorConfig(s) }),
  });
  if (r.status !== 201) {
    throw new BenchError('SEAWAY_BENCH_CONNECTOR', `POST /connectors answered ${r.status}: ${await r.text()}`);
  }
  let last = '';
  await waitFor(
    `connector ${s.name} RUNNING`,
    async () => {
      const st = await fetch(`${base}/connectors/${encodeURIComponent(s.name)}/status`);
      if (!st.ok) return false;
      const body = (await st.json()) as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
      last = JSON.stringify(body);
      const failed = body.tasks.find((t) => t.state === 'FAILED');
      if (failed || body.connector.state === 'FAILED') {
        throw new BenchError('SEAWAY_BENCH_CONNECTOR', `connector ${s.name} failed: ${last}`);
      }
      return (
        body.connector.state === 'RUNNING' && body.tasks.length > 0 && body.tasks.every((t) => t.state === 'RUNNING')
      );
    },
    30_000,
  ).catch((err: Error) => {
    throw new BenchError('SEAWAY_BENCH_CONNECTOR', `${err.message}; last status ${last}`);
  });
}

export async function deleteConnector(connectPort: number, name: string): Promise<void> {
  await fetch(`http://127.0.0.1:${connectPort}/connectors/${encodeURIComponent(name)}`, { method: 'DELETE' });
}

export interface MosquittoService {
  proc: Proc;
  port: number;
  stop(): Promise<void>;
}

export async function startMosquitto(): Promise<MosquittoService> {
  const port = await freePort();
  const dir = tempDir('mosquitto');
  const conf = join(dir.path, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_inflight_messages 1000',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      'log_type error',
      '',
    ].join('\n'),
  );
  const proc = spawnProc('mosquitto', 'mosquitto', ['-c', conf]);
  await waitFor('mosquitto port', portOpen(port), 10_000, proc);
  return {
    proc,
    port,
    stop: async () => {
      await proc.stop();
      dir.remove();
    },
  };
}

/** A Kafka the harness did not start (--brokers): nothing to sample or stop. */
export function externalKafka(brokers: string[]): KafkaService {
  return { kind: 'external', brokers, procs: [], startMs: 0, stop: async () => {} };
}
