/**
 * Builds representative values straight from a definition tree, independently of the codec:
 * - 'defaults': every field at its definition default (what decoding `{}` must produce);
 * - 'filled': every field present in the version set to a non-default value (tagged ones too),
 *   arrays with two elements, nullable fields non-null;
 * - 'nulls': nullable fields null, arrays empty, other fields non-default.
 * Fields absent in the version hold their defaults, as the codec's decoder fills them.
 */

import type { FieldDef, PrimitiveType } from '../../src/messages/definition-types.ts';

export type Mode = 'defaults' | 'filled' | 'nulls';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const has = (range: readonly [number, number] | undefined | null, v: number) =>
  range != null && v >= range[0] && v <= range[1];

export function defaultOf(f: FieldDef, version: number): unknown {
  if (f.default === null) return null;
  if (f.type === 'array') return [];
  if (f.type === 'struct') return sampleStruct(f.fields ?? [], version, 'defaults', { n: 0 });
  if (f.default !== undefined) return f.default;
  const zero: Record<PrimitiveType, unknown> = {
    bool: false,
    int8: 0,
    int16: 0,
    uint16: 0,
    int32: 0,
    uint32: 0,
    int64: 0n,
    float64: 0,
    uuid: ZERO_UUID,
    string: '',
    bytes: Buffer.alloc(0),
    records: null,
  };
  return zero[f.type];
}

function samplePrimitive(type: PrimitiveType, counter: { n: number }): unknown {
  const k = ++counter.n;
  switch (type) {
    case 'bool':
      return true;
    case 'int8':
      return 5 + (k % 100);
    case 'int16':
      return -1000 - k;
    case 'uint16':
      return 60000 + k;
    case 'int32':
      return 100000 + k;
    case 'uint32':
      return 4000000000 + k;
    case 'int64':
      return 1700000000000n + BigInt(k);
    case 'float64':
      return 0.5 + k;
    case 'uuid': {
      const b = Buffer.alloc(16, k);
      b[0] = 0x10; // not starting with '-' in base64url
      return b.toString('base64url');
    }
    case 'string':
      return `s${k}-é`;
    case 'bytes':
      return Buffer.from([1, 2, 3, k & 0xff]);
    case 'records':
      return Buffer.from(`records-${k}`);
  }
}

export function sampleStruct(
  fields: readonly FieldDef[],
  version: number,
  mode: Mode,
  counter: { n: number } = { n: 0 },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (mode === 'defaults' || !has(f.versions, version)) {
      out[f.name] = defaultOf(f, version);
      continue;
    }
    if (mode === 'nulls' && has(f.nullableVersions, version)) {
      out[f.name] = null;
      continue;
    }
    if (f.type === 'array') {
      if (mode === 'nulls') {
        out[f.name] = [];
      } else if (f.items === 'struct') {
        out[f.name] = [0, 1].map(() => sampleStruct(f.fields ?? [], version, mode, counter));
      } else {
        const item = f.items as PrimitiveType;
        out[f.name] = [0, 1].map(() => samplePrimitive(item, counter));
      }
    } else if (f.type === 'struct') {
      out[f.name] = sampleStruct(f.fields ?? [], version, mode, counter);
    } else {
      out[f.name] = samplePrimitive(f.type, counter);
    }
  }
  return out;
}
