// Protobuf schemas: parsed with protobufjs (the .proto parser kafkajs' and most Node Confluent
// clients use), checked, and printed back in one canonical layout for identity.
// - Parse errors (bad syntax) and unresolved types are invalid schemas (42201), as with Confluent.
// - Every `import` must be satisfied by a reference whose `name` is the import path, as Confluent
//   requires; google/protobuf/*.proto well-known types that protobufjs ships need none.
// - Canonical text: syntax, package, imports, options, then types in declaration order, two-space
//   indent, comments dropped, fields as `label type name = number [options];`. Formatting and
//   comments therefore do not change identity; order and content do (Confluent's printer, Wire's
//   ProtoFileElement.toSchema(), behaves alike).
// Not printed: services and extensions are kept only as far as protobufjs models them (services
// with their methods; `extend` blocks are folded into fields of the extended message by protobufjs
// and printed there).

import protobuf from 'protobufjs';
import { protoTextFromDescriptor } from './descriptor.ts';

export class ProtobufSchemaError extends Error {
  override name = 'ProtobufSchemaError';
}

export interface ParsedProto {
  /** The root holding this file's and its references' types, resolved. */
  root: protobuf.Root;
  /** Full names (no leading dot) of the top-level messages and enums of this file, in order. */
  topLevel: string[];
  packageName: string;
  /** The files this one imports, as written. */
  imports: string[];
  syntax: string | null;
  canonical: string;
}

/** A referenced .proto file: the import path it satisfies and its text. */
export interface ProtoImport {
  name: string;
  schema: string;
}

const common = protobuf.common as unknown as { get(path: string): protobuf.INamespace | null };
const WELL_KNOWN = new Set(Object.keys(protobuf.common).filter((k) => k.endsWith('.proto')));

function syntaxOf(text: string): string | null {
  const m = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*syntax\s*=\s*["'](proto2|proto3)["']/.exec(text);
  return m ? (m[1] ?? null) : null;
}

function parseInto(text: string, root: protobuf.Root, what: string): protobuf.IParserResult {
  try {
    return protobuf.parse(text, root, { keepCase: true, alternateCommentMode: false });
  } catch (e) {
    throw new ProtobufSchemaError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Parses `text` with the referenced files `imports` (each reachable import must be one of them).
 * `importsOf` returns the references of a referenced file, for nested imports.
 */
export function parseProtobuf(input: string, imports: ProtoImport[]): ParsedProto {
  // Confluent's Python and Go serializers send a base64 FileDescriptorProto instead of text
  const text = protoTextFromDescriptor(input, printParsed) ?? input;
  const alone = parseInto(text, new protobuf.Root(), 'the Protobuf schema does not parse');
  const byName = new Map(imports.map((i) => [i.name, i.schema]));
  const root = new protobuf.Root();
  const loaded = new Set<string>();
  const load = (imported: string[], from: string) => {
    for (const path of imported) {
      if (loaded.has(path)) continue;
      loaded.add(path);
      if (WELL_KNOWN.has(path) && !byName.has(path)) {
        const json = common.get(path);
        if (json?.nested) root.addJSON(json.nested);
        continue;
      }
      const source = byName.get(path);
      if (source === undefined)
        throw new ProtobufSchemaError(
          `${from} imports "${path}" but no reference with that name was given (add {"name":"${path}","subject":…,"version":…} to "references")`,
        );
      const r = parseInto(source, root, `the referenced file "${path}" does not parse`);
      load([...(r.imports ?? []), ...(r.weakImports ?? [])], `"${path}"`);
    }
  };
  load([...(alone.imports ?? []), ...(alone.weakImports ?? [])], 'the schema');
  parseInto(text, root, 'the Protobuf schema does not parse');
  try {
    root.resolveAll();
  } catch (e) {
    throw new ProtobufSchemaError(`the Protobuf schema has an unresolved type: ${(e as Error).message}`);
  }
  const packageName = alone.package ?? '';
  const scope = packageName ? alone.root.lookup(packageName) : alone.root;
  const topLevel = scope instanceof protobuf.Namespace ? scope.nestedArray.map((n) => n.fullName.slice(1)) : [];
  if (topLevel.length === 0 && !/\bservice\s/.test(text))
    throw new ProtobufSchemaError('the Protobuf schema defines no message, enum or service');
  const syntax = syntaxOf(text);
  const ownImports = [...(alone.imports ?? []), ...(alone.weakImports ?? [])];
  return { root, topLevel, packageName, imports: ownImports, syntax, canonical: printParsed(alone, syntax) };
}

// ---- canonical printer ----

const quote = (s: string) => JSON.stringify(s);

function optionValue(v: unknown): string {
  if (typeof v === 'string') return /^[A-Z_][A-Z0-9_]*$/.test(v) ? v : quote(v);
  if (typeof v === 'object' && v !== null)
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${optionValue(x)}`)
      .join(' ')} }`;
  return String(v);
}

function printOptions(options: Record<string, unknown> | undefined, indent: string, out: string[]): void {
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v === undefined) continue;
    const name = k.startsWith('(') || !k.includes('.') ? k : `(${k})`;
    out.push(`${indent}option ${name} = ${optionValue(v)};`);
  }
}

function fieldOptions(f: protobuf.Field): string {
  const opts = Object.entries(f.options ?? {}).filter(([k]) => k !== 'proto3_optional');
  return opts.length === 0 ? '' : ` [${opts.map(([k, v]) => `${k} = ${optionValue(v)}`).join(', ')}]`;
}

function printField(f: protobuf.Field, indent: string, syntax: string | null, inOneof: boolean): string {
  let label = '';
  if (f instanceof protobuf.MapField) {
    return `${indent}map<${f.keyType}, ${f.type}> ${f.name} = ${f.id}${fieldOptions(f)};`;
  }
  if (!inOneof) {
    if (f.repeated) label = 'repeated ';
    else if (f.required) label = 'required ';
    else if (syntax !== 'proto3' || f.options?.proto3_optional) label = 'optional ';
  }
  return `${indent}${label}${f.type} ${f.name} = ${f.id}${fieldOptions(f)};`;
}

function printReserved(reserved: Array<number[] | string> | undefined, indent: string, out: string[]): void {
  if (!reserved || reserved.length === 0) return;
  const ranges = reserved.filter((r): r is number[] => Array.isArray(r));
  const names = reserved.filter((r): r is string => typeof r === 'string');
  if (ranges.length > 0)
    out.push(
      `${indent}reserved ${ranges
        .map(([a, b]) => (a === b ? `${a}` : b === 536870911 ? `${a} to max` : `${a} to ${b}`))
        .join(', ')};`,
    );
  if (names.length > 0) out.push(`${indent}reserved ${names.map(quote).join(', ')};`);
}

function printType(t: protobuf.ReflectionObject, indent: string, syntax: string | null, out: string[]): void {
  const inner = `${indent}  `;
  if (t instanceof protobuf.Type) {
    out.push(`${indent}message ${t.name} {`);
    printOptions(t.options, inner, out);
    printReserved(t.reserved as Array<number[] | string>, inner, out);
    const oneofMembers = new Set<protobuf.Field>();
    for (const o of t.oneofsArray) {
      const synthetic = o.fieldsArray.length === 1 && o.fieldsArray[0]?.options?.proto3_optional;
      if (synthetic) continue;
      for (const f of o.fieldsArray) oneofMembers.add(f);
    }
    const printedOneofs = new Set<protobuf.OneOf>();
    for (const f of t.fieldsArray) {
      if (!oneofMembers.has(f)) {
        out.push(printField(f, inner, syntax, false));
        continue;
      }
      const o = f.partOf as protobuf.OneOf;
      if (printedOneofs.has(o)) continue;
      printedOneofs.add(o);
      out.push(`${inner}oneof ${o.name} {`);
      for (const m of o.fieldsArray) out.push(printField(m, `${inner}  `, syntax, true));
      out.push(`${inner}}`);
    }
    for (const n of t.nestedArray) printType(n, inner, syntax, out);
    out.push(`${indent}}`);
  } else if (t instanceof protobuf.Enum) {
    out.push(`${indent}enum ${t.name} {`);
    printOptions(t.options, inner, out);
    printReserved(t.reserved as Array<number[] | string>, inner, out);
    for (const [name, id] of Object.entries(t.values)) {
      const opts = t.valuesOptions?.[name];
      const o = opts ? ` [${Object.entries(opts).map(([k, v]) => `${k} = ${optionValue(v)}`)}]` : '';
      out.push(`${inner}${name} = ${id}${o};`);
    }
    out.push(`${indent}}`);
  } else if (t instanceof protobuf.Service) {
    out.push(`${indent}service ${t.name} {`);
    printOptions(t.options, inner, out);
    for (const m of t.methodsArray)
      out.push(
        `${inner}rpc ${m.name} (${m.requestStream ? 'stream ' : ''}${m.requestType}) returns (${m.responseStream ? 'stream ' : ''}${m.responseType});`,
      );
    out.push(`${indent}}`);
  } else if (t instanceof protobuf.Namespace) {
    for (const n of t.nestedArray) printType(n, indent, syntax, out);
  }
}

function printParsed(parsed: protobuf.IParserResult, syntax: string | null): string {
  const out: string[] = [];
  if (syntax) out.push(`syntax = ${quote(syntax)};`);
  if (parsed.package) out.push(`package ${parsed.package};`);
  const imports = [
    ...(parsed.imports ?? []).map((i) => `import ${quote(i)};`),
    ...(parsed.weakImports ?? []).map((i) => `import weak ${quote(i)};`),
  ];
  if (imports.length > 0) out.push('', ...imports);
  const scope = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  const fileOptions: string[] = [];
  printOptions(parsed.root.options, '', fileOptions);
  if (scope && scope !== parsed.root) printOptions(scope.options, '', fileOptions);
  if (fileOptions.length > 0) out.push('', ...fileOptions);
  const types = scope instanceof protobuf.Namespace ? scope.nestedArray : [];
  for (const t of types) {
    out.push('');
    printType(t, '', syntax, out);
  }
  return `${out.join('\n').trim()}\n`;
}
