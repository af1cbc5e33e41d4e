// Kafka CLI tools suite, part 4 (rows in java-tools-suite.ts): kafka-producer-perf-test, kafka-consumer-perf-test, kafka-verifiable-producer/consumer,
// against the embedded broker and real Apache Kafka (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(4);
