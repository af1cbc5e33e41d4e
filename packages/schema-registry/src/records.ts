// The _schemas topic's record layout, as Confluent Schema Registry writes it, so either registry can
// read the other's topic. Keys and values are JSON strings:
//   SCHEMA          key {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}
//                   value {"subject","version","id","schemaType"?,"references"?,"schema","deleted"}
//                   (null value = version permanently deleted; schemaType omitted for AVRO)
//   CONFIG          key {"keytype":"CONFIG","subject":s?,"magic":0}  value {"compatibilityLevel":L} | null
//   MODE            key {"keytype":"MODE","subject":s?,"magic":0}    value {"mode":M} | null
//   DELETE_SUBJECT  key {"keytype":"DELETE_SUBJECT","subject":s,"magic":0}
//                   value {"subject":s,"version":w}: every version <= w is soft-deleted
//   NOOP            key {"keytype":"NOOP","magic":0}, value null: written at start to find the log end
// A key without "subject" is the global one. Key field order is fixed (keytype, subject, version,
// magic) so compaction sees our repeated writes of a key as the same key. Unknown key types are
// skipped (Confluent has more, e.g. CLEAR_SUBJECT, CONTEXT), never fatal.

import {
  type CompatibilityLevel,
  isCompatibilityLevel,
  isMode,
  isSchemaType,
  type Mode,
  type SchemaReference,
  type SchemaVersion,
} from './types.ts';

export type RegistryRecord =
  | { kind: 'schema'; subject: string; version: number; value: SchemaVersion | null }
  | { kind: 'config'; subject: string | null; level: CompatibilityLevel | null }
  | { kind: 'mode'; subject: string | null; mode: Mode | null }
  | { kind: 'delete-subject'; subject: string; version: number }
  | { kind: 'noop' }
  | { kind: 'skip'; why: string };

export interface EncodedRecord {
  key: string;
  value: string | null;
}

function subjectKey(keytype: string, subject: string | null): string {
  return subject === null ? JSON.stringify({ keytype, magic: 0 }) : JSON.stringify({ keytype, subject, magic: 0 });
}

export function encodeSchema(v: SchemaVersion): EncodedRecord {
  return { key: schemaKey(v.subject, v.version), value: JSON.stringify(schemaValue(v)) };
}

export function schemaKey(subject: string, version: number): string {
  return JSON.stringify({ keytype: 'SCHEMA', subject, version, magic: 1 });
}

function schemaValue(v: SchemaVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { subject: v.subject, version: v.version, id: v.id };
  if (v.schemaType !== 'AVRO') out.schemaType = v.schemaType;
  if (v.references.length > 0) out.references = v.references;
  out.schema = v.schema;
  out.deleted = v.deleted;
  return out;
}

export const encodeSchemaTombstone = (subject: string, version: number): EncodedRecord => ({
  key: schemaKey(subject, version),
  value: null,
});

export const encodeConfig = (subject: string | null, level: CompatibilityLevel | null): EncodedRecord => ({
  key: subjectKey('CONFIG', subject),
  value: level === null ? null : JSON.stringify({ compatibilityLevel: level }),
});

export const encodeMode = (subject: string | null, mode: Mode | null): EncodedRecord => ({
  key: subjectKey('MODE', subject),
  value: mode === null ? null : JSON.stringify({ mode }),
});

export const encodeDeleteSubject = (subject: string, version: number): EncodedRecord => ({
  key: subjectKey('DELETE_SUBJECT', subject),
  value: JSON.stringify({ subject, version }),
});

export const encodeNoop = (): EncodedRecord => ({ key: JSON.stringify({ keytype: 'NOOP', magic: 0 }), value: null });

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parseReferences(v: unknown): SchemaReference[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r) =>
    r && typeof r.name === 'string' && typeof r.subject === 'string' && Number.isInteger(r.version)
      ? [{ name: r.name, subject: r.subject, version: r.version as number }]
      : [],
  );
}

/** Decodes one _schemas record. Never throws: malformed records come back as `skip` with a reason. */
export function decodeRecord(key: string | null, value: string | null): RegistryRecord {
  const k = key === null ? null : parseObject(key);
  if (!k) return { kind: 'skip', why: `key is not a JSON object: ${String(key).slice(0, 80)}` };
  const subject = typeof k.subject === 'string' ? k.subject : null;
  switch (k.keytype) {
    case 'SCHEMA': {
      const version = k.version;
      if (subject === null || typeof version !== 'number') return { kind: 'skip', why: 'SCHEMA key without subject' };
      if (value === null) return { kind: 'schema', subject, version, value: null };
      const v = parseObject(value);
      const schemaType = v?.schemaType ?? 'AVRO';
      if (!v || typeof v.id !== 'number' || typeof v.schema !== 'string' || !isSchemaType(schemaType))
        return { kind: 'skip', why: `SCHEMA value for ${subject}/${version} is malformed` };
      return {
        kind: 'schema',
        subject,
        version,
        value: {
          subject,
          version,
          id: v.id,
          schemaType,
          schema: v.schema,
          references: parseReferences(v.references),
          deleted: v.deleted === true,
        },
      };
    }
    case 'CONFIG': {
      if (value === null) return { kind: 'config', subject, level: null };
      const level = parseObject(value)?.compatibilityLevel;
      return isCompatibilityLevel(level)
        ? { kind: 'config', subject, level }
        : { kind: 'skip', why: `CONFIG value has an unknown compatibilityLevel ${String(level)}` };
    }
    case 'MODE': {
      if (value === null) return { kind: 'mode', subject, mode: null };
      const mode = parseObject(value)?.mode;
      return isMode(mode) ? { kind: 'mode', subject, mode } : { kind: 'skip', why: `MODE value ${String(mode)}` };
    }
    case 'DELETE_SUBJECT': {
      const v = value === null ? null : parseObject(value);
      if (subject === null || !v || typeof v.version !== 'number')
        return { kind: 'skip', why: 'DELETE_SUBJECT without subject or version' };
      return { kind: 'delete-subject', subject, version: v.version };
    }
    case 'NOOP':
      return { kind: 'noop' };
    default:
      return { kind: 'skip', why: `key type ${String(k.keytype)} is not handled` };
  }
}
