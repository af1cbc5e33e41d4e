// `seaway <command>`: start (the whole lab), kafka (the embedded Kafka broker alone),
// ais-generator (the seed's generator, with its flags). Settings come from the environment and
// flags, validated once here; nothing below the lab reads process.env.
import { main as aisGenerator } from '@seaway/ais';
import { main as kafkaBroker } from '@seaway/kafka-broker';
import { parseConfig } from './config.ts';
import { flagsToSettings } from './flags.ts';
import { startLab } from './lab.ts';

const USAGE = `usage:
  seaway start [--web-port 3030] [--mqtt-port 1883] [--kafka-brokers host:port] [--data-dir DIR] ...
  seaway kafka [--port 9092] [--data-dir DIR | --memory] [--adv-host HOST]
  seaway ais-generator [-server 127.0.0.1:1883] [-messages 100000] [-workers 64] ... (--help for all)
Every setting of start is also an environment variable (WEB_PORT, MQTT_PORT, KAFKA_BROKERS, ...); see README.md.`;

async function start(rest: string[]): Promise<void> {
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
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start':
      return start(rest);
    case 'kafka': {
      const cfg = parseConfig({ ...process.env });
      return kafkaBroker(rest, {
        BROKER_PORT: cfg.BROKER_PORT,
        DATA_DIR: `${cfg.DATA_DIR}/kafka`,
        ADV_HOST: cfg.ADV_HOST,
        host: cfg.BIND_HOST,
      });
    }
    case 'ais-generator': {
      const code = await aisGenerator(rest);
      if (typeof code === 'number') process.exitCode = code;
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
  console.error(`seaway: ${e.message}`);
  process.exit(1);
});
