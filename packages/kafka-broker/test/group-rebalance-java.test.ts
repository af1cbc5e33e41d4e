// Java VerifiableConsumers (classic protocol) in a group that rebalances mid-stream
// (group-rebalance.ts), both brokers.
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import { javaMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

const skip = !javaAvailable() ? 'java not installed' : !isFetched() ? 'Kafka jars not fetched' : false;
if (skip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: Java consumer: ${skip}\n!!!!!!!!\n\n`);
rebalanceSuite('Java VerifiableConsumer', skip, () => javaMember());
