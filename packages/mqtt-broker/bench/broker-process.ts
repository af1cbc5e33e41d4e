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
process.on('SIGTERM', () => {
  const s = b.stats();
  process.stderr.write(`broker stats: in=${s.messagesIn} out=${s.messagesOut} dropped=${s.droppedSlowSubscriber}\n`);
  void b.close().then(() => process.exit(0));
});
