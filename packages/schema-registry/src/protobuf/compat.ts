// Protobuf compatibility, following the rules of Confluent Schema Registry's Protobuf provider
// (its SchemaDiff: the difference types and which of them are compatible). `diffProtobuf(original,
// update)` answers "can `update` read what `original` wrote" (BACKWARD passes old, new; FORWARD
// new, old). Fields are matched by number, messages and enums by name.
// Compatible: MESSAGE_ADDED, ENUM_ADDED/REMOVED, ENUM_CONST_ADDED/CHANGED/REMOVED, FIELD_ADDED,
// FIELD_REMOVED, FIELD_NAME_CHANGED, string <-> bytes, ONEOF_ADDED/REMOVED, ONEOF_FIELD_ADDED, and
// scalar changes within one wire group (int32/int64/uint32/uint64/bool/enum; sint32/sint64;
// string/bytes; fixed32/sfixed32; fixed64/sfixed64).
// Incompatible (reported): PACKAGE_CHANGED, MESSAGE_REMOVED, FIELD_KIND_CHANGED (scalar, message and
// map do not mix), FIELD_SCALAR_KIND_CHANGED (another wire group), FIELD_NAMED_TYPE_CHANGED (another
// message type, or the same one changed incompatibly), REQUIRED_FIELD_ADDED/REMOVED (proto2),
// ONEOF_FIELD_REMOVED, MULTIPLE_FIELDS_MOVED_TO_ONEOF, FIELD_MOVED_TO_EXISTING_ONEOF.
// A changed field number reads as one field removed and another added, which Confluent accepts.

import protobuf from 'protobufjs';
import type { ParsedProto } from './schema.ts';

export interface ProtoDifference {
  type: string;
  path: string;
}

interface Ctx {
  out: ProtoDifference[];
  seen: Set<string>;
}

const SCALAR_GROUP: Record<string, string> = {
  int32: 'GENERAL_NUMBER',
  int64: 'GENERAL_NUMBER',
  uint32: 'GENERAL_NUMBER',
  uint64: 'GENERAL_NUMBER',
  bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER',
  sint64: 'SIGNED_NUMBER',
  string: 'STRING_OR_BYTES',
  bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32',
  sfixed32: 'FIXED32',
  fixed64: 'FIXED64',
  sfixed64: 'FIXED64',
  float: 'FLOAT',
  double: 'DOUBLE',
};

export function diffProtobuf(original: ParsedProto, update: ParsedProto): ProtoDifference[] {
  const ctx: Ctx = { out: [], seen: new Set() };
  if (original.packageName !== update.packageName) ctx.out.push({ type: 'PACKAGE_CHANGED', path: '#/' });
  const types = (p: ParsedProto) =>
    p.topLevel.map((n) => p.root.lookup(n)).filter((t): t is protobuf.ReflectionObject => t !== null);
  compareTypeLists(ctx, types(original), types(update), '#/');
  return ctx.out;
}

function compareTypeLists(
  ctx: Ctx,
  original: protobuf.ReflectionObject[],
  update: protobuf.ReflectionObject[],
  prefix: string,
): void {
  const messages = (list: protobuf.ReflectionObject[]) =>
    new Map(list.filter((t): t is protobuf.Type => t instanceof protobuf.Type).map((t) => [t.name, t]));
  const o = messages(original);
  const u = messages(update);
  for (const [name, om] of o) {
    const um = u.get(name);
    if (!um) ctx.out.push({ type: 'MESSAGE_REMOVED', path: `${prefix}${name}` });
    else compareMessage(ctx, om, um, `${prefix}${name}`);
  }
  // enums: every change Confluent distinguishes (added, removed, constants) is compatible
}

/** Oneofs written in the file; proto3 `optional` makes a synthetic one that is not. */
const realOneofs = (t: protobuf.Type) =>
  t.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0]?.options?.proto3_optional));

function compareMessage(ctx: Ctx, original: protobuf.Type, update: protobuf.Type, path: string): void {
  const key = `${original.fullName}\u0000${update.fullName}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);

  const oOneofs = realOneofs(original);
  const uOneofs = realOneofs(update);
  const inOneof = (list: protobuf.OneOf[]) => new Map(list.flatMap((o) => o.fieldsArray.map((f) => [f.id, o.name])));
  const oTagToOneof = inOneof(oOneofs);
  const uTagToOneof = inOneof(uOneofs);
  const plain = (t: protobuf.Type, oneofTags: Map<number, string>) =>
    new Map(t.fieldsArray.filter((f) => !oneofTags.has(f.id)).map((f) => [f.id, f]));
  const oByTag = plain(original, oTagToOneof);
  const uByTag = plain(update, uTagToOneof);
  const oAll = new Map(original.fieldsArray.map((f) => [f.id, f]));
  const uAll = new Map(update.fieldsArray.map((f) => [f.id, f]));

  for (const oneof of uOneofs) {
    let moved = 0;
    let existing = 0;
    for (const f of oneof.fieldsArray) {
      if (oByTag.delete(f.id)) moved++;
      else if (oTagToOneof.has(f.id)) existing++;
    }
    if (moved > 1) ctx.out.push({ type: 'MULTIPLE_FIELDS_MOVED_TO_ONEOF', path: `${path}/${oneof.name}` });
    else if (moved === 1 && existing > 0)
      ctx.out.push({ type: 'FIELD_MOVED_TO_EXISTING_ONEOF', path: `${path}/${oneof.name}` });
  }

  const uOneofByName = new Map(uOneofs.map((o) => [o.name, o]));
  for (const oo of oOneofs) {
    const uo = uOneofByName.get(oo.name);
    if (!uo) continue; // ONEOF_REMOVED: compatible
    const uMembers = new Map(uo.fieldsArray.map((f) => [f.id, f]));
    for (const of of oo.fieldsArray) {
      const uf = uMembers.get(of.id);
      const at = `${path}/${oo.name}/${of.id}`;
      if (!uf) ctx.out.push({ type: 'ONEOF_FIELD_REMOVED', path: at });
      else compareField(ctx, of, uf, at);
    }
  }

  for (const [tag, of] of oByTag) {
    const uf = uByTag.get(tag);
    if (!uf) {
      if (of.required) ctx.out.push({ type: 'REQUIRED_FIELD_REMOVED', path: `${path}/${tag}` });
    } else compareField(ctx, of, uf, `${path}/${tag}`);
  }
  for (const [tag, uf] of uByTag)
    if (!oByTag.has(tag) && uf.required) ctx.out.push({ type: 'REQUIRED_FIELD_ADDED', path: `${path}/${tag}` });

  // fields whose oneof membership changed are compared by number too
  for (const [tag, of] of [...oAll].sort((a, b) => a[0] - b[0])) {
    const uf = uAll.get(tag);
    if (!uf) continue;
    const a = oTagToOneof.get(tag);
    const b = uTagToOneof.get(tag);
    if ((a === undefined && b === undefined) || (a !== undefined && a === b)) continue;
    compareField(ctx, of, uf, `${path}/${tag}`);
  }

  compareTypeLists(ctx, original.nestedArray, update.nestedArray, `${path}/`);
}

type FieldType =
  | { kind: 'SCALAR'; group: string }
  | { kind: 'MESSAGE'; type: protobuf.Type }
  | { kind: 'MAP'; key: FieldType; value: FieldType };

function typeOf(name: string, resolved: protobuf.Type | protobuf.Enum | null): FieldType {
  if (resolved instanceof protobuf.Enum) return { kind: 'SCALAR', group: 'GENERAL_NUMBER' };
  if (resolved instanceof protobuf.Type) return { kind: 'MESSAGE', type: resolved };
  return { kind: 'SCALAR', group: SCALAR_GROUP[name] ?? name };
}

function fieldType(f: protobuf.Field): FieldType {
  const value = typeOf(f.type, f.resolvedType);
  if (f instanceof protobuf.MapField) return { kind: 'MAP', key: typeOf(f.keyType, null), value };
  return value;
}

/** A message's name without its package: Outer.Inner for a nested one. */
function localName(t: protobuf.Type): string {
  const parts = [t.name];
  for (let p = t.parent; p instanceof protobuf.Type; p = p.parent) parts.unshift(p.name);
  return parts.join('.');
}

function compareField(ctx: Ctx, original: protobuf.Field, update: protobuf.Field, path: string): void {
  compareTypes(ctx, fieldType(original), fieldType(update), path);
}

function compareTypes(ctx: Ctx, o: FieldType, u: FieldType, path: string): void {
  if (o.kind !== u.kind) {
    ctx.out.push({ type: 'FIELD_KIND_CHANGED', path });
    return;
  }
  if (o.kind === 'SCALAR' && u.kind === 'SCALAR') {
    if (o.group !== u.group) ctx.out.push({ type: 'FIELD_SCALAR_KIND_CHANGED', path });
  } else if (o.kind === 'MAP' && u.kind === 'MAP') {
    compareTypes(ctx, o.key, u.key, path);
    compareTypes(ctx, o.value, u.value, path);
  } else if (o.kind === 'MESSAGE' && u.kind === 'MESSAGE') {
    if (localName(o.type) !== localName(u.type)) {
      ctx.out.push({ type: 'FIELD_NAMED_TYPE_CHANGED', path });
      return;
    }
    const sub: Ctx = { out: [], seen: ctx.seen };
    compareMessage(sub, o.type, u.type, `#/${localName(o.type)}`);
    if (sub.out.length > 0) ctx.out.push(...sub.out, { type: 'FIELD_NAMED_TYPE_CHANGED', path });
  }
}
