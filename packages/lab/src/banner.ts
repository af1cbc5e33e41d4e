// The start banner: every endpoint with its URL, the bind address, the auth state and the data
// directory, so a user sees at a glance what runs where and who may use it.
import { resolve } from 'node:path';
import type { LabAuth, LabConfig } from './config.ts';
import type { Lab } from './lab.ts';
import { VERSION } from './version.ts';

type BannerLab = Pick<
  Lab,
  'webPort' | 'mqttPort' | 'connectPort' | 'registryPort' | 'registryUrl' | 'kafkaBrokers' | 'kafkaKind'
>;

export function bindNote(host: string): string {
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') return 'this machine only';
  if (host === '0.0.0.0' || host === '::') return 'every interface: reachable from the network';
  return 'that interface only';
}

export function banner(cfg: LabConfig, lab: BannerLab, auth: LabAuth | null): string {
  const h = cfg.ADV_HOST;
  const rows: [string, string][] = [];
  const web = lab.webPort ? `http://${h}:${lab.webPort}` : null;
  rows.push(['console', web ?? 'off (WEB_PORT=0)']);
  rows.push(['MQTT', lab.mqttPort ? `mqtt://${h}:${lab.mqttPort}` : 'off (MQTT_PORT=0)']);
  rows.push(['MQTT WebSocket', lab.mqttPort && web ? `ws://${h}:${lab.webPort}/mqtt` : 'off']);
  rows.push([
    'Kafka bootstrap',
    lab.kafkaKind === 'external'
      ? `${lab.kafkaBrokers.join(',')} (KAFKA_BROKERS)`
      : `${h}:${cfg.BROKER_PORT} (embedded)`,
  ]);
  rows.push([
    'schema registry',
    cfg.SCHEMA_REGISTRY_URL
      ? `${lab.registryUrl} (SCHEMA_REGISTRY_URL)`
      : lab.registryPort
        ? `http://${h}:${lab.registryPort}${web ? `, ${web}/api/schema-registry` : ''}`
        : `${web}/api/schema-registry`,
  ]);
  rows.push([
    'Kafka Connect',
    lab.connectPort ? `http://${h}:${lab.connectPort}${web ? `, ${web}/api/connect` : ''}` : `${web}/api/connect`,
  ]);
  rows.push(['metrics', web ? `${web}/metrics` : 'off (WEB_PORT=0)']);
  rows.push(['bound to', `${cfg.BIND_HOST} (${bindNote(cfg.BIND_HOST)}; BIND_HOST)`]);
  rows.push([
    'auth',
    auth
      ? `on for user "${auth.user}" (${auth.from}): HTTP basic on console/APIs, registry and Connect; Kafka SASL/PLAIN; MQTT username/password`
      : 'off: anyone who reaches these ports may use them (set SEAWAY_PASSWORD to turn it on)',
  ]);
  rows.push(['data', resolve(cfg.DATA_DIR)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return `\nSeaway ${VERSION} is ready. Ctrl+C stops it.\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\n`;
}
