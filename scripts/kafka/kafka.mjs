#!/usr/bin/env node
// Real Apache Kafka for tests and benchmarks: fetch from Maven Central, format KRaft storage,
// start one broker (or a 3-broker cluster) on 127.0.0.1, wait until it serves, stop it, and run
// the Java CLI tools from the same download. Plain Node, no dependencies, so it runs before
// `pnpm install`. Usage: see scripts/README.md or `node scripts/kafka/kafka.mjs help`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KAFKA_VERSION = '4.1.1';
const here = dirname(fileURLToPath(import.meta.url));
export const cacheDir = resolve(
  process.env.SEAWAY_CACHE ?? join(homedir(), '.cache', 'seaway'),
  `kafka-${KAFKA_VERSION}`,
);
export const libsDir = join(cacheDir, 'libs');

/** Java CLI tools by their shell-script names, mapped to main classes of Kafka 4.x. */
export const TOOLS = {
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'kafka-configs': 'kafka.admin.ConfigCommand',
  'kafka-delete-records': 'org.apache.kafka.tools.DeleteRecordsCommand',
  'kafka-get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'kafka-producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'kafka-consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'kafka-broker-api-versions': 'org.apache.kafka.tools.BrokerApiVersionsCommand',
  'kafka-storage': 'kafka.tools.StorageTool',
  'kafka-features': 'org.apache.kafka.tools.FeatureCommand',
  'kafka-metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'kafka-log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
  'kafka-leader-election': 'org.apache.kafka.tools.LeaderElectionCommand',
  'kafka-acls': 'org.apache.kafka.tools.AclCommand',
  'kafka-transactions': 'org.apache.kafka.tools.TransactionsCommand',
  'kafka-verifiable-producer': 'org.apache.kafka.tools.VerifiableProducer',
  'kafka-verifiable-consumer': 'org.apache.kafka.tools.VerifiableConsumer',
  'kafka-dump-log': 'kafka.tools.DumpLogSegments',
  'kafka-cluster': 'org.apache.kafka.tools.ClusterTool',
  'kafka-groups': 'org.apache.kafka.tools.GroupsCommand',
  'kafka-e2e-latency': 'org.apache.kafka.tools.EndToEndLatency',
  'kafka-client-metrics': 'org.apache.kafka.tools.ClientMetricsCommand',
  'kafka-reassign-partitions': 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
  'kafka-streams-application-reset': 'org.apache.kafka.tools.StreamsResetter',
};

export function javaAvailable() {
  const r = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return r.status === 0;
}

export function isFetched() {
  return existsSync(join(libsDir, `kafka_2.13-${KAFKA_VERSION}.jar`));
}

/** Resolve kafka_2.13 + kafka-tools and their runtime dependencies into the cache (idempotent). */
export function fetchKafka({ quiet = false } = {}) {
  if (isFetched()) return libsDir;
  mkdirSync(libsDir, { recursive: true });
  const r = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libsDir}`,
      '-DincludeScope=runtime',
      `-Dkafka.version=${KAFKA_VERSION}`,
    ],
    { stdio: quiet ? 'ignore' : 'inherit' },
  );
  if (r.status !== 0 || !isFetched()) {
    throw new Error(
      `Could not fetch Apache Kafka ${KAFKA_VERSION} with Maven (exit ${r.status}). ` +
        'Check that `mvn` is installed and Maven Central is reachable.',
    );
  }
  return libsDir;
}

/** Where connect-file (FileStreamSource/Sink) lives, as a Kafka Connect plugin.path. */
export const connectPluginDir = join(cacheDir, 'connect-plugins');

/** Resolve org.apache.kafka:connect-file for tests that run a real Kafka Connect worker (idempotent). */
export function fetchConnectFile({ quiet = false } = {}) {
  const jar = join(connectPluginDir, `connect-file-${KAFKA_VERSION}.jar`);
  if (existsSync(jar)) return connectPluginDir;
  mkdirSync(connectPluginDir, { recursive: true });
  const r = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      'dependency:copy',
      `-Dartifact=org.apache.kafka:connect-file:${KAFKA_VERSION}`,
      `-DoutputDirectory=${connectPluginDir}`,
    ],
    { stdio: quiet ? 'ignore' : 'inherit' },
  );
  if (r.status !== 0 || !existsSync(jar))
    throw new Error(`Could not fetch connect-file ${KAFKA_VERSION} with Maven (exit ${r.status}).`);
  return connectPluginDir;
}

/** Where Kafka Streams (kafka-streams and rocksdbjni, beside the download's kafka-clients) lives. */
export const streamsLibsDir = join(cacheDir, 'streams-libs');

/** Resolve org.apache.kafka:kafka-streams and its RocksDB for tests that run a Streams app (idempotent). */
export function fetchKafkaStreams({ quiet = false } = {}) {
  const artifacts = [`org.apache.kafka:kafka-streams:${KAFKA_VERSION}`, 'org.rocksdb:rocksdbjni:9.7.3'];
  const jars = artifacts.map((a) => join(streamsLibsDir, `${a.split(':')[1]}-${a.split(':')[2]}.jar`));
  if (jars.every((j) => existsSync(j))) return streamsLibsDir;
  mkdirSync(streamsLibsDir, { recursive: true });
  for (const artifact of artifacts) {
    const r = spawnSync(
      'mvn',
      ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${streamsLibsDir}`],
      { stdio: quiet ? 'ignore' : 'inherit' },
    );
    if (r.status !== 0)
      throw new Error(`Could not fetch ${artifact} with Maven (exit ${r.status}); is Maven Central reachable?`);
  }
  return streamsLibsDir;
}

function classpath() {
  if (!isFetched()) throw new Error(`Apache Kafka is not fetched yet: run \`node ${join(here, 'kafka.mjs')} fetch\``);
  return readdirSync(libsDir)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(libsDir, f))
    .join(':');
}

function log4jConfig(dir) {
  const file = join(dir, 'log4j2.properties');
  writeFileSync(
    file,
    [
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.file.ref = file',
      'appender.file.type = File',
      'appender.file.name = file',
      `appender.file.fileName = ${join(dir, 'server.log')}`,
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      'logger.kafka.name = kafka',
      'logger.kafka.level = INFO',
      'logger.apache.name = org.apache.kafka',
      'logger.apache.level = WARN',
      '',
    ].join('\n'),
  );
  return file;
}

function java(mainClass, args, { dir, heap = '512m', detached = false, stdio, jvmFlags = [] } = {}) {
  const jvm = [
    ...jvmFlags,
    `-Xmx${heap}`,
    `-Xms${heap === '512m' ? '256m' : heap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    ...(dir ? [`-Dlog4j2.configurationFile=${log4jConfig(dir)}`] : ['-Dlog4j2.level=WARN']),
    '-cp',
    classpath(),
    mainClass,
    ...args,
  ];
  if (detached) return spawn('java', jvm, { detached: true, stdio });
  return spawnSync('java', jvm, { stdio: stdio ?? 'inherit', encoding: 'utf8' });
}

function uuidBase64() {
  return randomBytes(16).toString('base64url');
}

/** Ports for node i (0-based) of a cluster whose first client port is `port`. */
function nodePorts(port, i) {
  return { client: port + i, controller: port + 100 + i };
}

function writeProps(dir, { port, nodes, i }) {
  const voters = Array.from({ length: nodes }, (_, n) => `${n + 1}@127.0.0.1:${nodePorts(port, n).controller}`).join(
    ',',
  );
  const { client, controller } = nodePorts(port, i);
  const rf = Math.min(nodes, 3);
  const props = {
    'process.roles': 'broker,controller',
    'node.id': i + 1,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${client},CONTROLLER://127.0.0.1:${controller}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${client}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(dir, 'data'),
    'num.partitions': 1,
    'default.replication.factor': rf,
    'min.insync.replicas': rf > 1 ? 2 : 1,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': rf > 1 ? 2 : 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
    'delete.topic.enable': true,
    'log.segment.bytes': 64 * 1024 * 1024,
    // ACL APIs answer (kafka-acls works) without changing what PLAINTEXT clients may do: they are
    // User:ANONYMOUS, a super user, and resources without ACLs stay open.
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': true,
    'super.users': 'User:ANONYMOUS',
  };
  const file = join(dir, 'server.properties');
  writeFileSync(
    file,
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return file;
}

function canConnect(port) {
  return new Promise((ok) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start `nodes` KRaft brokers (combined broker+controller) on 127.0.0.1:port.. and wait until
 * every one logs that it started and accepts connections. Returns { bootstrap, pids, dir }.
 */
export async function startKafka({ port = 19092, nodes = 1, dir, heap = '512m', timeoutMs = 90_000 } = {}) {
  fetchKafka({ quiet: true });
  const root = resolve(dir ?? join(cacheDir, 'run', `${nodes}x${port}`));
  await stopKafka({ dir: root });
  rmSync(root, { recursive: true, force: true });
  const clusterId = uuidBase64();
  for (let i = 0; i < nodes; i++) {
    const ndir = join(root, `node${i + 1}`);
    mkdirSync(join(ndir, 'data'), { recursive: true });
    const props = writeProps(ndir, { port, nodes, i });
    const fmt = java(
      'kafka.tools.StorageTool',
      ['format', `--cluster-id=${clusterId}`, '-c', props, '--ignore-formatted'],
      {
        dir: ndir,
        stdio: 'pipe',
      },
    );
    if (fmt.status !== 0) throw new Error(`kafka-storage format failed for node ${i + 1}: ${fmt.stderr || fmt.stdout}`);
  }
  writeFileSync(join(root, 'ports'), JSON.stringify({ port, nodes }));
  return runNodes(root, { port, nodes, heap, timeoutMs });
}

/**
 * Start again the brokers of a `dir` that startKafka made (after they were stopped or killed),
 * keeping their data: no format, the same ports. Returns { bootstrap, pids, dir }.
 */
export async function restartKafka({ dir, heap = '512m', timeoutMs = 90_000 }) {
  const root = resolve(dir);
  const { port, nodes } = JSON.parse(readFileSync(join(root, 'ports'), 'utf8'));
  await stopKafka({ dir: root });
  return runNodes(root, { port, nodes, heap, timeoutMs });
}

async function runNodes(root, { port, nodes, heap, timeoutMs }) {
  const pids = [];
  for (let i = 0; i < nodes; i++) {
    const ndir = join(root, `node${i + 1}`);
    const out = openSync(join(ndir, 'stdout.log'), 'a');
    // The log is read for "started" below: a restart must not find the previous run's line.
    rmSync(join(ndir, 'server.log'), { force: true });
    const child = java('kafka.Kafka', [join(ndir, 'server.properties')], {
      dir: ndir,
      heap,
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    pids.push(child.pid);
    writeFileSync(join(ndir, 'pid'), String(child.pid));
  }
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < nodes; i++) {
    const ndir = join(root, `node${i + 1}`);
    for (;;) {
      const logFile = join(ndir, 'server.log');
      const started =
        existsSync(logFile) &&
        /Kafka Server started|\[KafkaRaftServer nodeId=\d+\] Kafka Server started/.test(readFileSync(logFile, 'utf8'));
      if (started && (await canConnect(nodePorts(port, i).client))) break;
      if (!isAlive(pids[i])) {
        const tail = readFileSync(join(ndir, 'stdout.log'), 'utf8').slice(-2000);
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        const cause = /Caused by: .*|BindException.*|ERROR .*/.exec(log)?.[0] ?? '';
        throw new Error(`Apache Kafka node ${i + 1} exited during start (${ndir}). ${cause}\nLast output:\n${tail}`);
      }
      if (Date.now() > deadline)
        throw new Error(`Apache Kafka node ${i + 1} not ready after ${timeoutMs} ms (see ${ndir}/server.log)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const bootstrap = Array.from({ length: nodes }, (_, i) => `127.0.0.1:${nodePorts(port, i).client}`).join(',');
  writeFileSync(join(root, 'bootstrap'), bootstrap);
  return { bootstrap, pids, dir: root };
}

/** Stop every broker started in `dir` (SIGTERM, then SIGKILL after 15 s). */
export async function stopKafka({ dir, port = 19092, nodes = 1, signal = 'SIGTERM' } = {}) {
  const root = resolve(dir ?? join(cacheDir, 'run', `${nodes}x${port}`));
  if (!existsSync(root)) return;
  const pids = readdirSync(root)
    .filter((d) => d.startsWith('node') && existsSync(join(root, d, 'pid')))
    .map((d) => Number(readFileSync(join(root, d, 'pid'), 'utf8')));
  for (const pid of pids)
    if (isAlive(pid))
      try {
        process.kill(pid, signal);
      } catch {}
  const deadline = Date.now() + 15_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids)
    if (isAlive(pid))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
}

/** Run a Kafka CLI tool by its script name, e.g. runTool('kafka-topics', ['--list', ...]). */
export function runTool(name, args, opts = {}) {
  const main = TOOLS[name];
  if (!main) throw new Error(`unknown tool ${name}; known: ${Object.keys(TOOLS).join(', ')}`);
  // CLI tools live for seconds: the C1 compiler alone starts them faster
  return java(main, args, {
    heap: '256m',
    stdio: opts.stdio ?? 'pipe',
    jvmFlags: ['-XX:TieredStopAtLevel=1'],
    ...opts,
  });
}

function parseFlags(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) o[a.slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return o;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const f = parseFlags(rest);
  const opts = { port: Number(f.port ?? 19092), nodes: Number(f.nodes ?? 1), dir: f.dir, heap: f.heap };
  switch (cmd) {
    case 'fetch':
      console.log(fetchKafka());
      console.log(fetchConnectFile());
      console.log(fetchKafkaStreams());
      break;
    case 'start': {
      const r = await startKafka(opts);
      console.log(r.bootstrap);
      break;
    }
    case 'stop':
      await stopKafka(opts);
      break;
    case 'tool': {
      const [name, ...args] = rest;
      const r = runTool(name, args, { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
      break;
    }
    default:
      console.log(`usage: kafka.mjs fetch
       kafka.mjs start [--port 19092] [--nodes 1|3] [--dir DIR] [--heap 512m]   prints the bootstrap servers
       kafka.mjs stop  [--port 19092] [--nodes 1|3] [--dir DIR]
       kafka.mjs tool  <${Object.keys(TOOLS).join('|')}> [args...]`);
      process.exitCode = cmd ? 2 : 0;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
