// The schema registry as the converters see it: one call, "register this schema under this subject
// and give me its id". The HTTP implementation speaks the Confluent API (POST
// /subjects/{subject}/versions, {"schema": "..."} -> {"id": n}) and caches ids, so only the first
// record of each (subject, schema) pair costs a round trip. Anything else (the embedded registry,
// a test double) can implement the interface.
import { BridgeError, BridgeErrorCodes } from '../errors.ts';

export interface SchemaRegistry {
  /** Register (or look up) `schema` (Avro schema JSON text) under `subject`; resolves to the global id. */
  register(subject: string, schema: string): Promise<number>;
}

export interface HttpRegistryOptions {
  url: string;
  /** Optional basic auth "user:password". */
  auth?: string;
  timeoutMs?: number;
}

export function httpSchemaRegistry(
  opts: HttpRegistryOptions,
): SchemaRegistry & { cached(subject: string, schema: string): number | undefined } {
  const base = opts.url.replace(/\/+$/, '');
  const ids = new Map<string, number>();
  const inflight = new Map<string, Promise<number>>();
  const headers: Record<string, string> = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return {
    cached: (subject, schema) => ids.get(`${subject}\u0000${schema}`),
    register(subject, schema) {
      const key = `${subject}\u0000${schema}`;
      const known = ids.get(key);
      if (known !== undefined) return Promise.resolve(known);
      const pending = inflight.get(key);
      if (pending) return pending;
      const p = (async () => {
        let res: Response;
        try {
          res = await fetch(`${base}/subjects/${encodeURIComponent(subject)}/versions`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ schema }),
            signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
          });
        } catch (e) {
          throw new BridgeError(
            BridgeErrorCodes.REGISTRY,
            `schema registry ${base} is unreachable: ${(e as Error).message}`,
            undefined,
            { cause: e },
          );
        }
        const text = await res.text();
        if (!res.ok) {
          throw new BridgeError(
            BridgeErrorCodes.REGISTRY,
            `schema registry refused subject ${subject}: HTTP ${res.status} ${text}`,
            { status: res.status, body: text },
          );
        }
        const id = (JSON.parse(text) as { id?: unknown }).id;
        if (typeof id !== 'number')
          throw new BridgeError(BridgeErrorCodes.REGISTRY, `schema registry answered without an id: ${text}`);
        ids.set(key, id);
        return id;
      })().finally(() => inflight.delete(key));
      inflight.set(key, p);
      return p;
    },
  };
}

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary. */
export function confluentFrame(id: number, avroBytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + avroBytes.length);
  out[0] = 0;
  out.writeInt32BE(id, 1);
  avroBytes.copy(out, 5);
  return out;
}
