// Current librdkafka (confluent-kafka from PyPI, in a venv) members in a group that rebalances
// mid-stream (group-rebalance.ts), both brokers.
import { currentConfluentPython } from '../../../scripts/testing/needs.mjs';
import { confluentMember } from './group-members.ts';
import { rebalanceSuite } from './group-rebalance.ts';

const python = currentConfluentPython();
rebalanceSuite('confluent-kafka (current)', !python && 'current confluent-kafka missing', () =>
  confluentMember(python as string),
);
