// Protobuf schemas as base64 FileDescriptorProto, the form Confluent's serializers in Python (and
// Go) send and, with `?format=serialized`, ask for. Converted with protobufjs' descriptor
// extension: an incoming descriptor becomes .proto text (then parsed and printed like any other),
// an outgoing one is built from the stored text and its references.
// Limits: descriptor options protobufjs does not model are dropped; the outgoing descriptor holds
// this file's top-level types (and names its imports as dependencies), not its references' types.

import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import type { ParsedProto } from './schema.ts';

type FileDescriptor = {
  name?: string;
  package?: string;
  dependency?: string[];
  syntax?: string;
  messageType?: Array<{ name?: string }>;
  enumType?: Array<{ name?: string }>;
  service?: unknown[];
};
const FileDescriptorProto = (
  descriptor as unknown as {
    FileDescriptorProto: {
      decode(b: Uint8Array): FileDescriptor;
      encode(m: FileDescriptor): { finish(): Uint8Array };
      fromObject(o: unknown): FileDescriptor;
    };
  }
).FileDescriptorProto;
const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: { file: FileDescriptor[] }): protobuf.Root })
  .fromDescriptor;

/** The .proto text of a base64 FileDescriptorProto, or null when `text` is not one. */
export function protoTextFromDescriptor(
  text: string,
  print: (r: protobuf.IParserResult, syntax: string) => string,
): string | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  let file: FileDescriptor;
  try {
    file = FileDescriptorProto.decode(Buffer.from(compact, 'base64'));
  } catch {
    return null;
  }
  if ((file.messageType?.length ?? 0) + (file.enumType?.length ?? 0) + (file.service?.length ?? 0) === 0) return null;
  const root = fromDescriptor({ file: [file] });
  const parsed: protobuf.IParserResult = {
    package: file.package || undefined,
    imports: file.dependency ?? [],
    weakImports: [],
    root,
  };
  return print(parsed, file.syntax === 'proto3' ? 'proto3' : 'proto2');
}

/** This schema as a base64 FileDescriptorProto named `name`. */
export function protoDescriptorBase64(p: ParsedProto, imports: string[], syntax: string | null, name: string): string {
  const set = (p.root as unknown as { toDescriptor(e: string): { file: FileDescriptor[] } }).toDescriptor(
    syntax ?? 'proto2',
  );
  const own = new Set(p.topLevel.map((n) => n.slice(n.lastIndexOf('.') + 1)));
  const file = set.file.find((f) => (f.package ?? '') === p.packageName) ?? { package: p.packageName };
  const out: FileDescriptor = {
    ...file,
    name,
    dependency: imports,
    messageType: (file.messageType ?? []).filter((m) => own.has(m.name ?? '')),
    enumType: (file.enumType ?? []).filter((e) => own.has(e.name ?? '')),
  };
  if (syntax === 'proto3') out.syntax = 'proto3';
  return Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(out)).finish()).toString('base64');
}
