// Confluent schema registry REST shapes as the console reads them (served under /api/schema-registry).
import { z } from 'zod';

export const SchemaType = z.enum(['AVRO', 'JSON', 'PROTOBUF']);

/** GET /subjects/{s}/versions/{v} */
export const SubjectVersion = z.looseObject({
  subject: z.string(),
  version: z.number().int(),
  id: z.number().int(),
  schema: z.string(),
  /** Absent means AVRO. */
  schemaType: SchemaType.optional(),
});
export type SubjectVersion = z.infer<typeof SubjectVersion>;

/** GET /schemas/ids/{id} */
export const SchemaById = z.looseObject({ schema: z.string(), schemaType: SchemaType.optional() });
export type SchemaById = z.infer<typeof SchemaById>;

export const Compatibility = z.enum([
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
]);
export type Compatibility = z.infer<typeof Compatibility>;

/** GET /config and /config/{s} answer compatibilityLevel; PUT answers compatibility. */
export const CompatibilityConfig = z.looseObject({
  compatibilityLevel: Compatibility.optional(),
  compatibility: Compatibility.optional(),
});

/** The registry's error body (Confluent codes such as 40401 subject not found, 42201 invalid schema). */
export const RegistryError = z.looseObject({ error_code: z.number().int(), message: z.string() });
