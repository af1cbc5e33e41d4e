// Kafka CLI tools suite, part 1 (rows in java-tools-suite.ts): kafka-topics, console producer/consumer, kafka-get-offsets (-1 to -5), kafka-configs,
// against the embedded broker and real Apache Kafka (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(1);
