// Kafka CLI tools suite, part 3 (rows in java-tools-suite.ts): kafka-leader-election, kafka-cluster, kafka-broker-api-versions, kafka-acls, kafka-delete-records, kafka-transactions,
// against the embedded broker and real Apache Kafka (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(3);
