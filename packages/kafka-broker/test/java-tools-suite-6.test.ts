// Kafka CLI tools suite, part 6 (rows in java-tools-suite.ts): kafka-configs on broker resources (per-broker
// and cluster-wide dynamic configs: set, described with their sources and synonyms, refused, deleted) and
// kafka-reassign-partitions --throttle / --verify, against the embedded broker and real Apache Kafka
// (SEAWAY_TEST_KAFKA).

import { runToolSuite } from './java-tools-suite.ts';

runToolSuite(6);
