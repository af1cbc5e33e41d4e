// A minimal MQTT "broker" for measuring the generator alone: accepts CONNECT, answers every QoS 1
// PUBLISH with a PUBACK (one write per received chunk) and discards the payloads. Not a broker.
import { createServer } from 'node:net';
import { PacketReader } from '../src/gen/mqtt-packets.ts';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let out: Buffer[] = [];
  const reader = new PacketReader((type, body, first) => {
    if (type === 1) out.push(Buffer.from([0x20, 2, 0, 0]));
    else if (type === 3 && ((first >> 1) & 3) > 0) {
      const topicLen = body.readUInt16BE(0);
      const pid = body.readUInt16BE(2 + topicLen);
      out.push(Buffer.from([0x40, 2, pid >> 8, pid & 0xff]));
    } else if (type === 12) out.push(Buffer.from([0xd0, 0]));
  });
  socket.on('data', (chunk) => {
    reader.push(chunk);
    if (out.length > 0) {
      socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      out = [];
    }
  });
  socket.on('error', () => {});
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
