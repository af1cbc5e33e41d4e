// JSON Schema compatibility, following the rules of Confluent Schema Registry's JSON Schema provider
// (its SchemaDiff: difference types, and which are compatible). `diffJsonSchema(original, update)`
// answers "does `update` accept everything `original` accepted" (BACKWARD passes old, new; FORWARD
// new, old) and returns the incompatible differences only.
// Model: each (sub)schema is classified as Confluent's loader does: true/{} (accepts anything),
// false, a $ref (followed: local "#/..." pointers and references by name), a combination (allOf,
// anyOf, oneOf; a list of types is an anyOf), not, enum, const, or one of the typed schemas
// object, array, string, number (integer is a narrowed number), boolean, null.
// Rules in brief: a type may only widen (integer -> number, X -> anyOf[X, ...]); limits may only
// loosen (maxLength up, minimum down, pattern removed, ...); enums may only grow; in objects the
// content model decides: adding a property to an open model (additionalProperties not false and
// no patternProperties) is incompatible unless its schema is {}, removing one from an open model
// is compatible; with a closed model it is the other way round; a property becoming required is
// incompatible unless it has a default.

import type { JsonDoc, ParsedJsonSchema } from './schema.ts';

export interface JsonDifference {
  type: string;
  path: string;
}

const COMPATIBLE = new Set([
  'ID_CHANGED',
  'DESCRIPTION_CHANGED',
  'TITLE_CHANGED',
  'DEFAULT_CHANGED',
  'SCHEMA_REMOVED',
  'TYPE_EXTENDED',
  'MAX_LENGTH_INCREASED',
  'MAX_LENGTH_REMOVED',
  'MIN_LENGTH_DECREASED',
  'MIN_LENGTH_REMOVED',
  'PATTERN_REMOVED',
  'MAXIMUM_INCREASED',
  'MAXIMUM_REMOVED',
  'MINIMUM_DECREASED',
  'MINIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED',
  'EXCLUSIVE_MAXIMUM_REMOVED',
  'EXCLUSIVE_MINIMUM_DECREASED',
  'EXCLUSIVE_MINIMUM_REMOVED',
  'MULTIPLE_OF_REDUCED',
  'MULTIPLE_OF_REMOVED',
  'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
  'REQUIRED_ATTRIBUTE_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED',
  'DEPENDENCY_ARRAY_REMOVED',
  'DEPENDENCY_SCHEMA_REMOVED',
  'MAX_PROPERTIES_INCREASED',
  'MAX_PROPERTIES_REMOVED',
  'MIN_PROPERTIES_DECREASED',
  'MIN_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_ADDED',
  'ADDITIONAL_PROPERTIES_EXTENDED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'MAX_ITEMS_INCREASED',
  'MAX_ITEMS_REMOVED',
  'MIN_ITEMS_DECREASED',
  'MIN_ITEMS_REMOVED',
  'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_EXTENDED',
  'COMBINED_TYPE_EXTENDED',
  'PRODUCT_TYPE_NARROWED',
  'SUM_TYPE_EXTENDED',
  'NOT_TYPE_NARROWED',
]);

type Obj = Record<string, unknown>;
type Node =
  | { kind: 'empty' }
  | { kind: 'false' }
  | { kind: 'combined'; criterion: 'allOf' | 'anyOf' | 'oneOf'; subs: Node[] }
  | { kind: 'not'; not: Node }
  | { kind: 'enum'; values: unknown[] }
  | { kind: 'const'; value: unknown }
  | { kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null'; s: Obj; integer: boolean };

const TYPE_KEYWORDS: Record<string, string[]> = {
  object: [
    'properties',
    'required',
    'additionalProperties',
    'patternProperties',
    'minProperties',
    'maxProperties',
    'dependencies',
    'dependentRequired',
    'dependentSchemas',
    'propertyNames',
  ],
  array: ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'],
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
};

class Resolver {
  constructor(
    private readonly root: JsonDoc,
    private readonly refs: Map<string, JsonDoc>,
  ) {}

  private pointer(doc: JsonDoc, fragment: string): unknown {
    let at: unknown = doc;
    for (const raw of fragment.split('/').filter((p) => p !== '')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      at = at !== null && typeof at === 'object' ? (at as Obj)[key] : undefined;
    }
    return at;
  }

  /** The schema a $ref names, or undefined when it cannot be followed. */
  follow(ref: string, from: JsonDoc): { node: unknown; doc: JsonDoc } | undefined {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    let doc: JsonDoc | undefined = from;
    if (base !== '') {
      doc = this.refs.get(base);
      if (!doc && typeof this.root === 'object' && this.root.$id === base) doc = this.root;
      if (!doc) for (const [name, d] of this.refs) if (base.endsWith(`/${name}`)) doc = d;
    }
    if (doc === undefined) return undefined;
    const node = this.pointer(doc, fragment);
    return node === undefined ? undefined : { node, doc };
  }
}

interface Side {
  resolver: Resolver;
}

function classify(raw: unknown, side: Side, doc: JsonDoc, depth = 0): { node: Node; doc: JsonDoc } {
  if (raw === true || raw === undefined) return { node: { kind: 'empty' }, doc };
  if (raw === false) return { node: { kind: 'false' }, doc };
  const s = raw as Obj;
  if (typeof s.$ref === 'string' && depth < 64) {
    const target = side.resolver.follow(s.$ref, doc);
    if (target) return classify(target.node, side, target.doc, depth + 1);
  }
  for (const c of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (!Array.isArray(s[c])) continue;
    const { [c]: list, ...rest } = s;
    const subs = (list as unknown[]).map((x) => classify(x, side, doc, depth + 1).node);
    const restNode = classify(rest, side, doc, depth + 1).node;
    if (restNode.kind === 'empty') return { node: { kind: 'combined', criterion: c, subs }, doc };
    return {
      node: { kind: 'combined', criterion: 'allOf', subs: [restNode, { kind: 'combined', criterion: c, subs }] },
      doc,
    };
  }
  if (s.not !== undefined) return { node: { kind: 'not', not: classify(s.not, side, doc, depth + 1).node }, doc };
  if (Array.isArray(s.enum)) return { node: { kind: 'enum', values: s.enum }, doc };
  if ('const' in s) return { node: { kind: 'const', value: s.const }, doc };
  if (Array.isArray(s.type)) {
    if (s.type.length === 1) return classify({ ...s, type: s.type[0] }, side, doc, depth + 1);
    const subs = s.type.map((t) => classify({ ...s, type: t }, side, doc, depth + 1).node);
    return { node: { kind: 'combined', criterion: 'anyOf', subs }, doc };
  }
  const t = typeof s.type === 'string' ? s.type : undefined;
  if (t === 'integer' || t === 'number') return { node: { kind: 'number', s, integer: t === 'integer' }, doc };
  if (t === 'object' || t === 'array' || t === 'string' || t === 'boolean' || t === 'null')
    return { node: { kind: t, s, integer: false }, doc };
  for (const [kind, keys] of Object.entries(TYPE_KEYWORDS))
    if (keys.some((k) => k in s)) return { node: { kind: kind as 'object', s, integer: false }, doc };
  return { node: { kind: 'empty' }, doc };
}

class Ctx {
  out: JsonDifference[] = [];
  constructor(
    readonly o: Side,
    readonly u: Side,
    readonly seen: Set<string>,
  ) {}
  add(type: string, path: string): void {
    if (!COMPATIBLE.has(type)) this.out.push({ type, path });
  }
  sub(): Ctx {
    return new Ctx(this.o, this.u, this.seen);
  }
  get compatible(): boolean {
    return this.out.length === 0;
  }
}

export function diffJsonSchema(original: ParsedJsonSchema, update: ParsedJsonSchema): JsonDifference[] {
  const o: Side = { resolver: new Resolver(original.doc, original.refs) };
  const u: Side = { resolver: new Resolver(update.doc, update.refs) };
  const ctx = new Ctx(o, u, new Set());
  compare(ctx, original.doc, original.doc, update.doc, update.doc, '#');
  return ctx.out;
}

// Nodes are compared through their raw schemas so $refs are followed lazily (recursive schemas).
type Raw = unknown;

const ids = new WeakMap<object, number>();
let nextId = 1;
const idOf = (x: unknown): string => {
  if (x === null || typeof x !== 'object') return String(x);
  let id = ids.get(x);
  if (id === undefined) ids.set(x, (id = nextId++));
  return `#${id}`;
};

/** Follows a chain of $refs to the schema they name. */
function deref(raw: Raw, side: Side, doc: JsonDoc): { raw: Raw; doc: JsonDoc } {
  for (let i = 0; i < 64; i++) {
    const ref = raw !== null && typeof raw === 'object' ? (raw as Obj).$ref : undefined;
    if (typeof ref !== 'string') break;
    const target = side.resolver.follow(ref, doc);
    if (!target) break;
    raw = target.node;
    doc = target.doc;
  }
  return { raw, doc };
}

function compare(ctx: Ctx, oRaw: Raw, oDoc: JsonDoc, uRaw: Raw, uDoc: JsonDoc, path: string): void {
  if (oRaw === undefined && uRaw === undefined) return;
  if (oRaw === undefined) {
    ctx.add('SCHEMA_ADDED', path);
    return;
  }
  if (uRaw === undefined) {
    ctx.add('SCHEMA_REMOVED', path);
    return;
  }
  const od = deref(oRaw, ctx.o, oDoc);
  const ud = deref(uRaw, ctx.u, uDoc);
  // a pair already under comparison (a recursive $ref) is assumed compatible, as with Avro
  const key = `${idOf(od.raw)}|${idOf(ud.raw)}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  const oc = classify(od.raw, ctx.o, od.doc);
  const uc = classify(ud.raw, ctx.u, ud.doc);
  compareNodes(ctx, oc.node, oc.doc, uc.node, uc.doc, path);
  ctx.seen.delete(key);
}

function compareNodes(ctx: Ctx, o: Node, oDoc: JsonDoc, u: Node, uDoc: JsonDoc, path: string): void {
  if (o.kind !== 'combined' && u.kind === 'combined') {
    if (u.subs.length === 1) {
      const sub = ctx.sub();
      compareNodes(sub, o, oDoc, u.subs[0] as Node, uDoc, path);
      if (sub.compatible) return;
    } else if (u.criterion === 'anyOf' || u.criterion === 'oneOf') {
      for (const branch of u.subs) {
        const sub = ctx.sub();
        compareNodes(sub, o, oDoc, branch, uDoc, path);
        if (sub.compatible) {
          ctx.add('SUM_TYPE_EXTENDED', path);
          return;
        }
      }
    }
  } else if (o.kind === 'combined' && u.kind !== 'combined' && o.subs.length === 1) {
    const sub = ctx.sub();
    compareNodes(sub, o.subs[0] as Node, oDoc, u, uDoc, path);
    if (sub.compatible) return;
  }
  if (o.kind !== u.kind) {
    if (o.kind === 'false' || u.kind === 'empty') return;
    ctx.add('TYPE_CHANGED', path);
    return;
  }
  switch (o.kind) {
    case 'combined': {
      compareCombined(ctx, o, oDoc, u as typeof o, uDoc, path);
      return;
    }
    case 'not': {
      const sub = ctx.sub();
      compareNodes(sub, (u as typeof o).not, uDoc, o.not, oDoc, `${path}/not`);
      ctx.add(sub.compatible ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED', path);
      return;
    }
    case 'enum': {
      const had = new Set(o.values.map((v) => JSON.stringify(v)));
      const has = new Set((u as typeof o).values.map((v) => JSON.stringify(v)));
      if ([...had].every((v) => has.has(v))) {
        if (had.size !== has.size) ctx.add('ENUM_ARRAY_EXTENDED', path);
        return;
      }
      ctx.add([...has].every((v) => had.has(v)) ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED', path);
      return;
    }
    case 'const':
      if (JSON.stringify(o.value) !== JSON.stringify((u as typeof o).value)) ctx.add('ENUM_ARRAY_CHANGED', path);
      return;
    case 'string': {
      compareString(ctx, o.s, (u as typeof o).s, path);
      return;
    }
    case 'number': {
      compareNumber(ctx, o, u as typeof o, path);
      return;
    }
    case 'object': {
      compareObject(ctx, o.s, oDoc, (u as typeof o).s, uDoc, path);
      return;
    }
    case 'array': {
      compareArray(ctx, o.s, oDoc, (u as typeof o).s, uDoc, path);
      return;
    }
    default:
      return;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** A numeric keyword: added, removed, increased or decreased (COMPATIBLE says which is fine). */
function limit(ctx: Ctx, name: string, o: unknown, u: unknown, path: string, label: string): void {
  const a = num(o);
  const b = num(u);
  if (a === b) return;
  if (a === undefined) {
    ctx.add(`${label}_ADDED`, `${path}/${name}`);
    return;
  }
  if (b === undefined) {
    ctx.add(`${label}_REMOVED`, `${path}/${name}`);
    return;
  }
  ctx.add(b > a ? `${label}_INCREASED` : `${label}_DECREASED`, `${path}/${name}`);
}

function compareString(ctx: Ctx, o: Obj, u: Obj, path: string): void {
  limit(ctx, 'maxLength', o.maxLength, u.maxLength, path, 'MAX_LENGTH');
  limit(ctx, 'minLength', o.minLength, u.minLength, path, 'MIN_LENGTH');
  if (o.pattern !== u.pattern) {
    if (o.pattern === undefined) ctx.add('PATTERN_ADDED', `${path}/pattern`);
    else if (u.pattern === undefined) ctx.add('PATTERN_REMOVED', `${path}/pattern`);
    else ctx.add('PATTERN_CHANGED', `${path}/pattern`);
  }
}

/** draft-04 writes exclusive limits as booleans beside minimum/maximum; later drafts as numbers. */
function exclusive(s: Obj, which: 'Minimum' | 'Maximum'): number | undefined {
  const v = s[`exclusive${which}`];
  if (typeof v === 'number') return v;
  if (v === true) return num(s[which.toLowerCase()]);
  return undefined;
}

function compareNumber(ctx: Ctx, o: Node & { s: Obj; integer: boolean }, u: typeof o, path: string): void {
  const inclusive = (s: Obj, k: 'minimum' | 'maximum') =>
    s[`exclusive${k === 'minimum' ? 'Minimum' : 'Maximum'}`] === true ? undefined : s[k];
  limit(ctx, 'maximum', inclusive(o.s, 'maximum'), inclusive(u.s, 'maximum'), path, 'MAXIMUM');
  limit(ctx, 'minimum', inclusive(o.s, 'minimum'), inclusive(u.s, 'minimum'), path, 'MINIMUM');
  limit(ctx, 'exclusiveMaximum', exclusive(o.s, 'Maximum'), exclusive(u.s, 'Maximum'), path, 'EXCLUSIVE_MAXIMUM');
  limit(ctx, 'exclusiveMinimum', exclusive(o.s, 'Minimum'), exclusive(u.s, 'Minimum'), path, 'EXCLUSIVE_MINIMUM');
  const a = num(o.s.multipleOf);
  const b = num(u.s.multipleOf);
  if (a !== b) {
    if (a === undefined) ctx.add('MULTIPLE_OF_ADDED', `${path}/multipleOf`);
    else if (b === undefined) ctx.add('MULTIPLE_OF_REMOVED', `${path}/multipleOf`);
    else if (b % a === 0) ctx.add('MULTIPLE_OF_EXPANDED', `${path}/multipleOf`);
    else if (a % b === 0) ctx.add('MULTIPLE_OF_REDUCED', `${path}/multipleOf`);
    else ctx.add('MULTIPLE_OF_CHANGED', `${path}/multipleOf`);
  }
  if (o.integer !== u.integer) ctx.add(o.integer ? 'TYPE_EXTENDED' : 'TYPE_NARROWED', path);
}

const props = (s: Obj): Obj => (s.properties && typeof s.properties === 'object' ? (s.properties as Obj) : {});
const requiredOf = (s: Obj): Set<string> => new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
const patterns = (s: Obj): Obj =>
  s.patternProperties && typeof s.patternProperties === 'object' ? (s.patternProperties as Obj) : {};
const permitsAdditional = (s: Obj) => s.additionalProperties !== false;
const additionalSchema = (s: Obj): unknown =>
  s.additionalProperties !== null && typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
const isOpen = (s: Obj) =>
  Object.keys(patterns(s)).length === 0 && additionalSchema(s) === undefined && permitsAdditional(s);
const hasDefault = (x: unknown) => x !== null && typeof x === 'object' && 'default' in x;
const isEmptySchema = (x: unknown) =>
  x === true || (x !== null && typeof x === 'object' && Object.keys(x).length === 0);

function partial(s: Obj, key: string): unknown {
  for (const [p, schema] of Object.entries(patterns(s))) {
    try {
      if (new RegExp(p, 'u').test(key)) return schema;
    } catch {
      // an invalid pattern covers nothing
    }
  }
  return additionalSchema(s);
}

function compareObject(ctx: Ctx, o: Obj, oDoc: JsonDoc, u: Obj, uDoc: JsonDoc, path: string): void {
  const op = props(o);
  const up = props(u);
  const oReq = requiredOf(o);
  const uReq = requiredOf(u);
  for (const k of Object.keys(op)) {
    if (!(k in up)) continue;
    if (oReq.has(k) && !uReq.has(k)) ctx.add('REQUIRED_ATTRIBUTE_REMOVED', `${path}/required/${k}`);
    else if (!oReq.has(k) && uReq.has(k))
      ctx.add(
        hasDefault(up[k]) ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED',
        `${path}/required/${k}`,
      );
  }
  for (const k of new Set([...Object.keys(op), ...Object.keys(up)])) {
    const at = `${path}/properties/${k}`;
    if (!(k in up)) {
      if (isOpen(u)) ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', at);
      else {
        const cover = partial(u, k);
        if (cover !== undefined) {
          const sub = ctx.sub();
          compare(sub, op[k], oDoc, cover, uDoc, at);
          ctx.out.push(...sub.out);
          ctx.add(
            sub.compatible
              ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
              : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
            at,
          );
        } else
          ctx.add(
            op[k] === false
              ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
              : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
            at,
          );
      }
    } else if (!(k in op)) {
      if (isOpen(o)) {
        ctx.add(
          isEmptySchema(up[k])
            ? 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
            : 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
          at,
        );
      } else {
        const cover = partial(o, k);
        if (cover !== undefined) {
          const sub = ctx.sub();
          compare(sub, cover, oDoc, up[k], uDoc, at);
          ctx.out.push(...sub.out);
          ctx.add(
            sub.compatible
              ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
              : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
            at,
          );
        }
        if (uReq.has(k))
          ctx.add(
            hasDefault(up[k])
              ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL'
              : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
            at,
          );
      }
    } else compare(ctx, op[k], oDoc, up[k], uDoc, at);
  }
  compareDependencies(ctx, o, oDoc, u, uDoc, path);
  const ap = `${path}/additionalProperties`;
  if (permitsAdditional(o) !== permitsAdditional(u))
    ctx.add(permitsAdditional(u) ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED', ap);
  else if (additionalSchema(o) === undefined && additionalSchema(u) !== undefined)
    ctx.add('ADDITIONAL_PROPERTIES_NARROWED', ap);
  else if (additionalSchema(u) === undefined && additionalSchema(o) !== undefined)
    ctx.add('ADDITIONAL_PROPERTIES_EXTENDED', ap);
  else compare(ctx, additionalSchema(o), oDoc, additionalSchema(u), uDoc, ap);
  limit(ctx, 'maxProperties', o.maxProperties, u.maxProperties, path, 'MAX_PROPERTIES');
  limit(ctx, 'minProperties', o.minProperties, u.minProperties, path, 'MIN_PROPERTIES');
}

function compareDependencies(ctx: Ctx, o: Obj, oDoc: JsonDoc, u: Obj, uDoc: JsonDoc, path: string): void {
  const split = (s: Obj) => {
    const arrays = new Map<string, string[]>();
    const schemas = new Map<string, unknown>();
    for (const source of [s.dependencies, s.dependentRequired, s.dependentSchemas])
      if (source && typeof source === 'object')
        for (const [k, v] of Object.entries(source)) {
          if (Array.isArray(v)) arrays.set(k, v as string[]);
          else schemas.set(k, v);
        }
    return { arrays, schemas };
  };
  const a = split(o);
  const b = split(u);
  for (const k of new Set([...a.arrays.keys(), ...b.arrays.keys()])) {
    const at = `${path}/dependencies/${k}`;
    const x = a.arrays.get(k);
    const y = b.arrays.get(k);
    if (!y) ctx.add('DEPENDENCY_ARRAY_REMOVED', at);
    else if (!x) ctx.add('DEPENDENCY_ARRAY_ADDED', at);
    else {
      const xs = new Set(x);
      const ys = new Set(y);
      if (xs.size === ys.size && x.every((v) => ys.has(v))) continue;
      if (x.every((v) => ys.has(v))) ctx.add('DEPENDENCY_ARRAY_EXTENDED', at);
      else if (y.every((v) => xs.has(v))) ctx.add('DEPENDENCY_ARRAY_NARROWED', at);
      else ctx.add('DEPENDENCY_ARRAY_CHANGED', at);
    }
  }
  for (const k of new Set([...a.schemas.keys(), ...b.schemas.keys()])) {
    const at = `${path}/dependencies/${k}`;
    if (!b.schemas.has(k)) ctx.add('DEPENDENCY_SCHEMA_REMOVED', at);
    else if (!a.schemas.has(k)) ctx.add('DEPENDENCY_SCHEMA_ADDED', at);
    else compare(ctx, a.schemas.get(k), oDoc, b.schemas.get(k), uDoc, at);
  }
}

/** Array keywords across drafts: a single `items` schema, or tuple items plus what follows them. */
function arrayParts(s: Obj): { all: unknown; tuple: unknown[]; permits: boolean; rest: unknown } {
  if (Array.isArray(s.prefixItems)) {
    const rest = s.items;
    return {
      all: undefined,
      tuple: s.prefixItems,
      permits: rest !== false,
      rest: rest !== null && typeof rest === 'object' ? rest : undefined,
    };
  }
  if (Array.isArray(s.items)) {
    const rest = s.additionalItems;
    return {
      all: undefined,
      tuple: s.items,
      permits: rest !== false,
      rest: rest !== null && typeof rest === 'object' ? rest : undefined,
    };
  }
  return { all: s.items, tuple: [], permits: true, rest: undefined };
}

function compareArray(ctx: Ctx, o: Obj, oDoc: JsonDoc, u: Obj, uDoc: JsonDoc, path: string): void {
  const a = arrayParts(o);
  const b = arrayParts(u);
  compare(ctx, a.all, oDoc, b.all, uDoc, `${path}/items`);
  const open = (p: typeof a) => p.permits && p.rest === undefined;
  const n = Math.min(a.tuple.length, b.tuple.length);
  for (let i = 0; i < n; i++) compare(ctx, a.tuple[i], oDoc, b.tuple[i], uDoc, `${path}/items/${i}`);
  for (let i = n; i < a.tuple.length; i++) {
    const at = `${path}/items/${i}`;
    if (open(b)) ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', at);
    else if (b.rest !== undefined) {
      const sub = ctx.sub();
      compare(sub, a.tuple[i], oDoc, b.rest, uDoc, at);
      ctx.out.push(...sub.out);
      ctx.add(
        sub.compatible
          ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
          : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        at,
      );
    } else
      ctx.add(
        a.tuple[i] === false
          ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
          : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
        at,
      );
  }
  for (let i = n; i < b.tuple.length; i++) {
    const at = `${path}/items/${i}`;
    if (open(a))
      ctx.add(
        isEmptySchema(b.tuple[i])
          ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
          : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
        at,
      );
    else if (a.rest !== undefined) {
      const sub = ctx.sub();
      compare(sub, a.rest, oDoc, b.tuple[i], uDoc, at);
      ctx.out.push(...sub.out);
      ctx.add(
        sub.compatible
          ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
          : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        at,
      );
    } else ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', at);
  }
  const at = `${path}/additionalItems`;
  if (a.permits !== b.permits) ctx.add(a.permits ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED', at);
  else if (a.rest === undefined && b.rest !== undefined) ctx.add('ADDITIONAL_ITEMS_NARROWED', at);
  else if (b.rest === undefined && a.rest !== undefined) ctx.add('ADDITIONAL_ITEMS_EXTENDED', at);
  else compare(ctx, a.rest, oDoc, b.rest, uDoc, at);
  limit(ctx, 'maxItems', o.maxItems, u.maxItems, path, 'MAX_ITEMS');
  limit(ctx, 'minItems', o.minItems, u.minItems, path, 'MIN_ITEMS');
  if ((o.uniqueItems === true) !== (u.uniqueItems === true))
    ctx.add(o.uniqueItems === true ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', `${path}/uniqueItems`);
}

function compareCombined(
  ctx: Ctx,
  o: Node & { kind: 'combined' },
  oDoc: JsonDoc,
  u: Node & { kind: 'combined' },
  uDoc: JsonDoc,
  path: string,
): void {
  if (o.criterion !== u.criterion) {
    const extended =
      u.criterion === 'anyOf' ||
      (u.criterion === 'oneOf' && o.subs.length === 1) ||
      (u.criterion === 'allOf' && o.subs.length === 1 && u.subs.length === 1);
    if (!extended) {
      ctx.add('COMBINED_TYPE_CHANGED', path);
      return;
    }
    ctx.add('COMBINED_TYPE_EXTENDED', path);
  }
  if (o.subs.length < u.subs.length)
    ctx.add(u.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED', path);
  else if (o.subs.length > u.subs.length)
    ctx.add(u.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED', path);
  // which original branch can each updated branch stand in for: a maximum bipartite matching
  const edges: number[][] = o.subs.map((ob, i) =>
    u.subs.flatMap((ub, j) => {
      const sub = ctx.sub();
      compareNodes(sub, ob, oDoc, ub, uDoc, `${path}/${o.criterion}/${i}`);
      return sub.compatible ? [j] : [];
    }),
  );
  const matchOfU = new Array<number>(u.subs.length).fill(-1);
  const augment = (i: number, visited: Set<number>): boolean => {
    for (const j of edges[i] ?? []) {
      if (visited.has(j)) continue;
      visited.add(j);
      if ((matchOfU[j] as number) < 0 || augment(matchOfU[j] as number, visited)) {
        matchOfU[j] = i;
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let i = 0; i < o.subs.length; i++) if (augment(i, new Set())) matched++;
  if (matched < Math.min(o.subs.length, u.subs.length)) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED', path);
}
