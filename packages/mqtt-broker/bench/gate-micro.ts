// The ingest gate's own cost per message, outside the broker: offer() with one matching handler
// that calls done() at once, with a handler whose filter does not match, and with no handler.
//   node --import tsx bench/gate-micro.ts
import { EventEmitter } from 'node:events';
import { type GateClient, IngestGateImpl } from '../src/ingest-gate.ts';

const N = 2_000_000;
const packet = {
  topic: 'ais/123456789/position',
  payload: Buffer.alloc(100),
  qos: 1,
  retain: false,
  dup: false,
  messageId: 1,
};
const noop = () => {};

function client(): GateClient {
  const conn = Object.assign(new EventEmitter(), { read: () => null });
  return { id: 'c', conn, _nextBatch: noop, _parser: new EventEmitter() };
}

function run(label: string, setup: (g: IngestGateImpl) => void): void {
  const g = new IngestGateImpl(10_000, noop);
  setup(g);
  const c = client();
  g.adopt(c);
  for (let i = 0; i < 200_000; i++) g.offer(c, packet, noop); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) g.offer(c, packet, noop);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  process.stdout.write(`${label.padEnd(40)} ${ns.toFixed(0)} ns/message\n`);
}

run('no handler attached', noop);
run('one handler, filter does not match', (g) => g.attach('other/#', (_m, done) => done()));
run('one matching handler, done() at once', (g) => g.attach('ais/#', (_m, done) => done()));
run('two matching handlers, done() at once', (g) => {
  g.attach('ais/#', (_m, done) => done());
  g.attach('ais/+/position', (_m, done) => done());
});
