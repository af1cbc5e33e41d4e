// Shared vocabulary: schema types, references, compatibility levels and modes, as Confluent names them.

export const SCHEMA_TYPES = ['JSON', 'PROTOBUF', 'AVRO'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export const MODES = ['READWRITE', 'READONLY', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'READWRITE';

/** A reference from one schema to a version of another subject (Avro: named types it defines). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** One version of one subject, as stored and served. `schema` is the canonical string. */
export interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  deleted: boolean;
}

export const isCompatibilityLevel = (v: unknown): v is CompatibilityLevel =>
  typeof v === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(v);
export const isMode = (v: unknown): v is Mode => typeof v === 'string' && (MODES as readonly string[]).includes(v);
export const isSchemaType = (v: unknown): v is SchemaType =>
  typeof v === 'string' && (SCHEMA_TYPES as readonly string[]).includes(v);
