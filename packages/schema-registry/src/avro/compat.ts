// Avro schema compatibility: can data written with `writer` be read with `reader`? Written from the
// Avro 1.11 specification's "Schema Resolution" rules:
// - same primitive type, or a promotion: int -> long, float, double; long -> float, double;
//   float -> double; string <-> bytes;
// - records: every reader field must exist in the writer (by name, or by one of the reader field's
//   aliases) with a readable type, or have a default; writer-only fields are ignored;
// - enums: every writer symbol must be a reader symbol, unless the reader declares an enum default;
// - fixed: same size; arrays: items readable; maps: values readable;
// - writer union: every branch must be readable; reader union (writer not a union): some branch
//   must read the writer's type;
// - named types (record, enum, fixed) match when their full names are equal, when the reader lists
//   the writer's full name among its aliases, or when their unqualified names are equal (the spec
//   compares unqualified names, and so do Avro Java and Confluent's registry).
// Recursive types are handled by assuming a (reader, writer) pair already under test is compatible.
// The error types are the ones Avro Java reports, so messages look familiar.

import { type AvroNamed, type AvroType, shortName } from './schema.ts';

export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface Incompatibility {
  errorType: IncompatibilityType;
  /** JSON-pointer-like location in the reader schema, e.g. /fields/2/type. */
  path: string;
  description: string;
  additionalInfo: string;
}

const PROMOTIONS: Record<string, readonly string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

const describe = (t: AvroType): string => ('name' in t ? `${t.type} ${t.name}` : t.type);

export function checkAvroCompatibility(reader: AvroType, writer: AvroType): Incompatibility[] {
  const out: Incompatibility[] = [];
  canRead(reader, writer, '', new Map(), out);
  return out;
}

function namesMatch(r: AvroNamed, w: AvroNamed): boolean {
  return r.name === w.name || r.aliases.includes(w.name) || shortName(r.name) === shortName(w.name);
}

function canRead(
  r: AvroType,
  w: AvroType,
  path: string,
  inProgress: Map<AvroType, Set<AvroType>>,
  out: Incompatibility[],
): void {
  const seen = inProgress.get(r);
  if (seen?.has(w)) return;
  if (seen) seen.add(w);
  else inProgress.set(r, new Set([w]));
  try {
    check(r, w, path, inProgress, out);
  } finally {
    inProgress.get(r)?.delete(w);
  }
}

function check(r: AvroType, w: AvroType, path: string, ip: Map<AvroType, Set<AvroType>>, out: Incompatibility[]): void {
  if (w.type === 'union') {
    for (const b of w.branches) canRead(r, b, path, ip, out);
    return;
  }
  if (r.type === 'union') {
    const ok = r.branches.some((b) => {
      const trial: Incompatibility[] = [];
      canRead(b, w, path, ip, trial);
      return trial.length === 0;
    });
    if (!ok)
      out.push({
        errorType: 'MISSING_UNION_BRANCH',
        path: path || '/',
        description: `The new schema's union at path '${path || '/'}' has no branch that can read the old ${describe(w)}`,
        additionalInfo: `reader union lacking writer type: ${describe(w).toUpperCase()}`,
      });
    return;
  }
  const mismatch = (): void => {
    out.push({
      errorType: 'TYPE_MISMATCH',
      path: path || '/',
      description: `The type (path '${path || '/'}') of the reader schema does not match the writer: reader type ${describe(r)} is not compatible with writer type ${describe(w)}`,
      additionalInfo: `reader type: ${r.type.toUpperCase()} not compatible with writer type: ${w.type.toUpperCase()}`,
    });
  };
  if (r.type !== w.type) {
    if (!PROMOTIONS[w.type]?.includes(r.type)) mismatch();
    return;
  }
  switch (r.type) {
    case 'record':
    case 'enum':
    case 'fixed': {
      const wn = w as AvroNamed;
      if (!namesMatch(r, wn)) {
        out.push({
          errorType: 'NAME_MISMATCH',
          path: `${path}/name`,
          description: `The name of the reader schema (${r.name}) does not match the writer (${wn.name}) at path '${path}/name'`,
          additionalInfo: `expected: ${wn.name}`,
        });
        return;
      }
      if (r.type === 'fixed' && wn.type === 'fixed' && r.size !== wn.size)
        out.push({
          errorType: 'FIXED_SIZE_MISMATCH',
          path: `${path}/size`,
          description: `The size of fixed ${r.name} changed from ${wn.size} to ${r.size} at path '${path}/size'`,
          additionalInfo: `expected: ${wn.size}, found: ${r.size}`,
        });
      if (r.type === 'enum' && wn.type === 'enum' && r.default === undefined) {
        const missing = wn.symbols.filter((s) => !r.symbols.includes(s));
        if (missing.length > 0)
          out.push({
            errorType: 'MISSING_ENUM_SYMBOLS',
            path: `${path}/symbols`,
            description: `The reader enum ${r.name} at path '${path}/symbols' lacks symbols [${missing.join(', ')}] of the writer and has no default`,
            additionalInfo: `[${missing.join(', ')}]`,
          });
      }
      if (r.type === 'record' && wn.type === 'record')
        r.fields.forEach((rf, i) => {
          const wf = wn.fields.find((f) => f.name === rf.name) ?? wn.fields.find((f) => rf.aliases.includes(f.name));
          if (wf) canRead(rf.type, wf.type, `${path}/fields/${i}/type`, ip, out);
          else if (!rf.hasDefault)
            out.push({
              errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE',
              path: `${path}/fields/${i}`,
              description: `The field '${rf.name}' at path '${path}/fields/${i}' in the reader schema has no default value and is missing in the writer schema`,
              additionalInfo: rf.name,
            });
        });
      return;
    }
    case 'array':
      if (w.type === 'array') canRead(r.items, w.items, `${path}/items`, ip, out);
      return;
    case 'map':
      if (w.type === 'map') canRead(r.values, w.values, `${path}/values`, ip, out);
      return;
    default:
      return;
  }
}
