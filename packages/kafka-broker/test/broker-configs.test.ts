// Dynamic broker configs through kafkajs (legacy AlterConfigs, DescribeConfigs with synonyms) on both
// brokers: a per-broker config set on node 1 is described as DYNAMIC_BROKER_CONFIG, an unset one as
// DEFAULT_CONFIG, min.insync.replicas as the cluster-wide DYNAMIC_DEFAULT_BROKER_CONFIG that Kafka 4.x's
// storage format writes (kafkajs cannot name the "" default resource; kafka-configs --entity-default
// does, in java-tools-suite-6); a config fixed at start is refused (INVALID_REQUEST). On the embedded broker the values are still there after a restart on the
// same data directory (<dataDir>/broker-configs.json). kafka-configs runs the same in java-tools-suite-6.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { REAL_TARGET, real } from './cli-support.ts';
import { startTestBroker, tempDir } from './support.ts';

// kafkajs's ConfigResourceTypes.BROKER (a CommonJS export the ESM loader does not see by name)
const BROKER = 4;
const SOURCE = { DYNAMIC_BROKER_CONFIG: 2, DYNAMIC_DEFAULT_BROKER_CONFIG: 3, DEFAULT_CONFIG: 5 };

interface Entry {
  configName: string;
  configValue: string | null;
  configSource: number;
  configSynonyms: { configName: string; configValue: string | null; configSource: number }[];
}

async function describeBroker(admin: ReturnType<Kafka['admin']>, name: string, configNames: string[]) {
  const r = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: BROKER, name, configNames }] });
  const res = r.resources[0] as { errorCode: number; configEntries: Entry[] };
  assert.equal(res.errorCode, 0);
  return new Map(res.configEntries.map((e) => [e.configName, e]));
}

async function scenario(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'broker-configs' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: BROKER, name: '1', configEntries: [{ name: 'leader.replication.throttled.rate', value: '7000' }] },
      ],
    });
    // Apache Kafka applies a dynamic broker config when the broker reads it from the metadata log,
    // a moment after AlterConfigs answers: read until it shows (the embedded broker shows it at once)
    const names = ['leader.replication.throttled.rate', 'log.cleaner.threads', 'min.insync.replicas'];
    let node = await describeBroker(admin, '1', names);
    for (let i = 0; i < 40 && node.get('leader.replication.throttled.rate')?.configValue !== '7000'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      node = await describeBroker(admin, '1', names);
    }
    const rate = node.get('leader.replication.throttled.rate');
    assert.equal(rate?.configValue, '7000');
    assert.equal(rate?.configSource, SOURCE.DYNAMIC_BROKER_CONFIG);
    const threads = node.get('log.cleaner.threads');
    assert.equal(threads?.configValue, '1');
    assert.equal(threads?.configSource, SOURCE.DEFAULT_CONFIG);
    // the cluster-level value kafka-storage format writes (Kafka 4.x), a dynamic default
    const minIsr = node.get('min.insync.replicas');
    assert.equal(minIsr?.configValue, '1');
    assert.equal(minIsr?.configSource, SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG);
    assert.equal(minIsr?.configSynonyms[0]?.configSource, SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG);
  } finally {
    // legacy AlterConfigs replaces the whole set: nothing dynamic left on node 1
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: BROKER, name: '1', configEntries: [] }] });
    await admin.disconnect();
  }
}

describe('dynamic broker configs with kafkajs', () => {
  test('against the embedded broker, kept across a restart', async () => {
    const data = await tempDir();
    let broker = await startTestBroker({ dataDir: data.dir });
    try {
      const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: BROKER, name: '1', configEntries: [{ name: 'follower.replication.throttled.rate', value: '4242' }] },
        ],
      });
      await assert.rejects(
        admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: BROKER, name: '1', configEntries: [{ name: 'message.max.bytes', value: '2000000' }] }],
        }),
        // kafkajs drops the broker's message ("message.max.bytes is fixed when the embedded broker starts...")
        { type: 'INVALID_REQUEST' },
      );
      await admin.disconnect();
      await broker.close();
      broker = await startTestBroker({ dataDir: data.dir });
      const again = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await again.connect();
      const node = await describeBroker(again, '1', ['follower.replication.throttled.rate']);
      await again.disconnect();
      assert.equal(node.get('follower.replication.throttled.rate')?.configValue, '4242');
      assert.equal(node.get('follower.replication.throttled.rate')?.configSource, SOURCE.DYNAMIC_BROKER_CONFIG);
      await scenario(broker.bootstrap);
    } finally {
      await broker.close();
      await data.remove();
    }
  });

  test('against Apache Kafka', { skip: REAL_TARGET.skip }, async () => {
    await scenario(real as string);
  });
});
