// Kafka CLI tools suite, part 5 (rows in java-tools-suite.ts): kafka-e2e-latency, kafka-client-metrics, kafka-reassign-partitions, kafka-streams-application-reset,
// against the embedded broker and real Apache Kafka (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(5);
