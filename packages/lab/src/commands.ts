// The CLI's commands and their flags, each with its environment variable and default: the single
// source for `seaway --help`, `seaway <command> --help`, flag checking and the README test.
import { USAGE as AIS_USAGE } from '@seaway/ais/usage';
import { LabConfig } from './config.ts';
import { connectFlags } from './connect-worker.ts';
import { type SettingHelp, startSettings } from './settings.ts';

export interface FlagSpec {
  flag: string;
  /** The environment variable with the same meaning, if any. */
  env: string | null;
  /** The default as shown in help ("unset" when there is none). */
  default: string;
  help: string;
  group?: SettingHelp['group'];
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec[];
}

function shown(v: unknown): string {
  if (v === undefined) return 'unset';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

const defaults = LabConfig.parse({}) as Record<string, unknown>;

const GROUPS: SettingHelp['group'][] = ['ports', 'network', 'auth', 'data', 'kafka', 'mqtt', 'limits'];

const startFlags: FlagSpec[] = startSettings()
  .map((s) => ({
    flag: s.flag,
    env: s.key as string,
    default: shown(defaults[s.key]),
    help: s.help.help,
    group: s.help.group,
  }))
  .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group));

const kafkaFlags: FlagSpec[] = [
  { flag: '--port', env: 'BROKER_PORT', default: shown(defaults.BROKER_PORT), help: 'Kafka port' },
  {
    flag: '--data-dir',
    env: 'DATA_DIR',
    default: `${shown(defaults.DATA_DIR)}/kafka`,
    help: 'where topics and offsets are kept (DATA_DIR/kafka)',
  },
  { flag: '--memory', env: null, default: 'off', help: 'keep everything in memory instead of --data-dir' },
  { flag: '--adv-host', env: 'ADV_HOST', default: shown(defaults.ADV_HOST), help: 'host name advertised to clients' },
  { flag: '--host', env: 'BIND_HOST', default: shown(defaults.BIND_HOST), help: 'interface to listen on' },
  { flag: '--partitions', env: null, default: '1', help: 'partitions of auto-created topics' },
];

/** The generator's own flags, read from its usage text (single dash, as the seed's generator). */
function aisFlags(): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const line of AIS_USAGE.split('\n')) {
    if (!line.startsWith('  -')) continue;
    const m = /^\s+(.*?)\s{2,}(.*)$/.exec(line);
    const names = (m?.[1] ?? line).match(/(?<=^|\s)--?[a-z][a-z-]*/g) ?? [];
    const help = m?.[2] ?? '';
    const dflt = /\(default ([^):]+)/.exec(help)?.[1] ?? 'unset';
    for (const flag of names) out.push({ flag, env: null, default: dflt, help });
  }
  return out;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    summary: 'the whole lab: Kafka, schema registry, MQTT broker, Connect, console',
    usage: 'seaway start [flags]',
    flags: startFlags,
  },
  {
    name: 'kafka',
    summary: 'the embedded Kafka broker alone',
    usage: 'seaway kafka [flags]',
    flags: kafkaFlags,
  },
  {
    name: 'connect',
    summary: 'one worker of a Connect cluster: connectors only, against KAFKA_BROKERS and external MQTT brokers',
    usage: 'seaway connect [flags]',
    flags: connectFlags,
  },
  {
    name: 'ais-generator',
    summary: 'publish AIS position reports to an MQTT broker (the seed generator)',
    usage: 'seaway ais-generator [flags]',
    flags: aisFlags(),
  },
  {
    name: 'help',
    summary: 'this text; seaway help <command> for one command',
    usage: 'seaway help [command]',
    flags: [],
  },
];

export function command(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: seaway <command> [flags]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'seaway <command> --help lists every flag of a command, with its environment variable and default.',
    '',
  ].join('\n');
}

export function commandUsage(c: CommandSpec): string {
  if (c.name === 'ais-generator') {
    return `${AIS_USAGE}\nThe generator reads no environment variables: every setting is a flag.\n`;
  }
  const lines = [`usage: ${c.usage}`, '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`];
  if (c.name === 'connect') {
    lines.push(
      "Workers with the same group id (GROUP_ID) form one cluster through Kafka's group coordinator; every flag is also an environment variable.",
    );
  }
  if (c.name === 'start') {
    lines.push('Every flag is also an environment variable (fast-data-dev names where they exist); a flag wins.');
  }
  lines.push('');
  const fw = Math.max(...c.flags.map((f) => f.flag.length), 4);
  const ew = Math.max(...c.flags.map((f) => (f.env ?? '-').length), 3);
  const dw = Math.max(...c.flags.map((f) => f.default.length), 7);
  lines.push(`  ${'flag'.padEnd(fw)}  ${'env'.padEnd(ew)}  ${'default'.padEnd(dw)}  meaning`);
  let group: string | undefined;
  for (const f of c.flags) {
    if (f.group && f.group !== group) {
      group = f.group;
      lines.push(`${group}:`);
    }
    lines.push(`  ${f.flag.padEnd(fw)}  ${(f.env ?? '-').padEnd(ew)}  ${f.default.padEnd(dw)}  ${f.help}`);
  }
  lines.push('');
  return lines.join('\n');
}
