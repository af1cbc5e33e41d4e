// Before starting: every port the lab will listen on must be free on BIND_HOST. A used one fails at
// once naming the port, the setting, the service and, when the OS tells us (ss, then lsof), the
// process holding it, instead of a bare EADDRINUSE from halfway through the start.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { LabConfig } from './config.ts';

export class PortInUseError extends Error {
  readonly code = 'SEAWAY_PORT_IN_USE';
}

export interface PlannedPort {
  port: number;
  setting: keyof LabConfig;
  service: string;
}

/** The ports `seaway start` with this config listens on (0 and external services excluded). */
export function plannedPorts(cfg: LabConfig): PlannedPort[] {
  const all: PlannedPort[] = [
    { port: cfg.WEB_PORT, setting: 'WEB_PORT', service: 'console and HTTP APIs' },
    { port: cfg.MQTT_PORT, setting: 'MQTT_PORT', service: 'MQTT' },
    { port: cfg.KAFKA_BROKERS ? 0 : cfg.BROKER_PORT, setting: 'BROKER_PORT', service: 'embedded Kafka' },
    { port: cfg.SCHEMA_REGISTRY_URL ? 0 : cfg.REGISTRY_PORT, setting: 'REGISTRY_PORT', service: 'schema registry' },
    { port: cfg.CONNECT_PORT, setting: 'CONNECT_PORT', service: 'Kafka Connect REST' },
  ];
  return all.filter((p) => p.port !== 0);
}

function canListen(port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', (e) => done(e as NodeJS.ErrnoException));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => done(null)));
  });
}

/** "pid 1234 (node packages/lab/bin/seaway.mjs start)", or null when the OS does not say. */
export function portHolder(port: number): string | null {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  let pid = ss.status === 0 ? /pid=(\d+)/.exec(ss.stdout)?.[1] : undefined;
  let name = ss.status === 0 ? /users:\(\("([^"]+)"/.exec(ss.stdout)?.[1] : undefined;
  if (!pid) {
    const lsof = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { encoding: 'utf8' });
    if (lsof.status === 0) {
      pid = /^p(\d+)/m.exec(lsof.stdout)?.[1];
      name = /^c(.+)/m.exec(lsof.stdout)?.[1];
    }
  }
  if (!pid) return null;
  let cmd = name ?? '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || cmd;
  } catch {}
  if (cmd.length > 120) cmd = `${cmd.slice(0, 117)}...`;
  return `pid ${pid}${cmd ? ` (${cmd})` : ''}`;
}

export async function checkPortsFree(cfg: LabConfig): Promise<void> {
  const problems: string[] = [];
  const used: string[] = [];
  for (const p of plannedPorts(cfg)) {
    const err = await canListen(p.port, cfg.BIND_HOST);
    if (!err) continue;
    used.push(`--${p.setting.toLowerCase().replace(/_/g, '-')} ${p.port + 1000}`);
    if (err.code === 'EADDRINUSE') {
      const holder = portHolder(p.port);
      const seaway = holder && /seaway/.test(holder) ? ': another Seaway is running' : '';
      problems.push(
        `  port ${p.port} (${p.setting}, ${p.service}) is in use${holder ? ` by ${holder}` : ' by another process'}${seaway}`,
      );
    } else {
      problems.push(`  port ${p.port} (${p.setting}, ${p.service}) on ${cfg.BIND_HOST}: ${err.message}`);
    }
  }
  if (problems.length) {
    throw new PortInUseError(
      `cannot start:\n${problems.join('\n')}\nstop that process or pick other ports, e.g. ${used.join(' ')} (see seaway start --help)`,
    );
  }
}
