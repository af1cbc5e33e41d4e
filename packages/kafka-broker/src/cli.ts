// `seaway kafka`: the embedded broker alone. The lab parses BROKER_PORT, DATA_DIR and ADV_HOST (or
// --port/--data-dir/--adv-host flags) and passes them here; nothing below reads process.env.
// Runs until SIGINT/SIGTERM, then closes cleanly.

import { startKafkaBroker } from './server/broker.ts';

export interface KafkaCliConfig {
  BROKER_PORT?: number | string;
  DATA_DIR?: string | null;
  ADV_HOST?: string;
  host?: string;
  partitions?: number;
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

/** Starts the broker from CLI flags and the lab's parsed config; resolves when it has stopped. */
export async function main(argv: readonly string[], config: KafkaCliConfig = {}): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      'seaway kafka [--port 9092] [--data-dir DIR | --memory] [--adv-host HOST] [--host 0.0.0.0] [--partitions 1]\n' +
        '  env (parsed by the lab): BROKER_PORT, DATA_DIR, ADV_HOST',
    );
    return;
  }
  const port = Number(flag(argv, 'port') ?? config.BROKER_PORT ?? 9092);
  const dataDir = argv.includes('--memory') ? null : (flag(argv, 'data-dir') ?? config.DATA_DIR ?? null);
  const broker = await startKafkaBroker({
    port,
    host: flag(argv, 'host') ?? config.host ?? '0.0.0.0',
    dataDir: dataDir ? `${dataDir.replace(/\/$/, '')}` : null,
    defaultPartitions: Number(flag(argv, 'partitions') ?? config.partitions ?? 1),
    ...((flag(argv, 'adv-host') ?? config.ADV_HOST)
      ? { advertisedHost: (flag(argv, 'adv-host') ?? config.ADV_HOST) as string }
      : {}),
  });
  console.log(`kafka broker ready at ${broker.bootstrap}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void broker.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
