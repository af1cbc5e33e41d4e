// Runs the embedded Node Kafka broker (@seaway/kafka-broker) alone in this process, for the harness:
// `node --import tsx embedded-kafka.ts --port P [--data-dir DIR | --memory] [--partitions N]`.
// Prints "kafka broker ready at ..." once it listens; stops cleanly on SIGTERM.
import { main } from '@seaway/kafka-broker';

await main(process.argv.slice(2));
