// A small Avro binary decoder (Avro 1.11 spec, "Binary Encoding") for showing records in the
// browser: primitives, records, enums, arrays, maps, unions, fixed, named references. Output is
// plain JSON for display: unions are unwrapped, bytes and fixed become hex strings, longs beyond
// 2^53 become decimal strings, logical types show their underlying value.

export type AvroSchema = string | AvroSchema[] | { type: string | AvroSchema; [k: string]: unknown };

export class AvroError extends Error {}

interface Named {
  [fullname: string]: AvroSchema;
}

/**
 * The shortest decimal that reads back as the same 32-bit float: an Avro float 11.1 is stored as
 * 11.100000381469727 in a double, and users wrote 11.1.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
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
    const v = shortestFloat32(this.view.getFloat32(this.pos, true));
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

function typeName(s: AvroSchema): string {
  if (typeof s === 'string') return s;
  if (Array.isArray(s)) return 'union';
  return typeof s.type === 'string' ? s.type : typeName(s.type);
}

/** Whether a JSON value can be written with this (non-union) branch; used to pick a union branch. */
function fits(s: AvroSchema, v: unknown, named: Named): boolean {
  let t = typeName(s);
  const ref = !PRIMITIVES.has(t) && named[t];
  if (ref) t = typeName(ref);
  switch (t) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
    case 'double':
      return typeof v === 'number';
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return typeof v === 'string';
    case 'array':
      return Array.isArray(v);
    case 'record':
    case 'map':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return false;
  }
}

const hexToBytes = (h: string): number[] => {
  const clean = h.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new AvroError(`bytes must be given as hex, got "${h.slice(0, 20)}"`);
  return Array.from({ length: clean.length / 2 }, (_, i) => Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16));
};

/** Encode a JSON value with a schema (the mirror of decodeAvro): for tests and for producing Avro by subject. */
export function encodeAvro(schema: AvroSchema, value: unknown, named: Named = {}, ns?: string): number[] {
  const out: number[] = [];
  const long = (v: number | string) => {
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
  const blob = (b: ArrayLike<number>) => {
    long(b.length);
    for (let i = 0; i < b.length; i++) out.push(b[i]!);
  };
  const enc = (s: AvroSchema, v: unknown, nsHere: string | undefined, path: string): void => {
    const need = (ok: boolean, what: string) => {
      if (!ok) throw new AvroError(`${path || 'value'}: expected ${what}, got ${JSON.stringify(v)?.slice(0, 40)}`);
    };
    if (typeof s === 'string') {
      switch (s) {
        case 'null':
          need(v === null, 'null');
          return;
        case 'boolean':
          need(typeof v === 'boolean', 'true or false');
          out.push(v ? 1 : 0);
          return;
        case 'int':
        case 'long':
          need(
            (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v)),
            'a whole number',
          );
          long(v as number | string);
          return;
        case 'float':
        case 'double': {
          need(typeof v === 'number', 'a number');
          const b = new Uint8Array(s === 'float' ? 4 : 8);
          const dv = new DataView(b.buffer);
          if (s === 'float') dv.setFloat32(0, v as number, true);
          else dv.setFloat64(0, v as number, true);
          out.push(...b);
          return;
        }
        case 'string':
          need(typeof v === 'string', 'a string');
          blob(new TextEncoder().encode(v as string));
          return;
        case 'bytes':
          need(typeof v === 'string', 'bytes as a hex string');
          blob(hexToBytes(v as string));
          return;
      }
      const ref = named[fullName(s, nsHere)] ?? named[s];
      if (!ref) throw new AvroError(`unknown type "${s}"`);
      enc(ref, v, nsHere, path);
      return;
    }
    if (Array.isArray(s)) {
      const i = s.findIndex((b) => fits(b, v, named));
      if (i < 0)
        throw new AvroError(`${path || 'value'}: ${JSON.stringify(v)?.slice(0, 40)} fits no branch of the union`);
      long(i);
      enc(s[i]!, v, nsHere, path);
      return;
    }
    const t = s.type;
    if (typeof t !== 'string' || PRIMITIVES.has(t)) {
      enc(t as AvroSchema, v, nsHere, path);
      return;
    }
    const nsNext = typeof s.namespace === 'string' ? s.namespace : nsHere;
    switch (t) {
      case 'record': {
        const name = fullName(String(s.name), nsNext);
        named[name] = s;
        named[String(s.name).split('.').pop()!] ??= s;
        need(typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');
        const o = v as Record<string, unknown>;
        for (const f of s.fields as { name: string; type: AvroSchema; default?: unknown }[]) {
          const fv = f.name in o ? o[f.name] : 'default' in f ? f.default : undefined;
          if (fv === undefined) throw new AvroError(`${path}${path ? '.' : ''}${f.name}: missing and has no default`);
          enc(
            f.type,
            fv,
            name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : nsNext,
            `${path}${path ? '.' : ''}${f.name}`,
          );
        }
        return;
      }
      case 'enum': {
        named[fullName(String(s.name), nsNext)] = s;
        const i = (s.symbols as string[]).indexOf(String(v));
        need(i >= 0, `one of ${(s.symbols as string[]).join(', ')}`);
        long(i);
        return;
      }
      case 'fixed': {
        named[fullName(String(s.name), nsNext)] = s;
        need(typeof v === 'string', 'fixed bytes as hex');
        const b = hexToBytes(v as string);
        need(b.length === Number(s.size), `${s.size} bytes`);
        out.push(...b);
        return;
      }
      case 'array': {
        need(Array.isArray(v), 'an array');
        const a = v as unknown[];
        if (a.length) {
          long(a.length);
          for (const [i, x] of a.entries()) enc(s.items as AvroSchema, x, nsNext, `${path}[${i}]`);
        }
        long(0);
        return;
      }
      case 'map': {
        need(typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');
        const e = Object.entries(v as Record<string, unknown>);
        if (e.length) {
          long(e.length);
          for (const [k, x] of e) {
            blob(new TextEncoder().encode(k));
            enc(s.values as AvroSchema, x, nsNext, `${path}.${k}`);
          }
        }
        long(0);
        return;
      }
    }
    const ref = named[fullName(t, nsNext)] ?? named[t];
    if (ref) {
      enc(ref, v, nsNext, path);
      return;
    }
    throw new AvroError(`encoding "${t}" is not supported`);
  };
  enc(schema, value, ns, '');
  return out;
}
