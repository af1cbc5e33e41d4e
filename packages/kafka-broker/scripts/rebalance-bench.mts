// Benchmark (not a test): classic consumer-group rebalance time for 2 and 10 members, embedded broker
// (in this process, memory storage) and, with --real, Apache Kafka in the same run. Members are raw
// protocol clients (test/support.ts RawClient), so client-side timers (heartbeat intervals, poll
// loops) do not enter the figures; what is measured is the coordinator. The group is first formed
// (untimed: these members do not react to a rebalance started before they all joined, so against
// Kafka, which may complete a first generation with the earliest member alone, forming it can take
// the rebalance timeout), then
//   rejoin: a second round as a cooperative assignor does it: every member rejoins with new
//           subscription metadata, then syncs; from the first JoinGroup sent to the last SyncGroup answer.
//   node --import tsx scripts/rebalance-bench.mts [--members 2,10] [--rounds 5] [--real 127.0.0.1:19092]

import { RawClient, startTestBroker, unique } from '../test/support.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
};
const SIZES = arg('members', '2,10').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '5'));
const REAL = arg('real', '');

const join = (c: RawClient, groupId: string, memberId: string, meta: string) =>
  c.send(11, 9, {
    groupId,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'cooperative-sticky', metadata: Buffer.from(meta) }],
    reason: null,
  });

async function round(clients: RawClient[], groupId: string, ids: string[], meta: string): Promise<string[]> {
  const joined = await Promise.all(clients.map((c, i) => join(c, groupId, ids[i] as string, meta)));
  const gen = joined[0]?.body.generationId as number;
  const leader = joined[0]?.body.leader as string;
  await Promise.all(
    clients.map((c, i) =>
      c.send(14, 5, {
        groupId,
        generationId: gen,
        memberId: ids[i],
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'cooperative-sticky',
        assignments: ids[i] === leader ? ids.map((memberId) => ({ memberId, assignment: Buffer.from('a') })) : [],
      }),
    ),
  );
  return joined.map((j) => j.body.memberId as string);
}

async function measure(port: number, members: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: members }, () => RawClient.open(port)));
  const groupId = unique('rebalance-bench');
  const first = await Promise.all(clients.map((c) => join(c, groupId, '', 'm0')));
  let ids = first.map((r) => r.body.memberId as string);
  ids = await round(clients, groupId, ids, 'm0');
  const t1 = performance.now();
  await round(clients, groupId, ids, 'm1');
  const rejoinMs = performance.now() - t1;
  await Promise.all(clients.map((c, i) => c.send(13, 5, { groupId, members: [{ memberId: ids[i], reason: null }] })));
  for (const c of clients) c.close();
  return rejoinMs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const embedded = await startTestBroker();
const targets: Array<[string, number]> = [['embedded', embedded.port]];
if (REAL) targets.push(['Apache Kafka', Number(REAL.split(':')[1])]);
console.log(`rounds: ${ROUNDS} per cell, median ms (shared CPU: figures are noisy)`);
for (const members of SIZES) {
  for (const [name, port] of targets) {
    const runs = [];
    for (let r = 0; r < ROUNDS; r++) runs.push(await measure(port, members));
    console.log(
      `${name.padEnd(13)} ${String(members).padStart(3)} members  rejoin ${median(runs).toFixed(1).padStart(7)} ms`,
    );
  }
}
await embedded.close();
