/**
 * Compiles a definition field tree, for one version, into encode/decode closures. Each field
 * becomes one closure decided once (present? nullable? compact? tagged?); each struct becomes a
 * small function, specialised with `new Function`, that calls its field closures with static
 * property names (monomorphic property access, decoded structs built as one object literal).
 * No per-field branching on definitions and no allocation beyond the output at run time.
 * Callers cache the result per (api, version). Measured with scripts/bench-codec.ts.
 *
 * Value rules:
 * - Decoding fills every field of the definition: fields absent in the version (and tagged fields
 *   not sent) get their default. Defaults of arrays, structs and bytes are shared frozen values.
 * - Encoding treats `undefined` as the field's default; fields absent in the version are not
 *   written, whatever their value (lenient, unlike Kafka's Java code which rejects non-default
 *   values for non-ignorable fields).
 * - int64 decodes to bigint and encodes from bigint or a safe-integer number; uuid is Kafka's
 *   22-character base64url text; bytes and records decode to Buffer subarrays of the input.
 * - Tagged fields are written (ascending tag) only when they differ from their default; unknown
 *   tags are skipped when decoding.
 */

import { type FieldDef, inRange, type PrimitiveType } from '../messages/definition-types.ts';
import { KafkaCodecError } from '../primitives/codec-error.ts';
import type { Reader } from '../primitives/reader.ts';
import { ZERO_UUID } from '../primitives/uuid.ts';
import type { Writer } from '../primitives/writer.ts';

export type Value = Record<string, unknown>;
type Encode = (w: Writer, v: unknown) => void;
type Decode = (r: Reader) => unknown;

export interface CompiledStruct {
  encode(w: Writer, value: Value): void;
  decode(r: Reader): Value;
  /** Deep-frozen value with every field at its default. */
  readonly defaults: Readonly<Value>;
  isDefault(value: unknown): boolean;
}

interface CompiledField {
  readonly name: string;
  readonly present: boolean;
  readonly tag: number; // -1 when not tagged in this version
  readonly dflt: unknown;
  readonly encode: Encode;
  readonly decode: Decode;
  readonly isDefault: (v: unknown) => boolean;
}

const EMPTY_BYTES = Buffer.alloc(0);
const EMPTY_ARRAY: readonly unknown[] = Object.freeze([]);

export function compileStruct(fields: readonly FieldDef[], version: number, flexible: boolean): CompiledStruct {
  const compiled = fields.map((f) => compileField(f, version, flexible));
  const tagged = compiled.filter((f) => f.present && f.tag >= 0).sort((a, b) => a.tag - b.tag);
  const byTag = new Map(tagged.map((f) => [f.tag, f]));
  const defaults: Value = {};
  for (const f of compiled) defaults[f.name] = f.dflt;
  Object.freeze(defaults);

  const encodeTagged = (w: Writer, value: Value): void => {
    if (tagged.length === 0) {
      w.emptyTaggedFields();
      return;
    }
    let count = 0;
    for (const t of tagged) if (!t.isDefault(value[t.name])) count++;
    w.uvarint(count);
    for (const t of tagged) {
      const v = value[t.name];
      if (t.isDefault(v)) continue;
      w.uvarint(t.tag);
      const at = w.beginSized();
      try {
        t.encode(w, v);
      } catch (err) {
        throw encodeError(err, t.name);
      }
      w.endSized(at);
    }
  };

  return {
    defaults,
    encode: specializeEncode(compiled, flexible ? encodeTagged : null),
    decode: specializeDecode(compiled, flexible ? byTag : null),
    isDefault(value) {
      if (value === undefined) return true;
      if (value === null || typeof value !== 'object') return false;
      for (const f of compiled) if (f.present && !f.isDefault((value as Value)[f.name])) return false;
      return true;
    },
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function property(name: string): string {
  return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/**
 * The per-struct loop, specialised once with new Function so that property names are static:
 * reads become `v.topicName` (monomorphic inline caches) and decoded structs are object literals
 * with one hidden class per struct kind. The field closures do the actual work.
 */
function specializeEncode(
  fields: readonly CompiledField[],
  tail: ((w: Writer, v: Value) => void) | null,
): (w: Writer, v: Value) => void {
  const regular = fields.filter((f) => f.present && f.tag < 0);
  const lines = regular.map((f, k) => `i = ${k}; x = v${property(f.name)}; e[${k}](w, x === undefined ? d[${k}] : x);`);
  const body = `return function encode(w, v) {
  let i = -1, x;
  try {
    ${lines.join('\n    ')}
  } catch (err) { throw wrap(err, i < 0 ? undefined : names[i]); }
  ${tail === null ? '' : 'tail(w, v);'}
};`;
  const make = new Function('e', 'd', 'names', 'wrap', 'tail', body);
  return make(
    regular.map((f) => f.encode),
    regular.map((f) => f.dflt),
    regular.map((f) => f.name),
    encodeError,
    tail,
  );
}

function specializeDecode(
  fields: readonly CompiledField[],
  byTag: Map<number, CompiledField> | null,
): (r: Reader) => Value {
  const readers: Decode[] = [];
  const parts = fields.map((f, k) => {
    if (f.present && f.tag < 0) {
      readers.push(f.decode);
      return `${JSON.stringify(f.name)}: (i = ${k}, dec[${readers.length - 1}](r))`;
    }
    return `${JSON.stringify(f.name)}: dflt[${k}]`;
  });
  const body = `return function decode(r) {
  let i = -1, o;
  try {
    o = { ${parts.join(', ')} };
  } catch (err) { throw wrap(err, i < 0 ? undefined : names[i]); }
  ${byTag === null ? '' : 'tagged(r, o, byTag);'}
  return o;
};`;
  const make = new Function('dec', 'dflt', 'names', 'wrap', 'tagged', 'byTag', body);
  return make(
    readers,
    fields.map((f) => f.dflt),
    fields.map((f) => f.name),
    decodeError,
    decodeTagged,
    byTag,
  );
}

function decodeTagged(r: Reader, o: Value, byTag: Map<number, CompiledField>): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    r.need(size);
    const end = r.pos + size;
    const f = byTag.get(tag);
    if (f !== undefined) {
      const outer = r.end;
      r.end = end;
      try {
        o[f.name] = f.decode(r);
      } catch (err) {
        throw decodeError(err, f.name);
      } finally {
        r.end = outer;
      }
    }
    r.pos = end;
  }
}

function encodeError(err: unknown, field: string | undefined): KafkaCodecError {
  const e =
    err instanceof KafkaCodecError
      ? err
      : new KafkaCodecError('SEAWAY_KPROTO_ENCODE', err instanceof Error ? err.message : String(err), { cause: err });
  return field === undefined ? e : e.within(field);
}

function decodeError(err: unknown, field: string | undefined): unknown {
  if (err instanceof KafkaCodecError && field !== undefined) return err.within(field);
  return err;
}

function compileField(f: FieldDef, version: number, flexible: boolean): CompiledField {
  const present = inRange(f.versions, version);
  const nullable = inRange(f.nullableVersions, version);
  const compact = f.flexibleVersions !== undefined ? inRange(f.flexibleVersions, version) : flexible;
  const tag = flexible && f.tag !== undefined && inRange(f.taggedVersions, version) ? f.tag : -1;
  let encode: Encode;
  let decode: Decode;
  let dflt: unknown;
  let isDefault: (v: unknown) => boolean;

  if (f.type === 'struct') {
    const inner = compileStruct(f.fields ?? [], version, flexible);
    dflt = f.default === null ? null : inner.defaults;
    encode = structEncoder(inner, nullable, f.name);
    decode = structDecoder(inner, nullable);
    isDefault = dflt === null ? (v) => v === undefined || v === null : (v) => v !== null && inner.isDefault(v);
  } else if (f.type === 'array') {
    let itemEncode: Encode;
    let itemDecode: Decode;
    if (f.items === 'struct') {
      const inner = compileStruct(f.fields ?? [], version, flexible);
      itemEncode = (w, v) => {
        if (v === null || typeof v !== 'object') throw notAStruct(v);
        inner.encode(w, v as Value);
      };
      itemDecode = (r) => inner.decode(r);
    } else {
      const item = f.items ?? 'int32';
      itemEncode = primitiveEncoder(item, compact, false, f.name);
      itemDecode = primitiveDecoder(item, compact, false);
    }
    dflt = f.default === null ? null : EMPTY_ARRAY;
    encode = arrayEncoder(itemEncode, compact, nullable, f.name);
    decode = arrayDecoder(itemDecode, compact, nullable);
    isDefault =
      dflt === null
        ? (v) => v === undefined || v === null
        : (v) => v === undefined || (Array.isArray(v) && v.length === 0);
  } else {
    dflt = primitiveDefault(f.type, f.default);
    encode = primitiveEncoder(f.type, compact, nullable, f.name);
    decode = primitiveDecoder(f.type, compact, nullable);
    const d = dflt;
    if (f.type === 'int64') isDefault = (v) => v === undefined || v === d || (typeof v === 'number' && BigInt(v) === d);
    else if (f.type === 'bytes' && d !== null)
      isDefault = (v) => v === undefined || (v instanceof Uint8Array && v.length === 0);
    else isDefault = (v) => v === undefined || v === d;
  }
  return { name: f.name, present, tag, dflt, encode, decode, isDefault };
}

function primitiveDefault(type: PrimitiveType, given: FieldDef['default']): unknown {
  if (given !== undefined) return given;
  switch (type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'uuid':
      return ZERO_UUID;
    case 'string':
      return '';
    case 'bytes':
      return EMPTY_BYTES;
    case 'records':
      return null;
    default:
      return 0;
  }
}

function notAStruct(v: unknown): KafkaCodecError {
  return new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `expected an object, got ${v === null ? 'null' : typeof v}`);
}

function nullNotAllowed(field: string): KafkaCodecError {
  return new KafkaCodecError(
    'SEAWAY_KPROTO_ENCODE',
    `${field} is null but this version does not allow null; set a value or use a version where it is nullable`,
  );
}

function structEncoder(inner: CompiledStruct, nullable: boolean, name: string): Encode {
  if (!nullable) {
    return (w, v) => {
      if (v === null || typeof v !== 'object') throw v === null ? nullNotAllowed(name) : notAStruct(v);
      inner.encode(w, v as Value);
    };
  }
  // Nullable structs carry an int8 marker: -1 null, 1 present.
  return (w, v) => {
    if (v === null) return w.int8(-1);
    if (typeof v !== 'object') throw notAStruct(v);
    w.int8(1);
    inner.encode(w, v as Value);
  };
}

function structDecoder(inner: CompiledStruct, nullable: boolean): Decode {
  if (!nullable) return (r) => inner.decode(r);
  return (r) => (r.int8() < 0 ? null : inner.decode(r));
}

function arrayEncoder(item: Encode, compact: boolean, nullable: boolean, name: string): Encode {
  return (w, v) => {
    if (!Array.isArray(v)) {
      if (v === null && nullable) return compact ? w.uvarint(0) : w.int32(-1);
      throw v === null
        ? nullNotAllowed(name)
        : new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `expected an array, got ${typeof v}`);
    }
    const len = v.length;
    if (compact) w.uvarint(len + 1);
    else w.int32(len);
    let i = 0;
    try {
      for (; i < len; i++) item(w, v[i]);
    } catch (err) {
      throw encodeError(err, `[${i}]`);
    }
  };
}

function arrayDecoder(item: Decode, compact: boolean, nullable: boolean): Decode {
  return (r) => {
    const at = r.pos;
    const len = compact ? r.compactArrayLength() : r.arrayLength();
    if (len === null) {
      if (nullable) return null;
      throw new KafkaCodecError('SEAWAY_KPROTO_INVALID', `null array at offset ${at} where the version requires one`);
    }
    // Every element takes at least one byte: refuse counts the input cannot hold before allocating.
    if (len > r.remaining) r.need(len);
    const out = new Array<unknown>(len);
    let i = 0;
    try {
      for (; i < len; i++) out[i] = item(r);
    } catch (err) {
      throw decodeError(err, `[${i}]`);
    }
    return out;
  };
}

function bytesEncoder(compact: boolean, nullable: boolean, name: string): Encode {
  return (w, v) => {
    if (v === null) {
      if (!nullable) throw nullNotAllowed(name);
      return compact ? w.uvarint(0) : w.int32(-1);
    }
    if (!(v instanceof Uint8Array)) {
      throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `expected a Buffer or Uint8Array, got ${typeof v}`);
    }
    if (compact) w.compactBytes(v);
    else w.bytes(v);
  };
}

function stringEncoder(compact: boolean, nullable: boolean, name: string): Encode {
  return (w, v) => {
    if (typeof v !== 'string') {
      if (v !== null) throw new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `expected a string, got ${typeof v}`);
      if (!nullable) throw nullNotAllowed(name);
    }
    if (compact) w.compactString(v as string | null);
    else w.string(v as string | null);
  };
}

function wrongType(expected: string, v: unknown): KafkaCodecError {
  return new KafkaCodecError('SEAWAY_KPROTO_ENCODE', `expected ${expected}, got ${v === null ? 'null' : typeof v}`);
}

function primitiveEncoder(type: PrimitiveType, compact: boolean, nullable: boolean, name: string): Encode {
  switch (type) {
    case 'bool':
      return (w, v) => {
        if (typeof v !== 'boolean') throw wrongType('a boolean', v);
        w.bool(v);
      };
    case 'int8':
      return (w, v) => w.int8(v as number);
    case 'int16':
      return (w, v) => w.int16(v as number);
    case 'uint16':
      return (w, v) => w.uint16(v as number);
    case 'int32':
      return (w, v) => w.int32(v as number);
    case 'uint32':
      return (w, v) => w.uint32(v as number);
    case 'int64':
      return (w, v) => {
        if (typeof v !== 'bigint' && typeof v !== 'number') throw wrongType('a bigint', v);
        w.int64(v);
      };
    case 'float64':
      return (w, v) => {
        if (typeof v !== 'number') throw wrongType('a number', v);
        w.float64(v);
      };
    case 'uuid':
      return (w, v) => w.uuid(v as string);
    case 'string':
      return stringEncoder(compact, nullable, name);
    case 'bytes':
    case 'records':
      return bytesEncoder(compact, nullable, name);
  }
}

function primitiveDecoder(type: PrimitiveType, compact: boolean, nullable: boolean): Decode {
  switch (type) {
    case 'bool':
      return (r) => r.bool();
    case 'int8':
      return (r) => r.int8();
    case 'int16':
      return (r) => r.int16();
    case 'uint16':
      return (r) => r.uint16();
    case 'int32':
      return (r) => r.int32();
    case 'uint32':
      return (r) => r.uint32();
    case 'int64':
      return (r) => r.int64();
    case 'float64':
      return (r) => r.float64();
    case 'uuid':
      return (r) => r.uuid();
    case 'string':
      if (compact) return nullable ? (r) => r.compactNullableString() : (r) => r.compactString();
      return nullable ? (r) => r.nullableString() : (r) => r.string();
    case 'bytes':
    case 'records':
      if (compact) return nullable ? (r) => r.compactNullableBytes() : (r) => r.compactBytes();
      return nullable ? (r) => r.nullableBytes() : (r) => r.bytes();
  }
}
