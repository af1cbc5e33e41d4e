// avsc types with exact 64-bit longs (bigint), cached by schema text. AIS timestamps are nanoseconds
// since the epoch (> 2^53), so a JS-number long would silently round them.
import avro from 'avsc';

const bigintLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

const cache = new Map<string, avro.Type>();
const MAX_CACHED = 2000;

/** The avsc Type for an Avro schema given as JSON text; throws on an invalid schema. */
export function avroType(schemaText: string): avro.Type {
  let t = cache.get(schemaText);
  if (!t) {
    t = avro.Type.forSchema(JSON.parse(schemaText), { registry: { long: bigintLong } as never, wrapUnions: 'auto' });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(schemaText, t);
  }
  return t;
}

/** Decode a complete Avro payload; throws when it is malformed or has trailing bytes. */
export function decodeExact(type: avro.Type, payload: Buffer): unknown {
  const { value, offset } = type.decode(payload, 0);
  if (offset < 0)
    throw new Error(`Avro payload is truncated (${payload.length} bytes) for schema ${type.name ?? type.typeName}`);
  if (offset !== payload.length) {
    throw new Error(
      `Avro payload has ${payload.length - offset} trailing bytes after a ${type.name ?? type.typeName} record`,
    );
  }
  return value;
}
