// The broker under test in its own process (the load generator must not share its event loop).
// argv: [gate: "gate" | "nogate"]; SEAWAY_BENCH_COALESCE=0 turns write coalescing off. Prints the port; exits cleanly on SIGTERM so --cpu-prof is written.
import { startMqttBroker } from '../src/index.ts';

const b = await startMqttBroker({
  port: 0,
  host: '127.0.0.1',
  limits: { maxConnections: 1000 },
  coalesceWrites: process.env.SEAWAY_BENCH_COALESCE !== '0',
});
if (process.argv[2] === 'gate') b.ingest.attach('bench/#', (_m, done) => done());
process.stdout.write(`${b.port}\n`);
// CPU per message counts from the first message on (the load generator warms up for 1 s)
let cpu0: NodeJS.CpuUsage | null = null;
let in0 = 0;
const poll = setInterval(() => {
  if (cpu0 === null && b.stats().messagesIn > 0) {
    cpu0 = process.cpuUsage();
    in0 = b.stats().messagesIn;
  }
}, 5);
process.on('SIGTERM', () => {
  clearInterval(poll);
  const s = b.stats();
  const cpu = process.cpuUsage(cpu0 ?? undefined);
  const perMsg = (cpu.user + cpu.system) / Math.max(1, s.messagesIn - in0);
  process.stdout.write(
    `stats in=${s.messagesIn} out=${s.messagesOut} droppedSlow=${s.droppedSlowSubscriber} cpuUsPerMsg=${perMsg.toFixed(1)}\n`,
  );
  void b.close().then(() => process.exit(0));
});
