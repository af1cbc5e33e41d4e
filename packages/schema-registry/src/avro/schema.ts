// Avro schema parser (Avro 1.11 specification, "Schema Declaration" and "Names"): turns schema JSON
// into a tree with every name resolved to its full name and every named reference pointing at its
// definition (recursive types allowed). It validates what the registry must reject with 42201:
// unknown types, redefined or invalid names, duplicate fields or symbols, bad fixed sizes, nested or
// duplicate union branches, and field defaults that do not match their type (a union's default
// matches its first branch). Named types defined by referenced schemas come in through `known`.

export const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type Primitive = (typeof PRIMITIVES)[number];
type Props = Record<string, unknown>;

export interface AvroField {
  name: string;
  aliases: string[];
  type: AvroType;
  hasDefault: boolean;
  default?: unknown;
  doc?: string;
  order?: string;
  props: Props;
}

export type AvroNamed =
  | { type: 'record'; error: boolean; name: string; aliases: string[]; doc?: string; fields: AvroField[]; props: Props }
  | { type: 'enum'; name: string; aliases: string[]; doc?: string; symbols: string[]; default?: string; props: Props }
  | { type: 'fixed'; name: string; aliases: string[]; doc?: string; size: number; props: Props };

export type AvroType =
  | { type: Primitive; props: Props }
  | AvroNamed
  | { type: 'array'; items: AvroType; props: Props }
  | { type: 'map'; values: AvroType; props: Props }
  | { type: 'union'; branches: AvroType[] };

export class AvroSchemaError extends Error {
  override name = 'AvroSchemaError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isPrimitive = (s: string): s is Primitive => (PRIMITIVES as readonly string[]).includes(s);

export const namespaceOf = (fullName: string): string => {
  const i = fullName.lastIndexOf('.');
  return i < 0 ? '' : fullName.slice(0, i);
};
export const shortName = (fullName: string): string => fullName.slice(fullName.lastIndexOf('.') + 1);

function fullNameOf(name: string, ns: string): string {
  return name.includes('.') || ns === '' ? name : `${ns}.${name}`;
}

function checkFullName(full: string, where: string): void {
  for (const part of full.split('.'))
    if (!NAME.test(part))
      throw new AvroSchemaError(`invalid name "${full}" ${where}: each part must match [A-Za-z_][A-Za-z0-9_]*`);
}

function pick(o: Props, reserved: readonly string[]): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(o)) if (!reserved.includes(k)) out[k] = v;
  return out;
}

const RESERVED = {
  record: ['type', 'name', 'namespace', 'doc', 'fields', 'aliases'],
  enum: ['type', 'name', 'namespace', 'doc', 'symbols', 'aliases', 'default'],
  fixed: ['type', 'name', 'namespace', 'doc', 'size', 'aliases'],
  array: ['type', 'items'],
  map: ['type', 'values'],
  primitive: ['type'],
  field: ['name', 'type', 'doc', 'default', 'order', 'aliases'],
} as const;

/** The parse context: named types seen so far (full name -> definition). */
export type NamedTypes = Map<string, AvroNamed>;

/** Parses schema JSON (already JSON.parse'd). `known` holds named types from referenced schemas and is extended. */
export function parseAvro(json: unknown, known: NamedTypes = new Map()): AvroType {
  const t = parseType(json, '', known);
  return t;
}

function resolveName(ref: string, ns: string, known: NamedTypes): AvroNamed | undefined {
  if (ref.includes('.')) return known.get(ref);
  return (ns ? known.get(`${ns}.${ref}`) : undefined) ?? known.get(ref);
}

function parseAliases(v: unknown, ns: string, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((a) => typeof a !== 'string'))
    throw new AvroSchemaError(`aliases of ${where} must be an array of strings`);
  return v.map((a: string) => {
    const full = fullNameOf(a, ns);
    checkFullName(full, `in aliases of ${where}`);
    return full;
  });
}

function defineName(o: Props, ns: string, known: NamedTypes, kind: string): { full: string; ns: string } {
  if (typeof o.name !== 'string' || o.name === '') throw new AvroSchemaError(`${kind} is missing a "name"`);
  const declaredNs = typeof o.namespace === 'string' ? o.namespace : undefined;
  if (o.namespace !== undefined && o.namespace !== null && typeof o.namespace !== 'string')
    throw new AvroSchemaError(`namespace of ${o.name} must be a string`);
  const full = o.name.includes('.') ? o.name : fullNameOf(o.name, declaredNs ?? ns);
  checkFullName(full, `of a ${kind}`);
  if (isPrimitive(shortName(full)) && !full.includes('.'))
    throw new AvroSchemaError(`${kind} name "${full}" is a primitive type name and cannot be redefined`);
  if (known.has(full)) throw new AvroSchemaError(`type "${full}" is defined twice`);
  return { full, ns: namespaceOf(full) };
}

function parseType(json: unknown, ns: string, known: NamedTypes): AvroType {
  if (typeof json === 'string') {
    if (isPrimitive(json)) return { type: json, props: {} };
    const named = resolveName(json, ns, known);
    if (!named)
      throw new AvroSchemaError(
        `unknown type "${json}"${ns ? ` (namespace ${ns})` : ''}; define it before use or add a reference`,
      );
    return named;
  }
  if (Array.isArray(json)) {
    const branches = json.map((b) => parseType(b, ns, known));
    const seen = new Set<string>();
    for (const b of branches) {
      if (b.type === 'union') throw new AvroSchemaError('a union may not directly contain another union');
      const key = 'name' in b ? b.name : b.type;
      if (seen.has(key)) throw new AvroSchemaError(`union contains "${key}" twice`);
      seen.add(key);
    }
    return { type: 'union', branches };
  }
  if (json === null || typeof json !== 'object')
    throw new AvroSchemaError(`expected a type name, object or array, got ${JSON.stringify(json)}`);
  const o = json as Props;
  const type = o.type;
  if (Array.isArray(type) || (type !== null && typeof type === 'object')) {
    // {"type": {...}} or {"type": [...]}: a wrapped schema
    return parseType(type, ns, known);
  }
  if (typeof type !== 'string')
    throw new AvroSchemaError(`schema object has no "type": ${JSON.stringify(o).slice(0, 100)}`);
  switch (type) {
    case 'record':
    case 'error': {
      const { full, ns: inner } = defineName(o, ns, known, type);
      if (!Array.isArray(o.fields)) throw new AvroSchemaError(`record ${full} must have a "fields" array`);
      const rec: AvroNamed & { type: 'record' } = {
        type: 'record',
        error: type === 'error',
        name: full,
        aliases: parseAliases(o.aliases, inner, full),
        fields: [],
        props: pick(o, RESERVED.record),
      };
      if (typeof o.doc === 'string') rec.doc = o.doc;
      known.set(full, rec);
      const names = new Set<string>();
      for (const f of o.fields as unknown[]) {
        const field = parseField(f, inner, known, full);
        if (names.has(field.name)) throw new AvroSchemaError(`record ${full} has two fields named "${field.name}"`);
        names.add(field.name);
        rec.fields.push(field);
      }
      return rec;
    }
    case 'enum': {
      const { full, ns: inner } = defineName(o, ns, known, 'enum');
      if (!Array.isArray(o.symbols) || o.symbols.some((s) => typeof s !== 'string' || !NAME.test(s)))
        throw new AvroSchemaError(`enum ${full} must have "symbols", an array of names`);
      const symbols = o.symbols as string[];
      if (new Set(symbols).size !== symbols.length) throw new AvroSchemaError(`enum ${full} has duplicate symbols`);
      const e: AvroNamed & { type: 'enum' } = {
        type: 'enum',
        name: full,
        aliases: parseAliases(o.aliases, inner, full),
        symbols,
        props: pick(o, RESERVED.enum),
      };
      if (typeof o.doc === 'string') e.doc = o.doc;
      if (o.default !== undefined) {
        if (typeof o.default !== 'string' || !symbols.includes(o.default))
          throw new AvroSchemaError(`enum ${full} default ${JSON.stringify(o.default)} is not one of its symbols`);
        e.default = o.default;
      }
      known.set(full, e);
      return e;
    }
    case 'fixed': {
      const { full, ns: inner } = defineName(o, ns, known, 'fixed');
      if (typeof o.size !== 'number' || !Number.isInteger(o.size) || o.size < 0)
        throw new AvroSchemaError(`fixed ${full} must have a non-negative integer "size"`);
      const f: AvroNamed & { type: 'fixed' } = {
        type: 'fixed',
        name: full,
        aliases: parseAliases(o.aliases, inner, full),
        size: o.size,
        props: pick(o, RESERVED.fixed),
      };
      if (typeof o.doc === 'string') f.doc = o.doc;
      known.set(full, f);
      return f;
    }
    case 'array':
      if (o.items === undefined) throw new AvroSchemaError('array must have "items"');
      return { type: 'array', items: parseType(o.items, ns, known), props: pick(o, RESERVED.array) };
    case 'map':
      if (o.values === undefined) throw new AvroSchemaError('map must have "values"');
      return { type: 'map', values: parseType(o.values, ns, known), props: pick(o, RESERVED.map) };
    default:
      if (isPrimitive(type)) return { type, props: pick(o, RESERVED.primitive) };
      {
        const named = resolveName(type, ns, known);
        if (named) return named;
      }
      throw new AvroSchemaError(`unknown type "${type}"`);
  }
}

function parseField(f: unknown, ns: string, known: NamedTypes, record: string): AvroField {
  if (f === null || typeof f !== 'object' || Array.isArray(f))
    throw new AvroSchemaError(`fields of record ${record} must be objects`);
  const o = f as Props;
  if (typeof o.name !== 'string' || !NAME.test(o.name))
    throw new AvroSchemaError(
      `a field of record ${record} has an invalid or missing "name": ${JSON.stringify(o.name)}`,
    );
  if (o.type === undefined) throw new AvroSchemaError(`field ${record}.${o.name} has no "type"`);
  const type = parseType(o.type, ns, known);
  const field: AvroField = {
    name: o.name,
    aliases: Array.isArray(o.aliases) ? o.aliases.filter((a): a is string => typeof a === 'string') : [],
    type,
    hasDefault: 'default' in o,
    props: pick(o, RESERVED.field),
  };
  if (typeof o.doc === 'string') field.doc = o.doc;
  if (o.order !== undefined) {
    if (o.order !== 'ascending' && o.order !== 'descending' && o.order !== 'ignore')
      throw new AvroSchemaError(`field ${record}.${o.name} has an invalid order ${JSON.stringify(o.order)}`);
    field.order = o.order;
  }
  if (field.hasDefault) {
    field.default = o.default;
    const why = checkDefault(type, o.default, new Set());
    if (why) throw new AvroSchemaError(`invalid default for field ${record}.${o.name}: ${why}`);
  }
  return field;
}

/** Returns why `value` is not a valid default for `type` (JSON encoding per the spec), or null. */
export function checkDefault(type: AvroType, value: unknown, seen: Set<AvroType>): string | null {
  const got = JSON.stringify(value) ?? 'undefined';
  switch (type.type) {
    case 'null':
      return value === null ? null : `expected null, got ${got}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected a boolean, got ${got}`;
    case 'int':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        ? null
        : `expected a 32-bit integer, got ${got}`;
    case 'long':
      return Number.isInteger(value) ? null : `expected an integer, got ${got}`;
    case 'float':
    case 'double':
      return typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity'
        ? null
        : `expected a number, got ${got}`;
    case 'bytes':
    case 'string':
      return typeof value === 'string' ? null : `expected a string, got ${got}`;
    case 'fixed':
      return typeof value === 'string' && value.length === type.size
        ? null
        : `expected a string of ${type.size} characters, got ${got}`;
    case 'enum':
      return typeof value === 'string' && type.symbols.includes(value)
        ? null
        : `expected one of ${type.symbols.join(', ')}, got ${got}`;
    case 'array':
      if (!Array.isArray(value)) return `expected an array, got ${got}`;
      for (const v of value) {
        const why = checkDefault(type.items, v, seen);
        if (why) return why;
      }
      return null;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `expected an object, got ${got}`;
      for (const v of Object.values(value)) {
        const why = checkDefault(type.values, v, seen);
        if (why) return why;
      }
      return null;
    case 'union':
      return type.branches[0] ? checkDefault(type.branches[0], value, seen) : 'a union with no branches has no default';
    case 'record': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `expected an object, got ${got}`;
      if (seen.has(type)) return null;
      seen.add(type);
      for (const f of type.fields) {
        const v = (value as Props)[f.name];
        if (v === undefined) {
          if (!f.hasDefault) return `missing field ${f.name}`;
          continue;
        }
        const why = checkDefault(f.type, v, seen);
        if (why) return `${f.name}: ${why}`;
      }
      seen.delete(type);
      return null;
    }
  }
}
