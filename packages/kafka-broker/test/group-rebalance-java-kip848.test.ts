// Java VerifiableConsumers with group.protocol=consumer (KIP-848: ConsumerGroupHeartbeat, server-side
// assignment) in a group that rebalances mid-stream (group-rebalance.ts), embedded broker; the Apache
// Kafka leg is group-rebalance-java-kip848-kafka.test.ts (each leg takes over a minute here).
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import { javaMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

const skip = !javaAvailable() ? 'java not installed' : !isFetched() ? 'Kafka jars not fetched' : false;
if (skip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: Java consumer: ${skip}\n!!!!!!!!\n\n`);
rebalanceSuite(
  'Java VerifiableConsumer (group.protocol=consumer)',
  skip,
  () => javaMember(['--group-protocol', 'consumer']),
  false,
  'embedded broker',
);
