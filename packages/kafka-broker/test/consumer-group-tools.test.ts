// kafka-consumer-groups (Java CLI from the Kafka download) on a KIP-848 consumer group, against the
// embedded broker and real Apache Kafka: --describe --members and --describe show the member (joined
// with a raw ConsumerGroupHeartbeat) and its offsets; --delete-offsets removes offsets of the
// topic nobody subscribes to and refuses the subscribed one (OffsetDelete).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isFetched, javaAvailable } from '../../../scripts/kafka/kafka.mjs';
import type { KafkaBroker } from '../src/index.ts';
import { kafkaTool, REAL_TARGET, real } from './cli-support.ts';
import { RawClient, startTestBroker, unique } from './support.ts';

const javaSkip = !javaAvailable() ? 'java not installed' : !isFetched() ? 'Kafka jars not fetched' : false;
if (javaSkip) process.stderr.write(`\n!!!!!!!!\nSKIPPED: kafka-consumer-groups: ${javaSkip}\n!!!!!!!!\n\n`);

let embedded: KafkaBroker;
before(async () => {
  embedded = await startTestBroker();
});
after(() => embedded.close());

const targets = [
  { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
  { ...REAL_TARGET, bootstrap: () => real as string },
];

for (const target of targets) {
  describe(`kafka-consumer-groups on a consumer group against ${target.name}`, {
    skip: javaSkip || target.skip,
  }, () => {
    test('describe shows the member and its partitions; delete-offsets refuses the subscribed topic only', {
      timeout: 90_000,
    }, async () => {
      const bootstrap = target.bootstrap();
      const c = await RawClient.open(Number(bootstrap.split(':')[1]));
      const [t, o, g] = [unique('cgt'), unique('cgo'), unique('cgg')];
      try {
        for (const name of [t, o]) {
          await c.send(19, 7, { topics: [{ name, numPartitions: 2, replicationFactor: 1 }], timeoutMs: 5000 });
        }
        const joined = await c.send(68, 0, {
          groupId: g,
          memberId: 'raw-member-1',
          memberEpoch: 0,
          rebalanceTimeoutMs: 30_000,
          subscribedTopicNames: [t],
          topicPartitions: [],
        });
        assert.equal(joined.body.errorCode, 0);
        // a topic just created may reach Kafka's group coordinator a moment later: heartbeat until assigned
        let epoch = joined.body.memberEpoch as number;
        let assigned = joined.body.assignment?.topicPartitions[0]?.partitions.length ?? 0;
        for (let i = 0; i < 20 && assigned < 2; i++) {
          await new Promise((r) => setTimeout(r, 500));
          const r = await c.send(68, 0, { groupId: g, memberId: 'raw-member-1', memberEpoch: epoch });
          epoch = r.body.memberEpoch;
          assigned = r.body.assignment?.topicPartitions[0]?.partitions.length ?? assigned;
        }
        assert.equal(assigned, 2);
        const commit = await c.send(8, 9, {
          groupId: g,
          generationIdOrMemberEpoch: epoch,
          memberId: 'raw-member-1',
          topics: [t, o].map((name) => ({ name, partitions: [{ partitionIndex: 0, committedOffset: 0n }] })),
        });
        assert.deepEqual(
          commit.body.topics.map((x: { partitions: Array<{ errorCode: number }> }) => x.partitions[0]?.errorCode),
          [0, 0],
        );
        const bs = ['--bootstrap-server', bootstrap, '--group', g];
        const members = await kafkaTool('kafka-consumer-groups', [...bs, '--describe', '--members']);
        assert.equal(members.status, 0, members.stderr);
        assert.match(members.stdout, new RegExp(`${g}\\s+raw-member-1\\s+/127\\.0\\.0\\.1\\s+raw-test\\s+2\\s`));
        const offsets = await kafkaTool('kafka-consumer-groups', [...bs, '--describe']);
        assert.equal(offsets.status, 0, offsets.stderr);
        assert.match(offsets.stdout, new RegExp(`${t}\\s+0\\s+0\\s+0\\s+0\\s+raw-member-1`));
        assert.match(offsets.stdout, new RegExp(`${o}\\s+0\\s+0\\s+0\\s+0\\s+-`));
        const deleted = await kafkaTool('kafka-consumer-groups', [
          ...bs,
          '--delete-offsets',
          '--topic',
          o,
          '--topic',
          t,
        ]);
        assert.equal(deleted.status, 0, deleted.stderr);
        // the subscribed topic is refused per partition, the other one deleted
        assert.match(deleted.stdout, /Encountered some partition-level error/);
        assert.match(deleted.stdout, new RegExp(`${o}\\s+0\\s+Successful`));
        assert.equal(deleted.stdout.match(/GroupSubscribedToTopicException/g)?.length, 2);
        await c.send(68, 0, { groupId: g, memberId: 'raw-member-1', memberEpoch: -1 });
      } finally {
        c.close();
      }
    });
  });
}
