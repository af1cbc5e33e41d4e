// `seaway <command>`: start (the whole lab), kafka (the embedded Kafka broker alone),
// ais-generator (the seed's generator, with its flags), help. `--help` on any command prints its
// flags and exits 0 without starting anything; unknown flags fail naming the closest known one.
// Settings come from the environment and flags, validated once here; nothing below reads process.env.
// The services are imported when a command runs, so --help and typos answer without loading them.
import { type CommandSpec, command, commandUsage, mainUsage } from './commands.ts';
import { ignoredPasswordWarning, labAuth, parseConfig } from './config.ts';
import { CliError, CliErrorCodes, flagsToSettings, unknownFlag, wantsHelp } from './flags.ts';
import { closest } from './suggest.ts';

const known = (c: CommandSpec) => c.flags.map((f) => f.flag);

async function start(rest: string[]): Promise<void> {
  const cfg = parseConfig({ ...process.env, ...flagsToSettings(rest, known(command('start')!)) });
  const warning = ignoredPasswordWarning(cfg);
  if (warning) process.stderr.write(`[seaway] ${warning}\n`);
  const { checkPortsFree } = await import('./port-check.ts');
  await checkPortsFree(cfg);
  const { startLab } = await import('./lab.ts');
  const { banner } = await import('./banner.ts');
  const lab = await startLab(cfg);
  process.stderr.write(banner(cfg, lab, labAuth(cfg)));
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[seaway] ${sig}: stopping\n`);
    await lab.close();
    process.stderr.write('[seaway] stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function connect(rest: string[]): Promise<void> {
  const { parseConnectConfig, startConnectWorker } = await import('./connect-worker.ts');
  const cfg = parseConnectConfig({ ...process.env, ...flagsToSettings(rest, known(command('connect')!), 'connect') });
  const log = (line: string) => process.stderr.write(`[seaway connect] ${line}\n`);
  const rt = await startConnectWorker(cfg, log);
  log(
    `worker ${rt.worker.workerId} joined group ${cfg.GROUP_ID} on ${cfg.KAFKA_BROKERS}; REST on port ${rt.port}${rt.herder?.isLeader ? ' (leader)' : ''}`,
  );
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping (tasks stop, then the worker leaves the group)`);
    await rt.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Checks the generator's single-dash flags against its usage, so typos get a suggestion too. */
function checkAisFlags(rest: string[]): void {
  const flags = known(command('ais-generator')!);
  for (const a of rest) {
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) continue;
    const name = a.split('=')[0]!;
    const single = name.replace(/^--/, '-');
    if (!flags.includes(name) && !flags.includes(single) && !['--no-progress', '--progress'].includes(name))
      throw unknownFlag(name, flags, 'ais-generator');
  }
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const which = cmd === 'help' && rest[0] ? command(rest[0]) : undefined;
    if (cmd === 'help' && rest[0] && !which) throw unknownCommand(rest[0]);
    process.stdout.write(which ? commandUsage(which) : mainUsage());
    return;
  }
  const spec = command(cmd);
  if (!spec) throw unknownCommand(cmd);
  if (wantsHelp(rest)) {
    process.stdout.write(commandUsage(spec));
    return;
  }
  switch (cmd) {
    case 'start':
      return start(rest);
    case 'connect':
      return connect(rest);
    case 'kafka': {
      flagsToSettings(rest, known(spec), 'kafka');
      const cfg = parseConfig({ ...process.env });
      const { main: kafkaBroker } = await import('@seaway/kafka-broker');
      return kafkaBroker(rest, {
        BROKER_PORT: cfg.BROKER_PORT,
        DATA_DIR: `${cfg.DATA_DIR}/kafka`,
        ADV_HOST: cfg.ADV_HOST,
        host: cfg.BIND_HOST,
      });
    }
    case 'ais-generator': {
      checkAisFlags(rest);
      const { main: aisGenerator } = await import('@seaway/ais');
      const code = await aisGenerator(rest);
      if (typeof code === 'number') process.exitCode = code;
      return;
    }
  }
}

function unknownCommand(cmd: string): CliError {
  const near = closest(
    cmd,
    ['start', 'kafka', 'connect', 'ais-generator', 'help'].filter((c) => c !== cmd),
  );
  return new CliError(
    CliErrorCodes.UNKNOWN_COMMAND,
    `unknown command "${cmd}"${near ? ` (did you mean ${near}?)` : ''}; see seaway --help`,
  );
}

main(process.argv.slice(2)).catch((e: Error & { code?: string }) => {
  process.stderr.write(`seaway: ${e.message}\n`);
  process.exit(e instanceof CliError ? 2 : 1);
});
