// The canonical text of an Avro schema: what the registry stores, serves and compares to decide
// "same schema, same id". Compact JSON with a fixed attribute order (type, name, namespace, doc,
// then the type's own attributes, aliases, then other properties in their given order), primitive
// types without properties written as plain names, each named type defined once and referred to by
// name afterwards (relative to the enclosing namespace), and names that come from references never
// inlined. Whitespace and attribute order in the submitted text therefore do not change the id;
// doc, defaults and custom properties do (as with Confluent's registry).

import { type AvroField, type AvroType, namespaceOf, shortName } from './schema.ts';

type Json = unknown;

export function canonicalAvro(t: AvroType, external: ReadonlySet<string> = new Set()): string {
  const written = new Set<string>(external);
  return JSON.stringify(write(t, '', written));
}

function ref(full: string, ns: string): string {
  return namespaceOf(full) === ns ? shortName(full) : full;
}

function write(t: AvroType, ns: string, written: Set<string>): Json {
  switch (t.type) {
    case 'union':
      return t.branches.map((b) => write(b, ns, written));
    case 'array':
      return { type: 'array', items: write(t.items, ns, written), ...t.props };
    case 'map':
      return { type: 'map', values: write(t.values, ns, written), ...t.props };
    case 'record':
    case 'enum':
    case 'fixed': {
      if (written.has(t.name)) return ref(t.name, ns);
      written.add(t.name);
      const own = namespaceOf(t.name);
      const out: Record<string, Json> = {
        type: t.type === 'record' && t.error ? 'error' : t.type,
        name: shortName(t.name),
      };
      if (own !== ns) out.namespace = own;
      if (t.doc !== undefined) out.doc = t.doc;
      if (t.type === 'record') out.fields = t.fields.map((f) => writeField(f, own, written));
      if (t.type === 'enum') {
        out.symbols = t.symbols;
        if (t.default !== undefined) out.default = t.default;
      }
      if (t.type === 'fixed') out.size = t.size;
      if (t.aliases.length > 0) out.aliases = t.aliases.map((a) => ref(a, own));
      return { ...out, ...t.props };
    }
    default:
      return Object.keys(t.props).length === 0 ? t.type : { type: t.type, ...t.props };
  }
}

function writeField(f: AvroField, ns: string, written: Set<string>): Json {
  const out: Record<string, Json> = { name: f.name, type: write(f.type, ns, written) };
  if (f.doc !== undefined) out.doc = f.doc;
  if (f.hasDefault) out.default = f.default;
  if (f.order !== undefined && f.order !== 'ascending') out.order = f.order;
  if (f.aliases.length > 0) out.aliases = f.aliases;
  return { ...out, ...f.props };
}
