// CLI flags mirror the environment: --web-port 4000 is WEB_PORT=4000, --sampledata is SAMPLEDATA=1.
// Only known flags pass: a typo fails naming the flag and the closest known one.
import { closest } from './suggest.ts';

export const CliErrorCodes = {
  UNKNOWN_FLAG: 'SEAWAY_CLI_UNKNOWN_FLAG',
  BAD_ARGUMENT: 'SEAWAY_CLI_BAD_ARGUMENT',
  UNKNOWN_COMMAND: 'SEAWAY_CLI_UNKNOWN_COMMAND',
} as const;

export class CliError extends Error {
  constructor(
    readonly code: (typeof CliErrorCodes)[keyof typeof CliErrorCodes],
    message: string,
  ) {
    super(message);
  }
}

/** "unknown flag --web-prot (did you mean --web-port?)", for the flag and the known ones. */
export function unknownFlag(given: string, known: readonly string[], command: string): CliError {
  const near = closest(given, known);
  return new CliError(
    CliErrorCodes.UNKNOWN_FLAG,
    `unknown flag ${given} for seaway ${command}${near ? ` (did you mean ${near}?)` : ''}; see seaway ${command} --help`,
  );
}

/** True for -h, --help and help anywhere in the arguments. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/**
 * `--web-port 4000 --sampledata` to { WEB_PORT: '4000', SAMPLEDATA: true }. With `known` (flags
 * like --web-port), anything else throws CliError naming the closest known flag.
 */
export function flagsToSettings(
  argv: readonly string[],
  known?: readonly string[],
  command = 'start',
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue; // `pnpm start -- --web-port 4000` may pass the separator through
    if (!a.startsWith('--')) {
      if (a.startsWith('-') && known) throw unknownFlag(a, known, command);
      throw new CliError(
        CliErrorCodes.BAD_ARGUMENT,
        `unexpected argument "${a}": settings are flags like --web-port 3030`,
      );
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (known && !known.includes(name)) throw unknownFlag(name, known, command);
    const key = name.slice(2).replace(/-/g, '_').toUpperCase();
    if (eq >= 0) out[key] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[key] = argv[++i]!;
    else out[key] = true;
  }
  return out;
}
