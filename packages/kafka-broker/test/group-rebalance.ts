// The mid-stream rebalance scenario the group-rebalance-*.test.ts files run with one real client each,
// against the embedded broker and real Apache Kafka: members A and B subscribe while records stream
// in; once both read, C joins; once C reads, B leaves; records keep coming a while longer. Every
// record must be read exactly once (no duplicates, no losses) with the client's default commits.
// One file per client keeps each file within the runner's per-file timeout.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaBroker } from '../src/index.ts';
import { REAL_TARGET, real } from './cli-support.ts';
import type { GroupMember, MemberFactory, Seen } from './group-members.ts';
import { startTestBroker, unique } from './support.ts';

const PARTITIONS = 6;
const PER_BATCH = 50;
const BATCH_EVERY_MS = 200;
/** Batches after B left; and the most batches before giving up waiting for a phase. */
const TAIL_BATCHES = 10;
const MAX_BATCHES = 400;

/** A record's identity: its partition and offset (each produced value lands at exactly one). */
const where = (s: Seen) => `${s.partition}:${s.offset}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RebalanceOutcome {
  /** Whether A, B and C each read something (each took part). */
  everyMemberRead: boolean[];
  duplicates: number;
  lost: number;
  /** partition:offset of the first records nobody read. */
  missing: string[];
  /** partition:offset right after the last record B (the member that left) read on each partition. */
  afterLeaver: string[];
}

export async function rebalanceScenario(bootstrap: string, member: MemberFactory): Promise<RebalanceOutcome> {
  const topic = unique('rebalance');
  const group = unique('rebalance-g');
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  await admin.disconnect();
  // idempotent, so that a retried send cannot write a record twice
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const members: GroupMember[] = [await member(bootstrap, group, topic), await member(bootstrap, group, topic)];
  const read = (i: number) => (members[i]?.seen.length ?? 0) > 0;
  let produced = 0;
  let phase: 'A and B' | 'C joined' | 'B left' = 'A and B';
  let tail = 0;
  try {
    for (let b = 0; b < MAX_BATCHES && tail < TAIL_BATCHES; b++) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: PER_BATCH }, (_, i) => {
          const n = produced + i;
          return { partition: n % PARTITIONS, value: String(n) };
        }),
      });
      produced += PER_BATCH;
      if (phase === 'A and B' && read(0) && read(1)) {
        members.push(await member(bootstrap, group, topic));
        phase = 'C joined';
      } else if (phase === 'C joined' && read(2)) {
        await members[1]?.stop();
        phase = 'B left';
      } else if (phase === 'B left') tail++;
      await sleep(BATCH_EVERY_MS);
    }
    const distinct = () => new Set(members.flatMap((m) => m.seen.map(where))).size;
    const end = Date.now() + 60_000;
    while (distinct() < produced && Date.now() < end) await sleep(200);
    await sleep(1000); // a late duplicate still shows
  } finally {
    await producer.disconnect();
    await Promise.allSettled(members.filter((_, i) => i !== 1 || phase !== 'B left').map((m) => m.stop()));
  }
  assert.equal(phase, 'B left', `the scenario stalled in phase "${phase}"`);
  const all = members.flatMap((m) => m.seen);
  const values = new Set(all.map(where));
  const missing: string[] = [];
  for (let n = 0; n < produced && missing.length < 10; n++) {
    const at = `${n % PARTITIONS}:${Math.floor(n / PARTITIONS)}`;
    if (!values.has(at)) missing.push(at);
  }
  const last = new Map<number, number>();
  for (const x of members[1]?.seen ?? []) last.set(x.partition, Math.max(last.get(x.partition) ?? -1, x.offset));
  return {
    afterLeaver: [...last].map(([p, o]) => `${p}:${o + 1}`),
    everyMemberRead: [0, 1, 2].map(read),
    duplicates: all.length - values.size,
    lost: produced - values.size,
    missing,
  };
}

/**
 * The scenario as a test against each broker, for one client. `leaverMayDropPolled`: the client, stopped
 * by SIGTERM, may have taken one more record from its library (which then commits past it) without
 * printing it; only that record, right after the last one the leaving member printed, may be missing.
 * kcat does this against Apache Kafka as against the embedded broker. `only`: one broker (a slow client's
 * two legs may not fit one file's timeout).
 */
export function rebalanceSuite(
  client: string,
  skip: string | false,
  member: () => MemberFactory,
  leaverMayDropPolled = false,
  only: 'embedded broker' | 'Apache Kafka' | null = null,
): void {
  let embedded: KafkaBroker;
  before(async () => {
    embedded = await startTestBroker({ groupMinSessionTimeoutMs: 1000 });
  });
  after(() => embedded.close());
  const targets = [
    { name: 'embedded broker', skip: false as string | false, bootstrap: () => embedded.bootstrap },
    { ...REAL_TARGET, bootstrap: () => real as string },
  ];
  for (const target of targets) {
    if (only !== null && target.name !== only) continue;
    describe(`${client} group rebalancing mid-stream against ${target.name}`, { skip: skip || target.skip }, () => {
      test('a member joins and one leaves while records stream in: no duplicates, no losses', {
        timeout: 150_000,
      }, async () => {
        const { missing, afterLeaver, ...r } = await rebalanceScenario(target.bootstrap(), member());
        const dropped = leaverMayDropPolled && missing.length === 1 && afterLeaver.includes(missing[0] as string);
        assert.deepEqual(
          r,
          { everyMemberRead: [true, true, true], duplicates: 0, lost: dropped ? 1 : 0 },
          `missing: ${missing}; after the leaver's last: ${afterLeaver}`,
        );
      });
    });
  }
}
