// ACLs: CreateAcls/DescribeAcls/DeleteAcls through kafkajs's admin client, enforced when SASL is on
// (topic WRITE/READ, group READ, cluster CREATE), super users, persistence in dataDir/acls.json.
// kafka-acls --add/--list/--remove against both brokers is in java-tools.test.ts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode } from '@seaway/kafka-protocol';
import kafkajs from 'kafkajs';
import type { KafkaBroker } from '../src/index.ts';
import { RawClient, startTestBroker, tempDir, unique } from './support.ts';

// kafkajs is CommonJS: its enums are properties of the default export, not named ESM exports
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } = kafkajs;
type AclResourceTypes = kafkajs.AclResourceTypes;
type AclOperationTypes = kafkajs.AclOperationTypes;

const users = { admin: 'a-secret', alice: 'alice-secret', bob: 'bob-secret' };
let dir: Awaited<ReturnType<typeof tempDir>>;
let broker: KafkaBroker;
const start = () =>
  startTestBroker({
    dataDir: dir.dir,
    sasl: { mechanism: 'PLAIN', users },
    superUsers: ['User:admin'],
  });
before(async () => {
  dir = await tempDir();
  broker = await start();
});
after(async () => {
  await broker.close();
  await dir.remove();
});

const kafka = (user: keyof typeof users) =>
  new Kafka({
    brokers: [broker.bootstrap],
    clientId: `acl-${user}`,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    sasl: { mechanism: 'plain', username: user, password: users[user] },
  });

const allow = (
  resourceType: AclResourceTypes,
  resourceName: string,
  principal: string,
  operation: AclOperationTypes,
) => ({
  resourceType,
  resourceName,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal,
  host: '*',
  operation,
  permissionType: AclPermissionTypes.ALLOW,
});

async function produce(user: keyof typeof users, topic: string): Promise<string> {
  const p = kafka(user).producer({ allowAutoTopicCreation: true });
  await p.connect();
  try {
    await p.send({ topic, messages: [{ value: user }] });
    return 'ok';
  } catch (e) {
    // kafkajs reports a Metadata answer of TOPIC_AUTHORIZATION_FAILED with a message of its own
    if (/Not authorized to access topics/.test((e as Error).message)) return 'TOPIC_AUTHORIZATION_FAILED';
    return (e as { type?: string }).type ?? (e as Error).message;
  } finally {
    await p.disconnect();
  }
}

test('without ACLs every authenticated user may produce; an ACL on a topic closes it to everyone else', async () => {
  const topic = unique('acl-t');
  assert.equal(await produce('bob', topic), 'ok');
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, topic, 'User:alice', AclOperationTypes.WRITE)] });
  assert.equal(await produce('alice', topic), 'ok');
  assert.equal(await produce('bob', topic), 'TOPIC_AUTHORIZATION_FAILED');
  assert.equal(await produce('admin', topic), 'ok', 'super users pass every check');
  assert.equal(await produce('bob', unique('acl-other')), 'ok', 'topics without ACLs stay open');
  await admin.disconnect();
});

test('reading needs READ on the topic and on the group', async () => {
  const topic = unique('acl-r');
  const group = unique('acl-g');
  assert.equal(await produce('admin', topic), 'ok');
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createAcls({
    acl: [
      allow(AclResourceTypes.TOPIC, topic, 'User:alice', AclOperationTypes.READ),
      allow(AclResourceTypes.GROUP, group, 'User:alice', AclOperationTypes.READ),
    ],
  });
  await admin.disconnect();
  const consume = async (user: keyof typeof users) => {
    const c = kafka(user).consumer({ groupId: group, sessionTimeout: 6000, heartbeatInterval: 500 });
    try {
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      const got = await new Promise<string>((resolve, reject) => {
        c.on(c.events.CRASH, (e) => reject(e.payload.error));
        void c.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }).catch(reject);
      });
      return got;
    } catch (e) {
      return (e as { type?: string }).type ?? (e as Error).message;
    } finally {
      await c.disconnect();
    }
  };
  assert.equal(await consume('bob'), 'TOPIC_AUTHORIZATION_FAILED');
  assert.equal(await consume('alice'), 'admin');
});

test('joining a group with ACLs needs READ on it: others get GROUP_AUTHORIZATION_FAILED', async () => {
  const topic = unique('acl-j');
  const group = unique('acl-jg');
  assert.equal(await produce('admin', topic), 'ok');
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createAcls({ acl: [allow(AclResourceTypes.GROUP, group, 'User:alice', AclOperationTypes.READ)] });
  await admin.disconnect();
  const c = kafka('bob').consumer({ groupId: group, sessionTimeout: 6000, retry: { retries: 0 } });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  const failure = await new Promise<string>((resolve) => {
    c.on(c.events.CRASH, (e) => resolve((e.payload.error as { type?: string }).type ?? e.payload.error.message));
    void c.run({ eachMessage: async () => resolve('consumed') }).catch((e) => resolve(e.type ?? e.message));
  });
  await c.disconnect();
  assert.equal(failure, 'GROUP_AUTHORIZATION_FAILED');
});

test('creating topics needs CREATE on the cluster or the topic (prefixed ACLs); ACLs survive a restart; DeleteAcls removes them', async () => {
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createAcls({
    acl: [
      allow(AclResourceTypes.CLUSTER, 'kafka-cluster', 'User:alice', AclOperationTypes.CREATE),
      {
        ...allow(AclResourceTypes.TOPIC, 'acl-c', 'User:alice', AclOperationTypes.CREATE),
        resourcePatternType: ResourcePatternTypes.PREFIXED,
      },
      // kafkajs reads the new topic's metadata afterwards: CREATE does not imply DESCRIBE
      {
        ...allow(AclResourceTypes.TOPIC, 'acl-c', 'User:alice', AclOperationTypes.DESCRIBE),
        resourcePatternType: ResourcePatternTypes.PREFIXED,
      },
    ],
  });
  await admin.disconnect();
  const create = async (user: keyof typeof users) => {
    const a = kafka(user).admin();
    await a.connect();
    try {
      await a.createTopics({ topics: [{ topic: unique('acl-c') }] });
      return 'ok';
    } catch (e) {
      const err = e as { type?: string; errors?: Array<{ type?: string }> };
      return err.errors?.[0]?.type ?? err.type ?? (e as Error).message;
    } finally {
      await a.disconnect();
    }
  };
  assert.equal(await create('alice'), 'ok');
  assert.equal(await create('bob'), 'TOPIC_AUTHORIZATION_FAILED');

  await broker.close();
  broker = await start();
  const again = kafka('admin').admin();
  await again.connect();
  const listed = await again.describeAcls({
    resourceType: AclResourceTypes.ANY,
    principal: 'User:alice',
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  assert.deepEqual(
    listed.resources
      .filter((r) => r.acls.some((a) => a.operation === AclOperationTypes.CREATE))
      .map((r) => [r.resourceName, r.resourcePatternType, r.acls.map((a) => a.operation).sort()])
      .sort(),
    [
      ['acl-c', ResourcePatternTypes.PREFIXED, [AclOperationTypes.CREATE, AclOperationTypes.DESCRIBE]],
      ['kafka-cluster', ResourcePatternTypes.LITERAL, [AclOperationTypes.CREATE]],
    ],
  );
  const deleted = await again.deleteAcls({
    filters: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'acl-c',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      },
      {
        resourceType: AclResourceTypes.CLUSTER,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      },
    ],
  });
  assert.deepEqual(
    deleted.filterResponses.map((f) => f.matchingAcls.length),
    [2, 1],
  );
  await again.disconnect();
  assert.equal(await create('bob'), 'ok', 'no ACL left on the cluster or the prefix: creating is open again');
});

test('cluster operations need cluster ACLs once the cluster has any: DescribeLogDirs, ElectLeaders, CreateAcls, UpdateFeatures', async () => {
  const login = async (user: keyof typeof users) => {
    const c = await RawClient.open(broker.port);
    assert.equal((await c.send(17, 1, { mechanism: 'PLAIN' })).body.errorCode, ErrorCode.NONE);
    const auth = await c.send(36, 2, { authBytes: Buffer.from(`\0${user}\0${users[user]}`) });
    assert.equal(auth.body.errorCode, ErrorCode.NONE);
    return c;
  };
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createAcls({
    acl: [allow(AclResourceTypes.CLUSTER, 'kafka-cluster', 'User:alice', AclOperationTypes.DESCRIBE)],
  });
  await admin.disconnect();
  const alice = await login('alice');
  const bob = await login('bob');
  try {
    assert.equal((await alice.send(35, 4, { topics: null })).body.errorCode, ErrorCode.NONE);
    assert.equal((await bob.send(35, 4, { topics: null })).body.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    for (const c of [alice, bob]) {
      const elect = await c.send(43, 2, { electionType: 0, topicPartitions: null, timeoutMs: 1000 });
      assert.equal(elect.body.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'DESCRIBE does not imply ALTER');
      const created = await c.send(30, 3, {
        creations: [
          {
            resourceType: 2,
            resourceName: 'x',
            resourcePatternType: 3,
            principal: 'User:bob',
            host: '*',
            operation: 3,
            permissionType: 3,
          },
        ],
      });
      assert.equal(created.body.results[0].errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const features = await c.send(57, 2, {
        timeoutMs: 1000,
        featureUpdates: [{ feature: 'metadata.version', maxVersionLevel: 27, upgradeType: 1 }],
        validateOnly: true,
      });
      assert.equal(features.body.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    }
    assert.equal(
      (await alice.send(55, 2, { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] }))
        .body.errorCode,
      ErrorCode.NONE,
    );
  } finally {
    alice.close();
    bob.close();
  }
});
