// Free TCP ports on 127.0.0.1 (the lab treats port 0 as "disabled", so the harness picks real ones).
import { type AddressInfo, createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A base port p such that p..p+span-1 and p+100..p+100+span-1 look free (Apache Kafka's client and controller ports). */
export async function freePortBlock(span: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    let ok = true;
    for (const p of [...Array(span).keys()].flatMap((i) => [base + i, base + 100 + i])) {
      if (!(await canBind(p))) {
        ok = false;
        break;
      }
    }
    if (ok) return base;
  }
  return 29092;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}
