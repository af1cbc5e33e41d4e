// Write coalescing for broker connections. mqtt-packet corks a stream per packet and uncorks on
// the next tick, but aedes delivers each message and each PUBACK from its own setImmediate, so
// every packet became its own writev(2): the CPU profile of the QoS 1 ingest benchmark showed ~30%
// of the broker's time in writev. Here the first write in an event-loop turn adds one more cork
// level, released by a setImmediate, so all packets a connection gets in one turn leave in one
// system call. Latency cost: at most one loop turn.
import type { Duplex } from 'node:stream';

export function coalesceWrites(conn: Duplex): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    if (!conn.destroyed) conn.uncork();
  };
  const write = conn.write;
  conn.write = function coalescedWrite(this: Duplex, ...args: Parameters<Duplex['write']>) {
    if (!corked && !conn.destroyed) {
      corked = true;
      conn.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Duplex['write'];
}
