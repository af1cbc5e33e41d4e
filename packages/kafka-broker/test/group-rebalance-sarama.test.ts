// sarama (github.com/IBM/sarama, from the Go module proxy) members with its defaults (range assignor,
// auto commit of marked offsets) in a group that rebalances mid-stream (group-rebalance.ts), both
// brokers: no duplicates, no losses.
import { saramaMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';
import { saramaClient } from './sarama-client.ts';

rebalanceSuite('sarama', !saramaClient && 'sarama program not built', () => saramaMember(saramaClient as string));
