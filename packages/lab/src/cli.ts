// `seaway <command>`: start (the whole lab). More commands (kafka, ais-generator) join as their
// packages land.
import { ConfigError, parseConfig } from './config.ts';
import { flagsToSettings } from './flags.ts';
import { startLab } from './lab.ts';

const USAGE = `usage: seaway start [--web-port 3030] [--mqtt-port 1883] [--kafka-brokers host:port] [--data-dir DIR] ...
Every setting is also an environment variable (WEB_PORT, MQTT_PORT, KAFKA_BROKERS, ...); see README.md.`;

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const cfg = parseConfig({ ...process.env, ...flagsToSettings(rest) });
      const lab = await startLab(cfg);
      let stopping = false;
      const stop = async (sig: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`[seaway] ${sig}: stopping\n`);
        await lab.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      console.error(`unknown command "${cmd}"\n${USAGE}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(e instanceof ConfigError ? `seaway: ${e.message}` : `seaway: ${e.message}`);
  process.exit(1);
});
