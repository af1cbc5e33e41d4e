// Kafka CLI tools suite, part 2 (rows in java-tools-suite.ts): kafka-consumer-groups, kafka-groups, kafka-log-dirs, kafka-dump-log, kafka-features, kafka-metadata-quorum,
// against the embedded broker and real Apache Kafka (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(2);
