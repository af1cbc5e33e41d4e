import { type AddressInfo, createServer } from 'node:net';

/** A port that was free a moment ago (the lab treats port 0 as "disabled", so tests pick real ones). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
