// A small Avro binary decoder (Avro 1.11 spec, "Binary Encoding") for showing records in the
// browser: primitives, records, enums, arrays, maps, unions, fixed, named references. Output is
// plain JSON for display: unions are unwrapped, bytes and fixed become hex strings, longs beyond
// 2^53 become decimal strings, logical types show their underlying value.

export type AvroSchema = string | AvroSchema[] | { type: string | AvroSchema; [k: string]: unknown };

export class AvroError extends Error {}

interface Named {
  [fullname: string]: AvroSchema;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Parse a schema as the registry stores it (a JSON string). */
export function parseAvroSchema(text: string): AvroSchema {
  const s = JSON.parse(text) as AvroSchema;
  return s;
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  need(n: number) {
    if (this.pos + n > this.buf.length) throw new AvroError(`unexpected end of data at byte ${this.pos}`);
  }
  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  /** Zigzag varint, exact up to 2^53, BigInt string beyond. */
  long(): number | string {
    let n = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i > 9) throw new AvroError('varint longer than 10 bytes');
      const b = this.byte();
      n |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    const v = (n >> 1n) ^ -(n & 1n);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  int(): number {
    const v = this.long();
    if (typeof v !== 'number') throw new AvroError('int out of range');
    return v;
  }
  bytes(n: number): Uint8Array {
    if (n < 0) throw new AvroError(`negative length ${n}`);
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }
  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function fullName(name: string, ns: string | undefined): string {
  return name.includes('.') || !ns ? name : `${ns}.${name}`;
}

function decode(s: AvroSchema, r: Reader, named: Named, ns: string | undefined): unknown {
  if (typeof s === 'string') {
    switch (s) {
      case 'null':
        return null;
      case 'boolean':
        return r.byte() !== 0;
      case 'int':
        return r.int();
      case 'long':
        return r.long();
      case 'float':
        return r.float();
      case 'double':
        return r.double();
      case 'bytes':
        return hex(r.bytes(r.int()));
      case 'string':
        try {
          return utf8.decode(r.bytes(r.int()));
        } catch {
          throw new AvroError('string is not valid UTF-8');
        }
    }
    const ref = named[fullName(s, ns)] ?? named[s];
    if (!ref) throw new AvroError(`unknown type "${s}"`);
    return decode(ref, r, named, ns);
  }
  if (Array.isArray(s)) {
    const i = r.int();
    const branch = s[i];
    if (branch === undefined) throw new AvroError(`union index ${i} out of range (${s.length} branches)`);
    return decode(branch, r, named, ns);
  }
  const t = s.type;
  if (typeof t !== 'string') return decode(t, r, named, ns);
  if (PRIMITIVES.has(t)) return decode(t, r, named, ns);
  const nsHere = typeof s.namespace === 'string' ? s.namespace : ns;
  switch (t) {
    case 'record':
    case 'error': {
      const name = fullName(String(s.name), nsHere);
      named[name] = s;
      named[String(s.name).split('.').pop()!] ??= s;
      const recNs = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : nsHere;
      const out: Record<string, unknown> = {};
      for (const f of (s.fields as { name: string; type: AvroSchema }[]) ?? [])
        out[f.name] = decode(f.type, r, named, recNs);
      return out;
    }
    case 'enum': {
      named[fullName(String(s.name), nsHere)] = s;
      const symbols = s.symbols as string[];
      const i = r.int();
      const sym = symbols[i];
      if (sym === undefined) throw new AvroError(`enum index ${i} out of range`);
      return sym;
    }
    case 'fixed':
      named[fullName(String(s.name), nsHere)] = s;
      return hex(r.bytes(Number(s.size)));
    case 'array': {
      const out: unknown[] = [];
      for (;;) {
        let n = r.int();
        if (n === 0) break;
        if (n < 0) {
          n = -n;
          r.long(); // block size in bytes
        }
        for (let i = 0; i < n; i++) out.push(decode(s.items as AvroSchema, r, named, nsHere));
      }
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (;;) {
        let n = r.int();
        if (n === 0) break;
        if (n < 0) {
          n = -n;
          r.long();
        }
        for (let i = 0; i < n; i++) {
          const k = decode('string', r, named, nsHere) as string;
          out[k] = decode(s.values as AvroSchema, r, named, nsHere);
        }
      }
      return out;
    }
  }
  const ref = named[fullName(t, nsHere)] ?? named[t];
  if (ref) return decode(ref, r, named, nsHere);
  throw new AvroError(`unsupported Avro type "${t}"`);
}

/** Decode one datum; throws AvroError when the bytes do not fit the schema or are left over. */
export function decodeAvro(schema: AvroSchema, bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const v = decode(schema, r, {}, undefined);
  if (r.pos !== bytes.length) throw new AvroError(`${bytes.length - r.pos} bytes left after the record`);
  return v;
}

/** The content of an Avro "bytes" datum (length-prefixed), with nothing left over. */
export function avroBytes(bytes: Uint8Array): Uint8Array {
  const r = new Reader(bytes);
  const out = r.bytes(r.int());
  if (r.pos !== bytes.length) throw new AvroError(`${bytes.length - r.pos} bytes left after the value`);
  return out;
}

/** Encoder for tests and for producing Avro by subject: the mirror of decode, for the common types. */
export function encodeAvro(schema: AvroSchema, value: unknown, named: Named = {}, ns?: string): number[] {
  const out: number[] = [];
  const long = (v: number) => {
    let n = BigInt(v);
    n = (n << 1n) ^ (n >> 63n);
    n = BigInt.asUintN(64, n);
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      out.push(b);
    } while (n > 0n);
  };
  const enc = (s: AvroSchema, v: unknown, nsHere: string | undefined): void => {
    if (typeof s === 'string') {
      switch (s) {
        case 'null':
          return;
        case 'boolean':
          out.push(v ? 1 : 0);
          return;
        case 'int':
        case 'long':
          long(Number(v));
          return;
        case 'float': {
          const b = new Uint8Array(4);
          new DataView(b.buffer).setFloat32(0, Number(v), true);
          out.push(...b);
          return;
        }
        case 'double': {
          const b = new Uint8Array(8);
          new DataView(b.buffer).setFloat64(0, Number(v), true);
          out.push(...b);
          return;
        }
        case 'string': {
          const b = new TextEncoder().encode(String(v));
          long(b.length);
          out.push(...b);
          return;
        }
      }
      const ref = named[fullName(s, nsHere)] ?? named[s];
      if (!ref) throw new AvroError(`unknown type "${s}"`);
      enc(ref, v, nsHere);
      return;
    }
    if (Array.isArray(s)) {
      const i = v === null ? s.indexOf('null') : s.findIndex((b) => b !== 'null');
      long(i);
      enc(s[i]!, v, nsHere);
      return;
    }
    const t = s.type;
    if (typeof t !== 'string' || PRIMITIVES.has(t)) {
      enc(t as AvroSchema, v, nsHere);
      return;
    }
    if (t === 'record') {
      named[fullName(String(s.name), nsHere)] = s;
      for (const f of s.fields as { name: string; type: AvroSchema }[])
        enc(f.type, (v as Record<string, unknown>)[f.name], nsHere);
      return;
    }
    if (t === 'enum') {
      long((s.symbols as string[]).indexOf(String(v)));
      return;
    }
    if (t === 'array') {
      const a = v as unknown[];
      if (a.length) {
        long(a.length);
        for (const x of a) enc(s.items as AvroSchema, x, nsHere);
      }
      long(0);
      return;
    }
    throw new AvroError(`encoding "${t}" is not supported`);
  };
  enc(schema, value, ns);
  return out;
}
