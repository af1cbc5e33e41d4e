// A real Apache Kafka Connect 4.1.1 worker in distributed mode (org.apache.kafka.connect.cli.ConnectDistributed
// from the Kafka download's libs, connect-file as its plugin), started against a bootstrap with extra worker
// properties, its log in a file under `dir`. scripts/kafka/kafka.mjs fetch brings the jars.

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connectPluginDir, libsDir } from '../../../scripts/kafka/kafka.mjs';

export interface ConnectWorker {
  url: string;
  log: string;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown, an open transaction stays open until the next worker fences it. */
  kill(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function startConnectWorker(
  bootstrap: string,
  dir: string,
  groupId: string,
  extra: Record<string, string> = {},
): Promise<ConnectWorker> {
  const port = await freePort();
  const props: Record<string, string> = {
    'bootstrap.servers': bootstrap,
    'group.id': groupId,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'config.storage.topic': `${groupId}-configs`,
    'offset.storage.topic': `${groupId}-offsets`,
    'status.storage.topic': `${groupId}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    listeners: `http://127.0.0.1:${port}`,
    'plugin.path': connectPluginDir,
    'offset.flush.interval.ms': '1000',
    // Kafka's own plugins ship ServiceLoader manifests: no reflective scan of ~90 jars at start.
    'plugin.discovery': 'service_load',
    ...extra,
  };
  writeFileSync(
    join(dir, 'worker.properties'),
    `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  const log = join(dir, 'connect.log');
  writeFileSync(
    join(dir, 'log4j2.properties'),
    [
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.file.ref = file',
      'appender.file.type = File',
      'appender.file.name = file',
      `appender.file.fileName = ${log}`,
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const cp = (readdirSync(libsDir) as string[])
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(libsDir, f))
    .join(':');
  const proc: ChildProcess = spawn(
    'java',
    [
      '-Xmx384m',
      '-XX:+UseG1GC',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
      '-cp',
      cp,
      'org.apache.kafka.connect.cli.ConnectDistributed',
      join(dir, 'worker.properties'),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGKILL');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000; // the CPU is shared with other test files
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the Connect worker exited with ${proc.exitCode}; see ${log}`);
    const ok = await fetch(`${url}/connectors`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { url, log, stop, kill };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Connect worker did not answer GET /connectors within 150 s; see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
