// What the Confluent AvroConverter registers for a record that Stream Reactor's AvroConverter read
// with a user's .avsc: the schema goes Avro -> Connect (AvroData.toConnectSchema) -> Avro
// (fromConnectSchema), which with AvroData's defaults
// - keeps record and field names, namespaces, record doc and field docs, and field defaults;
// - adds "connect.parameters" holding io.confluent.connect.avro.record.doc and
//   io.confluent.connect.avro.field.doc.<field> when docs exist, and "connect.name" = the full name;
// - turns ["null", T] / [T, "null"] into an optional T: ["null", T'] with "default": null unless the
//   field had a non-null default ([T', "null"] then);
// - turns an enum into a string carrying io.confluent.connect.avro.Enum parameters, and keeps a fixed
//   as fixed with connect.fixed.size.
// - turns the logical types timestamp-millis, date, time-millis and (bytes) decimal into Connect's
//   logical schemas, which come back with connect.version 1 and connect.name org.apache.kafka.connect.data.*.
// - keeps a union of several branches, each branch rewritten, "null" moved first.
// Other logical types are passed through unchanged (documented gap).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const PRIMS = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Avro logical types Connect maps to its own logical schemas (version 1), and back. */
const LOGICAL: Record<string, string> = {
  'long/timestamp-millis': 'org.apache.kafka.connect.data.Timestamp',
  'int/date': 'org.apache.kafka.connect.data.Date',
  'int/time-millis': 'org.apache.kafka.connect.data.Time',
  'bytes/decimal': 'org.apache.kafka.connect.data.Decimal',
};

function fullName(name: string, ns: string | undefined): string {
  return name.includes('.') || !ns ? name : `${ns}.${name}`;
}

export function roundTripAvroSchema(input: Json): Json {
  const named = new Map<string, Json>();
  const emitted = new Set<string>();

  const conv = (s: Json, ns: string | undefined, enclosingNs: string | undefined): Json => {
    if (typeof s === 'string') {
      if (PRIMS.has(s)) return s;
      const fn = fullName(s, ns);
      if (emitted.has(fn)) return fn;
      const def = named.get(fn);
      return def === undefined ? s : conv(def, ns, enclosingNs);
    }
    if (Array.isArray(s)) {
      const nonNull = s.filter((b) => b !== 'null');
      if (nonNull.length === 1 && s.length === 2) {
        const inner = conv(nonNull[0] as Json, ns, enclosingNs);
        return s[0] === 'null' ? ['null', inner] : [inner, 'null'];
      }
      // A general union becomes Connect's io.confluent.connect.avro.Union struct and comes back as
      // the same branches, "null" first when it was there.
      const branches = nonNull.map((b) => conv(b, ns, enclosingNs));
      return nonNull.length === s.length ? branches : ['null', ...branches];
    }
    if (s === null || typeof s !== 'object') return s;
    const t = s.type;
    if (t === 'record' || t === 'error') {
      const name = String(s.name);
      const fn = fullName(name, typeof s.namespace === 'string' ? s.namespace : ns);
      const dot = fn.lastIndexOf('.');
      const myNs = dot < 0 ? undefined : fn.slice(0, dot);
      emitted.add(fn);
      const out: Obj = { type: 'record', name: dot < 0 ? fn : fn.slice(dot + 1) };
      if (myNs !== undefined && myNs !== enclosingNs) out.namespace = myNs;
      const params: Obj = {};
      if (typeof s.doc === 'string') {
        out.doc = s.doc;
        params['io.confluent.connect.avro.record.doc'] = s.doc;
      }
      const fields = Array.isArray(s.fields) ? (s.fields as Obj[]) : [];
      out.fields = fields.map((f) => {
        const ft = conv(f.type as Json, myNs, myNs);
        const field: Obj = { name: f.name as string };
        const hasDefault = Object.hasOwn(f, 'default');
        let type = ft;
        if (Array.isArray(ft) && ft.length === 2 && ft.includes('null')) {
          const inner = ft[0] === 'null' ? ft[1] : ft[0];
          type = hasDefault && f.default !== null ? [inner as Json, 'null'] : ['null', inner as Json];
        }
        field.type = type;
        if (typeof f.doc === 'string') {
          field.doc = f.doc;
          params[`io.confluent.connect.avro.field.doc.${String(f.name)}`] = f.doc;
        }
        if (hasDefault) field.default = f.default as Json;
        else if (Array.isArray(type) && type.includes('null')) field.default = null;
        return field;
      });
      if (Object.keys(params).length > 0) out['connect.parameters'] = params;
      out['connect.name'] = fn;
      return out;
    }
    if (t === 'enum') {
      const fn = fullName(String(s.name), typeof s.namespace === 'string' ? s.namespace : ns);
      const params: Obj = { 'io.confluent.connect.avro.Enum': fn };
      for (const sym of (s.symbols as string[]) ?? []) params[`io.confluent.connect.avro.Enum.${sym}`] = sym;
      return { type: 'string', 'connect.parameters': params, 'connect.name': fn };
    }
    if (t === 'fixed') {
      const fn = fullName(String(s.name), typeof s.namespace === 'string' ? s.namespace : ns);
      emitted.add(fn);
      const dot = fn.lastIndexOf('.');
      const out: Obj = { type: 'fixed', name: dot < 0 ? fn : fn.slice(dot + 1) };
      if (dot >= 0) out.namespace = fn.slice(0, dot);
      out.size = s.size as number;
      out['connect.parameters'] = { 'connect.fixed.size': String(s.size) };
      out['connect.name'] = fn;
      return out;
    }
    if (t === 'array') return { type: 'array', items: conv(s.items as Json, ns, enclosingNs) };
    if (t === 'map') return { type: 'map', values: conv(s.values as Json, ns, enclosingNs) };
    if (typeof t === 'string' && PRIMS.has(t) && typeof s.logicalType === 'string') {
      const logical = LOGICAL[`${t}/${s.logicalType}`];
      if (logical === 'org.apache.kafka.connect.data.Decimal') {
        const scale = Number(s.scale ?? 0);
        const precision = Number(s.precision ?? 64);
        return {
          type: 'bytes',
          scale,
          precision,
          'connect.version': 1,
          'connect.parameters': { scale: String(scale), 'connect.decimal.precision': String(precision) },
          'connect.name': logical,
          logicalType: 'decimal',
        };
      }
      if (logical) return { type: t, 'connect.version': 1, 'connect.name': logical, logicalType: s.logicalType };
    }
    if (typeof t === 'string' && PRIMS.has(t) && Object.keys(s).length === 1) return t;
    return s;
  };

  // Collect named types first so references resolve.
  const collect = (s: Json, ns: string | undefined) => {
    if (Array.isArray(s)) {
      for (const b of s) collect(b, ns);
      return;
    }
    if (s === null || typeof s !== 'object') return;
    if (s.type === 'record' || s.type === 'error' || s.type === 'enum' || s.type === 'fixed') {
      const fn = fullName(String(s.name), typeof s.namespace === 'string' ? s.namespace : ns);
      named.set(fn, s);
      const dot = fn.lastIndexOf('.');
      const myNs = dot < 0 ? undefined : fn.slice(0, dot);
      if (Array.isArray(s.fields)) for (const f of s.fields as Obj[]) collect(f.type as Json, myNs);
    }
    if (s.type === 'array') collect(s.items as Json, ns);
    if (s.type === 'map') collect(s.values as Json, ns);
  };
  collect(input, undefined);
  return conv(input, undefined, undefined);
}
