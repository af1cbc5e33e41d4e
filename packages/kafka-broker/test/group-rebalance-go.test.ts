// franz-go (github.com/twmb/franz-go, from the Go module proxy) members in a group that rebalances
// mid-stream (group-rebalance.ts), both brokers: no duplicates, no losses.
import { goClient } from './go-client.ts';
import { goMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

rebalanceSuite('franz-go', !goClient && 'Go program not built', () => goMember(goClient as string));
