// The table of Kafka CLI tools run against the embedded broker and real Apache Kafka: for each row the
// exit code Apache Kafka gives, a check of the output on each broker, and optionally a normalised
// output that must be the same on both. The rows are split in parts, one test file each
// (java-tools-suite-N.test.ts, through runToolSuite in cli-support.ts), so each file stays within
// the test runner's per-file timeout. A part's rows run in order against one topic (2 partitions,
// records a..d keyed, group offsets committed at the end by the set-up) and one group whose names
// both brokers share, so outputs compare directly.
// `todo` marks a row the embedded broker cannot pass yet, with the reason: it still runs (and is
// reported as TODO) but does not fail the suite.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real, toolOutput } from './cli-support.ts';
import { startTestBroker, tempDir, unique } from './support.ts';

export interface SuiteContext {
  readonly bootstrap: string;
  readonly topic: string;
  readonly group: string;
  readonly files: string;
  /** The log directory reported by kafka-log-dirs (set by that row). */
  logDir?: string;
}

export interface ToolRow {
  /** Which test file runs the row (java-tools-suite-N.test.ts): each file must finish within the runner's timeout. */
  readonly part: 1 | 2 | 3 | 4 | 5 | 6;
  readonly tool: string;
  readonly title: string;
  readonly args: (s: SuiteContext) => string[];
  readonly input?: string;
  /** Apache Kafka 4.1.1's exit code for this call. */
  readonly exit: number;
  readonly check?: (out: string, s: SuiteContext) => void;
  /** `check` reads stderr (where the tool prints its error) instead of stdout. */
  readonly checkStderr?: boolean;
  /** Normalised output that must be equal on both brokers. */
  readonly same?: (out: string, s: SuiteContext) => string;
  readonly todo?: string;
}

const bs = (s: SuiteContext) => ['--bootstrap-server', s.bootstrap];
const lines = (out: string) => out.split('\n').filter((l) => l !== '');
const broker1 = ['--entity-type', 'brokers', '--entity-name', '1'];
const brokerDefault = ['--entity-type', 'brokers', '--entity-default'];

export const TOOL_ROWS: readonly ToolRow[] = [
  {
    part: 1,
    tool: 'kafka-topics',
    title: '--create with 2 partitions and a config',
    args: (s) => [
      ...bs(s),
      '--create',
      '--topic',
      `${s.topic}-c`,
      '--partitions',
      '2',
      '--config',
      'retention.ms=7200000',
    ],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 1,
    tool: 'kafka-topics',
    title: '--create of an existing topic fails',
    args: (s) => [...bs(s), '--create', '--topic', s.topic],
    exit: 1,
    check: (out) => assert.match(out, /already exists/),
  },
  {
    part: 1,
    tool: 'kafka-topics',
    title: '--list',
    args: (s) => [...bs(s), '--list'],
    exit: 0,
    check: (out, s) => assert.ok(lines(out).includes(s.topic)),
  },
  {
    part: 1,
    tool: 'kafka-topics',
    title: '--describe (DescribeTopicPartitions)',
    args: (s) => [...bs(s), '--describe', '--topic', s.topic],
    exit: 0,
    check: (out) => assert.match(out, /PartitionCount: 2\s+ReplicationFactor: 1/),
    // topic ids differ; Configs lists the broker's non-default static configs too, which differ by setup
    same: (out) => out.replace(/TopicId: \S+/, 'TopicId: X').replace(/Configs:.*/, 'Configs: ...'),
  },
  {
    part: 1,
    tool: 'kafka-topics',
    title: '--describe of a missing topic fails',
    args: (s) => [...bs(s), '--describe', '--topic', `${s.topic}-missing`],
    exit: 1,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 1,
    tool: 'kafka-console-producer',
    title: 'keyed records',
    args: (s) => [
      ...bs(s),
      '--topic',
      `${s.topic}-console`,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ],
    input: 'a:1\nb:2\nc:3\nd:4\n',
    exit: 0,
  },
  {
    part: 1,
    tool: 'kafka-console-consumer',
    title: 'reads them with a group',
    args: (s) => [
      ...bs(s),
      '--topic',
      `${s.topic}-console`,
      '--from-beginning',
      '--max-messages',
      '4',
      '--group',
      `${s.group}-console`,
      '--property',
      'print.key=true',
      '--property',
      'key.separator=:',
    ],
    exit: 0,
    same: (out) => lines(out).sort().join('\n'),
    check: (out) => assert.deepEqual(lines(out).sort(), ['a:1', 'b:2', 'c:3', 'd:4']),
  },
  {
    part: 1,
    tool: 'kafka-get-offsets',
    title: "latest (murmur2 partitioning is the client's: same on both)",
    args: (s) => [...bs(s), '--topic', s.topic],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
    check: (out) =>
      assert.equal(
        lines(out).reduce((n, l) => n + Number(l.split(':')[2]), 0),
        4,
      ),
  },
  {
    part: 1,
    tool: 'kafka-get-offsets',
    title: '--time -2 (earliest)',
    args: (s) => [...bs(s), '--topic', s.topic, '--time', '-2'],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 1,
    tool: 'kafka-get-offsets',
    title: '--time -3 (max timestamp, ListOffsets v7+)',
    args: (s) => [...bs(s), '--topic', s.topic, '--time', '-3'],
    exit: 0,
    check: (out, s) => {
      for (const l of lines(out)) assert.match(l, new RegExp(`^${s.topic}:[01]:\\d+$`));
    },
  },
  {
    part: 1,
    tool: 'kafka-get-offsets',
    title: '--time -4 (earliest local, ListOffsets v8+)',
    args: (s) => [...bs(s), '--topic', s.topic, '--time', '-4'],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 1,
    tool: 'kafka-get-offsets',
    title: '--time -5 (latest tiered: nothing is tiered, nothing printed)',
    args: (s) => [...bs(s), '--topic', s.topic, '--time', '-5'],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 2,
    tool: 'kafka-consumer-groups',
    title: '--list',
    args: (s) => [...bs(s), '--list'],
    exit: 0,
    check: (out, s) => assert.ok(lines(out).includes(s.group)),
  },
  {
    part: 2,
    tool: 'kafka-consumer-groups',
    title: '--describe shows offsets and lag 0',
    args: (s) => [...bs(s), '--describe', '--group', s.group],
    exit: 0,
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG of each row
    same: (out, s) =>
      lines(out)
        .filter((l) => l.startsWith(s.group))
        .map((l) => l.split(/\s+/).slice(0, 6).join(' '))
        .sort()
        .join('\n'),
  },
  {
    part: 2,
    tool: 'kafka-consumer-groups',
    title: '--describe of a missing group names it not found (DescribeGroups v6 GROUP_ID_NOT_FOUND)',
    args: (s) => [...bs(s), '--describe', '--group', `${s.group}-missing`],
    exit: 0,
    check: (out, s) => assert.match(out, new RegExp(`GroupIdNotFoundException: Group ${s.group}-missing not found\\.`)),
  },
  {
    part: 2,
    tool: 'kafka-groups',
    title: '--list shows the classic consumer group',
    args: (s) => [...bs(s), '--list'],
    exit: 0,
    check: (out, s) => assert.match(out, new RegExp(`^${s.group}\\s+Classic\\s+consumer$`, 'm')),
  },
  {
    part: 2,
    tool: 'kafka-consumer-groups',
    title: '--delete-offsets',
    args: (s) => [...bs(s), '--delete-offsets', '--group', s.group, '--topic', s.topic],
    // the tool exits 0 even when the broker lacks OffsetDelete: the rows must say Successful
    exit: 0,
    check: (out, s) => {
      assert.doesNotMatch(out, /Error/);
      assert.match(out, new RegExp(`^${s.topic}\\s+0\\s+Successful$`, 'm'));
    },
  },
  {
    part: 1,
    tool: 'kafka-configs',
    title: '--alter --add-config on a topic',
    args: (s) => [
      ...bs(s),
      '--entity-type',
      'topics',
      '--entity-name',
      s.topic,
      '--alter',
      '--add-config',
      'retention.ms=86400000',
    ],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 1,
    tool: 'kafka-configs',
    title: '--describe a topic',
    args: (s) => [...bs(s), '--entity-type', 'topics', '--entity-name', s.topic, '--describe'],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
    check: (out) => assert.match(out, /retention\.ms=86400000/),
  },
  {
    part: 1,
    tool: 'kafka-configs',
    title: '--describe broker 1',
    args: (s) => [...bs(s), '--entity-type', 'brokers', '--entity-name', '1', '--describe'],
    exit: 0,
    check: (out) => assert.match(out, /Dynamic configs for broker 1 are:/),
  },
  {
    part: 2,
    tool: 'kafka-log-dirs',
    title: '--describe has both partitions with their sizes',
    args: (s) => [...bs(s), '--describe', '--topic-list', s.topic],
    exit: 0,
    check: (out, s) => {
      const json = JSON.parse(lines(out).at(-1) as string);
      const dir = json.brokers[0].logDirs[0];
      s.logDir = dir.logDir;
      const parts = dir.partitions.map((p: { partition: string }) => p.partition).sort();
      assert.deepEqual(parts, [`${s.topic}-0`, `${s.topic}-1`]);
      assert.ok(dir.partitions.reduce((n: number, p: { size: number }) => n + p.size, 0) > 0);
    },
  },
  {
    part: 2,
    tool: 'kafka-dump-log',
    title: 'reads a segment file of the topic',
    args: (s) => ['--files', `${s.logDir}/${s.topic}-0/00000000000000000000.log`, '--print-data-log'],
    exit: 0,
    check: (out) => assert.match(out, /baseOffset: 0 lastOffset: \d+ count: \d+ .*isvalid: true/),
  },
  {
    part: 2,
    tool: 'kafka-features',
    title: 'describe lists the features of Kafka 4.1',
    args: (s) => [...bs(s), 'describe'],
    exit: 0,
    same: (out) =>
      lines(out)
        .map((l) => l.split('\t')[0])
        .join('\n'),
    check: (out) =>
      assert.match(
        out,
        /Feature: metadata\.version\tSupportedMinVersion: 3\.3-IV3\tSupportedMaxVersion: 4\.1-IV1\tFinalizedVersionLevel: 4\.1-IV1/,
      ),
  },
  {
    part: 2,
    tool: 'kafka-features',
    title: 'upgrade to the current metadata.version is a no-op',
    args: (s) => [...bs(s), 'upgrade', '--metadata', '4.1-IV1'],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 2,
    tool: 'kafka-features',
    title: 'upgrade of an unknown feature fails',
    args: (s) => [...bs(s), 'upgrade', '--feature', 'no.such.version=1', '--dry-run'],
    exit: 1,
    check: (out) => assert.match(out, /Can not upgrade no\.such\.version to 1/),
  },
  {
    part: 2,
    tool: 'kafka-metadata-quorum',
    title: 'describe --status: one voter, the leader',
    args: (s) => [...bs(s), 'describe', '--status'],
    exit: 0,
    check: (out) => {
      assert.match(out, /^LeaderId:\s+1$/m);
      assert.match(out, /^CurrentVoters:\s+\[\{"id": 1, "endpoints": \["\w+:\/\/127\.0\.0\.1:\d+"\]\}\]$/m);
      assert.match(out, /^CurrentObservers:\s+\[\]$/m);
    },
    same: (out) =>
      lines(out)
        .map((l) => l.split(':')[0])
        .join('\n'),
  },
  {
    part: 2,
    tool: 'kafka-metadata-quorum',
    title: 'describe --replication',
    args: (s) => [...bs(s), 'describe', '--replication'],
    exit: 0,
    check: (out) => assert.match(out, /^1\s+AAAAAAAAAAAAAAAAAAAAAA\s+\d+\s+0\s+\d+\s+\d+\s+Leader$/m),
  },
  {
    part: 3,
    tool: 'kafka-leader-election',
    title: 'preferred election of a led partition is not needed',
    args: (s) => [...bs(s), '--election-type', 'preferred', '--topic', s.topic, '--partition', '0'],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 3,
    tool: 'kafka-leader-election',
    title: 'unclean election of all partitions',
    args: (s) => [...bs(s), '--election-type', 'unclean', '--all-topic-partitions'],
    exit: 0,
  },
  {
    part: 3,
    tool: 'kafka-leader-election',
    title: 'a missing topic fails',
    args: (s) => [...bs(s), '--election-type', 'preferred', '--topic', `${s.topic}-missing`, '--partition', '0'],
    exit: 1,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--add',
    args: (s) => [
      ...bs(s),
      '--add',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Read',
      '--operation',
      'Write',
      '--topic',
      s.topic,
    ],
    exit: 0,
    same: (out, s) => lines(out.replaceAll(s.topic, 'T')).sort().join('\n'),
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--add a prefixed group ACL',
    args: (s) => [
      ...bs(s),
      '--add',
      '--allow-principal',
      'User:bob',
      '--operation',
      'Read',
      '--group',
      s.group,
      '--resource-pattern-type',
      'prefixed',
    ],
    exit: 0,
    same: (out, s) => out.replaceAll(s.group, 'G'),
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--list --topic',
    args: (s) => [...bs(s), '--list', '--topic', s.topic],
    exit: 0,
    same: (out, s) => lines(out.replaceAll(s.topic, 'T')).sort().join('\n'),
    check: (out) => assert.match(out, /principal=User:alice, host=\*, operation=WRITE, permissionType=ALLOW/),
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--remove one operation',
    args: (s) => [
      ...bs(s),
      '--remove',
      '--force',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Read',
      '--topic',
      s.topic,
    ],
    exit: 0,
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--list after --remove',
    args: (s) => [...bs(s), '--list', '--topic', s.topic],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
    check: (out) => assert.doesNotMatch(out, /operation=READ/),
  },
  {
    part: 3,
    tool: 'kafka-acls',
    title: '--remove the rest',
    args: (s) => [...bs(s), '--remove', '--force', '--group', s.group, '--resource-pattern-type', 'prefixed'],
    exit: 0,
  },
  {
    part: 3,
    tool: 'kafka-broker-api-versions',
    title: 'lists every served API',
    args: (s) => bs(s),
    exit: 0,
    check: (out) => {
      assert.match(out, /Produce\(0\): 0 to 13 \[usable: 13\]/);
      assert.match(out, /Fetch\(1\): 4 to 18 \[usable: 18\]/);
      assert.match(out, /ListOffsets\(2\): 1 to 10 \[usable: 10\]/);
      assert.match(out, /DescribeGroups\(15\): 0 to 6 \[usable: 6\]/);
      assert.match(out, /DescribeCluster\(60\): 0 to 2 \[usable: 2\]/);
      assert.match(out, /Metadata\(3\): 0 to 13 \[usable: 13\]/);
      assert.match(out, /DescribeAcls\(29\): 1 to 3 \[usable: 3\]/);
      assert.match(out, /DescribeQuorum\(55\): 0 to 2 \[usable: 2\]/);
    },
  },
  {
    part: 3,
    tool: 'kafka-cluster',
    title: 'cluster-id',
    args: (s) => ['cluster-id', ...bs(s)],
    exit: 0,
    check: (out) => assert.match(out, /^Cluster ID: [\w-]{22}$/),
  },
  {
    part: 3,
    tool: 'kafka-delete-records',
    title: 'up to the end of both partitions',
    args: (s) => [...bs(s), '--offset-json-file', `${s.files}/delete.json`],
    exit: 0,
    check: (out) =>
      assert.equal(
        [...out.matchAll(/low_watermark: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
        4,
      ),
  },
  {
    part: 4,
    tool: 'kafka-producer-perf-test',
    title: '2000 idempotent records',
    args: (s) => [
      '--topic',
      s.topic,
      '--num-records',
      '2000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${s.bootstrap}`,
      'enable.idempotence=true',
      'acks=all',
    ],
    exit: 0,
    check: (out) => assert.match(out, /2000 records sent/),
  },
  {
    part: 4,
    tool: 'kafka-consumer-perf-test',
    title: 'reads 2000 records',
    args: (s) => [...bs(s), '--topic', s.topic, '--messages', '2000', '--timeout', '60000'],
    exit: 0,
    check: (out) => assert.match(lines(out).at(-1) as string, /, 2000, /),
  },
  {
    part: 4,
    tool: 'kafka-verifiable-producer',
    title: '50 acknowledged sends',
    args: (s) => [...bs(s), '--topic', `${s.topic}-v`, '--max-messages', '50', '--acks', '-1'],
    exit: 0,
    check: (out) => assert.equal(lines(out).filter((l) => l.includes('"name":"producer_send_success"')).length, 50),
  },
  {
    part: 4,
    tool: 'kafka-verifiable-consumer',
    title: 'consumes the 50 with commits',
    args: (s) => [
      ...bs(s),
      '--topic',
      `${s.topic}-v`,
      '--group-id',
      `${s.group}-v`,
      '--max-messages',
      '50',
      '--reset-policy',
      'earliest',
    ],
    exit: 0,
    check: (out) => {
      const events = lines(out)
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { name: string; count?: number; success?: boolean });
      const consumed = events.filter((e) => e.name === 'records_consumed').reduce((n, e) => n + (e.count ?? 0), 0);
      assert.equal(consumed, 50);
      assert.ok(events.some((e) => e.name === 'offsets_committed' && e.success === true));
    },
  },
  {
    part: 3,
    tool: 'kafka-transactions',
    title: 'list',
    args: (s) => [...bs(s), 'list'],
    exit: 0,
    check: (out) => assert.match(out, /^TransactionalId\s+Coordinator\s+ProducerId\s+TransactionState/),
  },
  {
    part: 5,
    tool: 'kafka-e2e-latency',
    title: '50 records, acks=all',
    args: (s) => [s.bootstrap, s.topic, '50', 'all', '100'],
    exit: 0,
    check: (out) => assert.match(out, /Avg latency: [\d.]+ ms/),
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--alter creates a subscription',
    args: (s) => [
      ...bs(s),
      '--alter',
      '--name',
      `${s.topic}-m`,
      '--metrics',
      'org.apache.kafka.producer.',
      '--interval',
      '1000',
    ],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--describe --name',
    args: (s) => [...bs(s), '--describe', '--name', `${s.topic}-m`],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--list',
    args: (s) => [...bs(s), '--list'],
    exit: 0,
    check: (out, s) => assert.ok(lines(out).includes(`${s.topic}-m`), out),
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--alter with an interval out of range fails',
    args: (s) => [...bs(s), '--alter', '--name', `${s.topic}-m`, '--interval', '10'],
    exit: 1,
    same: (out) => lines(out).find((l) => l.startsWith('Error')) ?? '',
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--alter with a bad match pattern fails',
    args: (s) => [...bs(s), '--alter', '--name', `${s.topic}-m`, '--match', 'bogus=1'],
    exit: 1,
    same: (out) => lines(out).find((l) => l.startsWith('Error')) ?? '',
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--delete, then --describe says it does not exist',
    args: (s) => [...bs(s), '--delete', '--name', `${s.topic}-m`],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-client-metrics',
    title: '--describe of a missing subscription',
    args: (s) => [...bs(s), '--describe', '--name', `${s.topic}-m`],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-reassign-partitions',
    title: '--list with nothing in progress',
    args: (s) => [...bs(s), '--list'],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 5,
    tool: 'kafka-reassign-partitions',
    title: '--execute to the replica it already has',
    args: (s) => [...bs(s), '--execute', '--reassignment-json-file', join(s.files, 'reassign.json')],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-reassign-partitions',
    title: '--verify',
    args: (s) => [...bs(s), '--verify', '--reassignment-json-file', join(s.files, 'reassign.json')],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-reassign-partitions',
    title: '--cancel with nothing in progress',
    args: (s) => [...bs(s), '--cancel', '--reassignment-json-file', join(s.files, 'reassign.json')],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 5,
    tool: 'kafka-streams-application-reset',
    title: '--to-earliest on an input topic',
    args: (s) => [...bs(s), '--application-id', `${s.group}-app`, '--input-topics', s.topic, '--to-earliest'],
    exit: 0,
    // partition lines in sorted order (the tool prints them as a map iterates)
    same: (out, s) => lines(out.replaceAll(s.topic, 'T').replaceAll(s.group, 'G')).sort().join('\n'),
  },
  // part 6: dynamic broker configs (kafka-configs on broker resources) and kafka-reassign-partitions --throttle
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter broker 1 --add-config with the replication throttles',
    args: (s) => [
      ...bs(s),
      ...broker1,
      '--alter',
      '--add-config',
      'leader.replication.throttled.rate=1000,follower.replication.throttled.rate=2000',
    ],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter --entity-default --add-config (cluster-wide dynamic defaults)',
    args: (s) => [
      ...bs(s),
      ...brokerDefault,
      '--alter',
      '--add-config',
      'log.cleaner.threads=2,follower.replication.throttled.rate=3000',
    ],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe broker 1: DYNAMIC_BROKER_CONFIG entries with the default as a synonym',
    args: (s) => [...bs(s), ...broker1, '--describe'],
    exit: 0,
    check: (out) =>
      assert.match(
        out,
        /follower\.replication\.throttled\.rate=2000 sensitive=false synonyms=\{DYNAMIC_BROKER_CONFIG:follower\.replication\.throttled\.rate=2000, DYNAMIC_DEFAULT_BROKER_CONFIG:follower\.replication\.throttled\.rate=3000\}/,
      ),
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe --entity-default: DYNAMIC_DEFAULT_BROKER_CONFIG entries',
    args: (s) => [...bs(s), ...brokerDefault, '--describe'],
    exit: 0,
    check: (out) =>
      assert.match(out, /log\.cleaner\.threads=2 sensitive=false synonyms=\{DYNAMIC_DEFAULT_BROKER_CONFIG:/),
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe --all broker 1: a dynamic default over the static default',
    args: (s) => [...bs(s), ...broker1, '--describe', '--all'],
    exit: 0,
    // the whole list differs (Kafka has ~320 broker configs); the dynamic ones must read the same
    same: (out) =>
      lines(out)
        .filter((l) => /^ {2}(log\.cleaner\.threads|(leader|follower)\.replication\.throttled\.rate)=/.test(l))
        .join('\n'),
    check: (out) =>
      assert.match(
        out,
        /log\.cleaner\.threads=2 sensitive=false synonyms=\{DYNAMIC_DEFAULT_BROKER_CONFIG:log\.cleaner\.threads=2, DEFAULT_CONFIG:log\.cleaner\.threads=1\}/,
      ),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter of a config no broker can change at run time fails',
    args: (s) => [...bs(s), ...broker1, '--alter', '--add-config', 'log.dirs=/elsewhere'],
    exit: 1,
    checkStderr: true,
    check: (out) => assert.match(out, /Cannot update these configs dynamically: Set\(log\.dirs\)/),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter with a value of the wrong type fails',
    args: (s) => [...bs(s), ...broker1, '--alter', '--add-config', 'log.cleaner.threads=many'],
    exit: 1,
    checkStderr: true,
    check: (out) =>
      assert.match(out, /Invalid value many for configuration log\.cleaner\.threads: Not a number of type INT/),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter --entity-default --delete-config',
    args: (s) => [
      ...bs(s),
      ...brokerDefault,
      '--alter',
      '--delete-config',
      'log.cleaner.threads,follower.replication.throttled.rate',
    ],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter --delete-config of a config that is not set fails in the tool',
    args: (s) => [...bs(s), ...brokerDefault, '--alter', '--delete-config', 'log.cleaner.threads'],
    exit: 1,
    checkStderr: true,
    check: (out) => assert.match(out, /Invalid config\(s\): log\.cleaner\.threads/),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--alter broker 1 --delete-config',
    args: (s) => [
      ...bs(s),
      ...broker1,
      '--alter',
      '--delete-config',
      'leader.replication.throttled.rate,follower.replication.throttled.rate',
    ],
    exit: 0,
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe broker 1 after the deletes: nothing dynamic',
    args: (s) => [...bs(s), ...broker1, '--describe'],
    exit: 0,
    check: (out) => assert.equal(out, 'Dynamic configs for broker 1 are:'),
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-reassign-partitions',
    title: '--execute --throttle sets the broker throttles',
    args: (s) => [
      ...bs(s),
      '--execute',
      '--throttle',
      '5000',
      '--reassignment-json-file',
      join(s.files, 'reassign.json'),
    ],
    exit: 0,
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe broker 1 shows the reassignment throttles',
    args: (s) => [...bs(s), ...broker1, '--describe'],
    exit: 0,
    check: (out) => assert.match(out, /leader\.replication\.throttled\.rate=5000 /),
    same: (out) => out,
  },
  {
    part: 6,
    tool: 'kafka-reassign-partitions',
    title: '--verify clears the throttles',
    args: (s) => [...bs(s), '--verify', '--reassignment-json-file', join(s.files, 'reassign.json')],
    exit: 0,
    check: (out) => assert.match(out, /Clearing broker-level throttles on broker 1/),
    same: (out, s) => out.replaceAll(s.topic, 'T'),
  },
  {
    part: 6,
    tool: 'kafka-configs',
    title: '--describe broker 1 after --verify: throttles gone',
    args: (s) => [...bs(s), ...broker1, '--describe'],
    exit: 0,
    check: (out) => assert.equal(out, 'Dynamic configs for broker 1 are:'),
  },
];

const javaSkip: string | false = !javaAvailable()
  ? 'java not installed'
  : !isFetched()
    ? 'Kafka jars not fetched (node scripts/kafka/kafka.mjs fetch)'
    : false;

/** The topic (records a..d keyed, 2 partitions) and the group (offsets at the end) every part starts from. */
async function setUp(bootstrap: string, topic: string, group: string): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'suite-setup' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    // kafkajs's default partitioner is the Java client's murmur2: the same partitions on both brokers
    await producer.send({
      topic,
      acks: -1,
      messages: ['a', 'b', 'c', 'd'].map((k, i) => ({ key: k, value: String(i + 1) })),
    });
    await producer.disconnect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Runs one part of the table against the embedded broker and, when SEAWAY_TEST_KAFKA is set, Apache Kafka. */
export function runToolSuite(part: ToolRow['part']): void {
  if (javaSkip)
    process.stderr.write(`\n!!!!!!!!\nSKIPPED: Kafka CLI tools suite part ${part}: ${javaSkip}\n!!!!!!!!\n\n`);
  else if (REAL_TARGET.skip)
    process.stderr.write(`Kafka CLI tools suite part ${part}: embedded broker only (${REAL_TARGET.skip})\n`);
  describe(`Kafka CLI tools suite, part ${part}: the same exit code and equivalent output on both brokers`, {
    skip: javaSkip,
  }, () => {
    const topic = unique(`suite${part}`);
    const group = unique(`suite${part}-g`);
    let embedded: KafkaBroker;
    let dataDir: Awaited<ReturnType<typeof tempDir>>;
    const contexts: SuiteContext[] = [];
    before(async () => {
      dataDir = await tempDir();
      // a data directory, so kafka-log-dirs reports file sizes and kafka-dump-log reads a segment
      embedded = await startTestBroker({ dataDir: dataDir.dir, groupMinSessionTimeoutMs: 1000 });
      const files = await mkdtemp(join(tmpdir(), 'seaway-suite-'));
      await writeFile(
        join(files, 'reassign.json'),
        JSON.stringify({ version: 1, partitions: [0, 1].map((partition) => ({ topic, partition, replicas: [1] })) }),
      );
      await writeFile(
        join(files, 'delete.json'),
        JSON.stringify({ version: 1, partitions: [0, 1].map((partition) => ({ topic, partition, offset: -1 })) }),
      );
      const bootstraps = [embedded.bootstrap, ...(REAL_TARGET.skip ? [] : [real as string])];
      for (const bootstrap of bootstraps) {
        await setUp(bootstrap, topic, group);
        contexts.push({ bootstrap, topic, group, files });
      }
    });
    after(async () => {
      await embedded?.close();
      await dataDir?.remove();
    });
    for (const row of TOOL_ROWS.filter((r) => r.part === part)) {
      test(`${row.tool} ${row.title}`, { timeout: 150_000, todo: row.todo }, async () => {
        // both brokers at once: the JVM start-up dominates each run
        const runs = await Promise.all(
          contexts.map((s) => kafkaTool(row.tool, row.args(s), { input: row.input, timeoutMs: 120_000 })),
        );
        const outs: string[] = [];
        runs.forEach((r, i) => {
          const s = contexts[i] as SuiteContext;
          const name = i === 0 ? 'embedded broker' : 'Apache Kafka';
          const out = toolOutput(r.stdout);
          assert.equal(
            r.status,
            row.exit,
            `${name}: exit ${r.status}, Kafka exits ${row.exit}\n${out}\n${r.stderr.slice(-1500)}`,
          );
          row.check?.(row.checkStderr ? r.stderr : out, s);
          if (row.same) outs.push(row.same(out, s));
        });
        if (outs.length === 2)
          assert.equal(outs[0], outs[1], 'the embedded broker and Apache Kafka print different output');
      });
    }
  });
}
