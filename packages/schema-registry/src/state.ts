// The registry's in-memory state, rebuilt by applying _schemas records in log order. It has one
// writer (the store's delivery callback) and is read by the REST handlers; it never does I/O.

import type { RegistryRecord } from './records.ts';
import type { CompatibilityLevel, Mode, SchemaType, SchemaVersion } from './types.ts';

/** What an id stands for: the same schema (type, canonical text, references) in every subject. */
export interface SchemaContent {
  schemaType: SchemaType;
  schema: string;
  references: SchemaVersion['references'];
}

export const identityOf = (c: SchemaContent): string =>
  `${c.schemaType}\u0000${c.schema}\u0000${JSON.stringify(c.references.map((r) => [r.name, r.subject, r.version]))}`;

export class RegistryState {
  /** subject -> version -> entry (soft-deleted entries included, permanently deleted ones removed). */
  readonly subjects = new Map<string, Map<number, SchemaVersion>>();
  /** id -> content; kept after permanent deletion so an id is never given to another schema. */
  readonly contentById = new Map<number, SchemaContent>();
  readonly idByIdentity = new Map<string, number>();
  readonly configs = new Map<string | null, CompatibilityLevel>();
  readonly modes = new Map<string | null, Mode>();
  maxId = 0;
  /** Records skipped as malformed or unknown, for diagnostics. */
  skipped = 0;

  apply(r: RegistryRecord): void {
    switch (r.kind) {
      case 'schema': {
        let versions = this.subjects.get(r.subject);
        if (r.value === null) {
          versions?.delete(r.version);
          if (versions?.size === 0) this.subjects.delete(r.subject);
          return;
        }
        if (!versions) this.subjects.set(r.subject, (versions = new Map()));
        versions.set(r.version, r.value);
        const content: SchemaContent = {
          schemaType: r.value.schemaType,
          schema: r.value.schema,
          references: r.value.references,
        };
        if (!this.contentById.has(r.value.id)) this.contentById.set(r.value.id, content);
        const identity = identityOf(content);
        if (!this.idByIdentity.has(identity)) this.idByIdentity.set(identity, r.value.id);
        if (r.value.id > this.maxId) this.maxId = r.value.id;
        return;
      }
      case 'config':
        if (r.level === null) this.configs.delete(r.subject);
        else this.configs.set(r.subject, r.level);
        return;
      case 'mode':
        if (r.mode === null) this.modes.delete(r.subject);
        else this.modes.set(r.subject, r.mode);
        return;
      case 'delete-subject':
        for (const [v, entry] of this.subjects.get(r.subject) ?? [])
          if (v <= r.version && !entry.deleted) this.subjects.get(r.subject)?.set(v, { ...entry, deleted: true });
        return;
      case 'noop':
        return;
      case 'skip':
        this.skipped++;
        return;
    }
  }

  /** Versions of a subject in ascending order, optionally with soft-deleted ones. */
  versions(subject: string, includeDeleted: boolean): SchemaVersion[] {
    const all = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    return includeDeleted ? all : all.filter((v) => !v.deleted);
  }

  /** Every (subject, version) that currently uses an id. */
  usesOf(id: number, includeDeleted: boolean): SchemaVersion[] {
    const out: SchemaVersion[] = [];
    for (const versions of this.subjects.values())
      for (const v of versions.values()) if (v.id === id && (includeDeleted || !v.deleted)) out.push(v);
    return out.sort((a, b) => (a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1));
  }

  /** Ids of schemas whose references point at subject/version. */
  referencedBy(subject: string, version: number): number[] {
    const ids = new Set<number>();
    for (const versions of this.subjects.values())
      for (const v of versions.values())
        if (!v.deleted && v.references.some((r) => r.subject === subject && r.version === version)) ids.add(v.id);
    return [...ids].sort((a, b) => a - b);
  }
}
