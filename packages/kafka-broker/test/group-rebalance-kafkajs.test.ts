// kafkajs consumers in a group that rebalances mid-stream (group-rebalance.ts), both brokers.
import { kafkajsMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

rebalanceSuite('kafkajs', false, () => kafkajsMember);
