// Starts @seaway/mqtt-broker alone on 127.0.0.1 (port from argv, 0 = any) and prints the port, so
// generator benchmarks do not share a process (and an event loop) with the broker.
import { startMqttBroker } from '@seaway/mqtt-broker';

const broker = await startMqttBroker({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(`${broker.port}\n`);
const stop = async (): Promise<void> => {
  await broker.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
