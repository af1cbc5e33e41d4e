// kcat -G (librdkafka 2.0.2) members in a group that rebalances mid-stream (group-rebalance.ts), both brokers.
import { command } from '../../../scripts/testing/needs.mjs';
import { kcatMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

const kcat = command('kcat');
rebalanceSuite('kcat -G', !kcat && 'kcat missing', () => kcatMember(kcat as string));
