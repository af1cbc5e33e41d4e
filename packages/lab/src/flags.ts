// CLI flags mirror the environment: --web-port 4000 is WEB_PORT=4000, --sampledata is SAMPLEDATA=1.
export function flagsToSettings(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}": settings are flags like --web-port 3030`);
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const key = name.replace(/-/g, '_').toUpperCase();
    if (inline !== undefined) out[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[key] = argv[++i]!;
    else out[key] = true;
  }
  return out;
}
