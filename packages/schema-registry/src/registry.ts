// The registry's operations, independent of HTTP: reads answer from RegistryState; writes are
// serialised (one at a time), checked against the state, appended to the store, and take effect
// when the store delivers them back, the same path a restart replays. Errors are RegistryErrors
// carrying Confluent's codes. Single writer: one registry per store/topic may write; the id and
// version it picks are only checked against its own state.

import {
  ErrorCode,
  invalidVersion,
  RegistryError,
  schemaNotFound,
  subjectNotFound,
  versionNotFound,
} from './errors.ts';
import { protoDescriptorBase64 } from './protobuf/descriptor.ts';
import {
  decodeRecord,
  type EncodedRecord,
  encodeConfig,
  encodeDeleteSubject,
  encodeMode,
  encodeSchema,
  encodeSchemaTombstone,
} from './records.ts';
import { checkCompatibility, type ParsedSchema, parseSchema } from './schema-types.ts';
import { identityOf, RegistryState } from './state.ts';
import type { RegistryStore } from './store/store.ts';
import {
  type CompatibilityLevel,
  DEFAULT_COMPATIBILITY,
  DEFAULT_MODE,
  isCompatibilityLevel,
  isMode,
  isSchemaType,
  type Mode,
  type SchemaReference,
  type SchemaType,
  type SchemaVersion,
} from './types.ts';

export type RegistryStatus = 'new' | 'starting' | 'ready' | 'failed' | 'closed';

export interface RegisterRequest {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  /** ?normalize=true: JSON keys sorted before identity (Avro and Protobuf text is always canonical). */
  normalize?: boolean;
  /** Honoured in IMPORT mode only. */
  id?: number;
  version?: number;
}

/** A version as the API returns it: schemaType only when not AVRO, references only when present. */
export interface VersionView {
  subject: string;
  version: number;
  id: number;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema: string;
}

export function view(v: SchemaVersion): VersionView {
  const out: VersionView = { subject: v.subject, version: v.version, id: v.id, schema: v.schema };
  if (v.schemaType !== 'AVRO') out.schemaType = v.schemaType;
  if (v.references.length > 0) out.references = v.references;
  // keep "schema" last, as Confluent does
  const { schema, ...rest } = out;
  return { ...rest, schema };
}

const readOnly = (subject: string | null) =>
  new RegistryError(
    ErrorCode.OPERATION_NOT_PERMITTED,
    subject === null ? 'The registry is in read-only mode' : `Subject ${subject} is in read-only mode`,
  );

export class SchemaRegistry {
  readonly state = new RegistryState();
  status: RegistryStatus = 'new';
  /** Why start failed, when status is 'failed'. */
  failure: Error | null = null;
  private readonly store: RegistryStore;
  private writes: Promise<unknown> = Promise.resolve();
  private started: Promise<void> | null = null;

  constructor(store: RegistryStore) {
    this.store = store;
  }

  get ready(): boolean {
    return this.status === 'ready';
  }
  get storeDescription(): string {
    return this.store.description;
  }

  /** Reads the store to its end, then serves. Idempotent; rejects (and status='failed') when the store fails. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.status = 'starting';
      try {
        await this.store.open((k, v) => this.state.apply(decodeRecord(k, v)));
        if (this.status === 'starting') this.status = 'ready';
      } catch (e) {
        this.status = 'failed';
        this.failure = e as Error;
        throw e;
      }
    })();
    return this.started;
  }

  async close(): Promise<void> {
    this.status = 'closed';
    await this.store.close();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn, fn);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async write(records: EncodedRecord[]): Promise<void> {
    for (const r of records) await this.store.append(r.key, r.value);
  }

  // ---- lookups shared by reads and writes ----

  mode(subject: string | null): Mode {
    return (subject !== null ? this.state.modes.get(subject) : undefined) ?? this.state.modes.get(null) ?? DEFAULT_MODE;
  }

  compatibility(subject: string | null): CompatibilityLevel {
    return (
      (subject !== null ? this.state.configs.get(subject) : undefined) ??
      this.state.configs.get(null) ??
      DEFAULT_COMPATIBILITY
    );
  }

  private parse(req: RegisterRequest): ParsedSchema {
    if (typeof req.schema !== 'string')
      throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Invalid schema: "schema" must be a string');
    const type = req.schemaType ?? 'AVRO';
    if (!isSchemaType(type))
      throw new RegistryError(
        ErrorCode.INVALID_SCHEMA,
        `Invalid schema: unknown schemaType ${String(type)}; use AVRO, JSON or PROTOBUF`,
      );
    return parseSchema(type, req.schema, req.references ?? [], this.referenced, req.normalize === true);
  }

  /** The version a reference points at (soft-deleted versions still resolve). */
  private referenced = (r: SchemaReference): SchemaVersion | undefined =>
    this.state.subjects.get(r.subject)?.get(r.version);

  /** Parsed stored versions by identity (stored text never changes), for compatibility checks. */
  private readonly parsedCache = new Map<string, ParsedSchema>();
  private parseStored = (v: SchemaVersion): ParsedSchema => {
    const key = identityOf(v);
    let parsed = this.parsedCache.get(key);
    if (!parsed) {
      parsed = parseSchema(v.schemaType, v.schema, v.references, this.referenced);
      if (this.parsedCache.size >= 256) this.parsedCache.clear();
      this.parsedCache.set(key, parsed);
    }
    return parsed;
  };

  private findVersion(subject: string, parsed: ParsedSchema, includeDeleted: boolean): SchemaVersion | undefined {
    const identity = identityOf({
      schemaType: parsed.schemaType,
      schema: parsed.canonical,
      references: parsed.references,
    });
    return this.state.versions(subject, includeDeleted).find((v) => identityOf(v) === identity);
  }

  /** Resolves "latest", "-1" or a number to a version of the subject. */
  resolveVersion(subject: string, versionText: string, includeDeleted: boolean): SchemaVersion {
    let n: number | 'latest';
    if (versionText === 'latest' || versionText === '-1') n = 'latest';
    else if (/^[0-9]+$/.test(versionText) && Number(versionText) >= 1 && Number(versionText) < 2 ** 31)
      n = Number(versionText);
    else throw invalidVersion(versionText);
    const all = this.state.versions(subject, true);
    if (all.length === 0 || (!includeDeleted && all.every((v) => v.deleted))) throw subjectNotFound(subject);
    const candidates = includeDeleted ? all : all.filter((v) => !v.deleted);
    const found = n === 'latest' ? candidates.at(-1) : candidates.find((v) => v.version === n);
    if (!found) throw versionNotFound(versionText);
    return found;
  }

  // ---- reads ----

  /**
   * The schema text in the requested `format`: "serialized" gives a Protobuf schema as a base64
   * FileDescriptorProto (Confluent's Python and Go deserializers ask for it); anything else, and
   * every other type, the stored text.
   */
  formatted(c: { schemaType: SchemaType; schema: string; references: SchemaReference[] }, format?: string): string {
    if (format !== 'serialized' || c.schemaType !== 'PROTOBUF') return c.schema;
    const p = parseSchema(c.schemaType, c.schema, c.references, this.referenced).proto;
    return p ? protoDescriptorBase64(p, p.imports, p.syntax, 'schema.proto') : c.schema;
  }

  schemaById(id: number): { schemaType: SchemaType; schema: string; references: SchemaReference[] } {
    const content = this.state.contentById.get(id);
    if (!content || this.state.usesOf(id, true).length === 0) throw schemaNotFound(`Schema ${id} not found`);
    return content;
  }

  subjects(includeDeleted: boolean, prefix = ''): string[] {
    return [...this.state.subjects.keys()]
      .filter((s) => s.startsWith(prefix) && this.state.versions(s, includeDeleted).length > 0)
      .sort();
  }

  versionNumbers(subject: string, includeDeleted: boolean): number[] {
    const vs = this.state.versions(subject, includeDeleted);
    if (vs.length === 0) throw subjectNotFound(subject);
    return vs.map((v) => v.version);
  }

  lookup(subject: string, req: RegisterRequest, includeDeleted: boolean): SchemaVersion {
    if (this.state.versions(subject, includeDeleted).length === 0) throw subjectNotFound(subject);
    const found = this.findVersion(subject, this.parse(req), includeDeleted);
    if (!found) throw schemaNotFound();
    return found;
  }

  /** Verbose compatibility messages of `req` against one version, or against what the subject's level requires. */
  testCompatibility(subject: string, versionText: string | null, req: RegisterRequest): string[] {
    const parsed = this.parse(req);
    const level = this.compatibility(subject);
    if (versionText === null)
      return checkCompatibility(level, parsed, this.state.versions(subject, false), this.parseStored);
    const old = this.resolveVersion(subject, versionText, false);
    const single: CompatibilityLevel = level.endsWith('_TRANSITIVE')
      ? (level.replace('_TRANSITIVE', '') as CompatibilityLevel)
      : level;
    return checkCompatibility(single, parsed, [old], this.parseStored);
  }

  // ---- writes ----

  register(subject: string, req: RegisterRequest): Promise<{ id: number }> {
    return this.exclusive(async () => {
      const mode = this.mode(subject);
      if (mode === 'READONLY') throw readOnly(subject);
      const parsed = this.parse(req);
      const existing = this.findVersion(subject, parsed, false);
      if (existing) return { id: existing.id };
      if (mode !== 'IMPORT') {
        const level = this.compatibility(subject);
        const messages = checkCompatibility(level, parsed, this.state.versions(subject, false), this.parseStored);
        if (messages.length > 0)
          throw new RegistryError(
            ErrorCode.INCOMPATIBLE_SCHEMA,
            `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
            409,
          );
      }
      const content = { schemaType: parsed.schemaType, schema: parsed.canonical, references: parsed.references };
      let id = this.state.idByIdentity.get(identityOf(content)) ?? this.state.maxId + 1;
      let version = Math.max(0, ...this.state.versions(subject, true).map((v) => v.version)) + 1;
      if (mode === 'IMPORT') {
        if (req.id !== undefined) {
          const taken = this.state.contentById.get(req.id);
          if (taken && identityOf(taken) !== identityOf(content))
            throw new RegistryError(
              ErrorCode.ID_DOES_NOT_MATCH,
              `Schema id ${req.id} is already used by a different schema`,
            );
          id = req.id;
        }
        if (req.version !== undefined) {
          if (this.state.subjects.get(subject)?.has(req.version))
            throw new RegistryError(
              ErrorCode.INVALID_VERSION,
              `Version ${req.version} of subject ${subject} already exists`,
            );
          version = req.version;
        }
      }
      await this.write([encodeSchema({ subject, version, id, ...content, deleted: false })]);
      return { id };
    });
  }

  deleteVersion(subject: string, versionText: string, permanent: boolean): Promise<number> {
    return this.exclusive(async () => {
      if (this.mode(subject) === 'READONLY') throw readOnly(subject);
      const latest = versionText === 'latest' || versionText === '-1';
      // a numbered version is found even when soft-deleted, so deleting it twice says 40406
      const v = this.resolveVersion(subject, versionText, permanent || !latest);
      const refs = this.state.referencedBy(subject, v.version);
      if (refs.length > 0)
        throw new RegistryError(
          ErrorCode.REFERENCE_EXISTS,
          `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${v.version}}.`,
        );
      if (permanent) {
        if (!v.deleted)
          throw new RegistryError(
            ErrorCode.VERSION_NOT_SOFT_DELETED,
            `Subject '${subject}' Version ${v.version} was not deleted first before being permanently deleted`,
          );
        await this.write([encodeSchemaTombstone(subject, v.version)]);
      } else {
        if (v.deleted)
          throw new RegistryError(
            ErrorCode.VERSION_SOFT_DELETED,
            `Subject '${subject}' Version ${v.version} was soft deleted.Set permanent=true to delete permanently`,
          );
        await this.write([encodeSchema({ ...v, deleted: true })]);
      }
      return v.version;
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.exclusive(async () => {
      if (this.mode(subject) === 'READONLY') throw readOnly(subject);
      const all = this.state.versions(subject, true);
      if (all.length === 0) throw subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      for (const v of permanent ? all : live) {
        const refs = this.state.referencedBy(subject, v.version);
        if (refs.length > 0)
          throw new RegistryError(
            ErrorCode.REFERENCE_EXISTS,
            `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${v.version}}.`,
          );
      }
      const cleanup = [
        ...(this.state.configs.has(subject) ? [encodeConfig(subject, null)] : []),
        ...(this.state.modes.has(subject) ? [encodeMode(subject, null)] : []),
      ];
      if (permanent) {
        if (live.length > 0)
          throw new RegistryError(
            ErrorCode.SUBJECT_NOT_SOFT_DELETED,
            `Subject '${subject}' was not deleted first before being permanently deleted`,
          );
        await this.write([...all.map((v) => encodeSchemaTombstone(subject, v.version)), ...cleanup]);
        return all.map((v) => v.version);
      }
      if (live.length === 0)
        throw new RegistryError(
          ErrorCode.SUBJECT_SOFT_DELETED,
          `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`,
        );
      await this.write([encodeDeleteSubject(subject, live.at(-1)!.version), ...cleanup]);
      return live.map((v) => v.version);
    });
  }

  setCompatibility(subject: string | null, level: unknown): Promise<CompatibilityLevel> {
    return this.exclusive(async () => {
      const upper = typeof level === 'string' ? level.toUpperCase() : level;
      if (!isCompatibilityLevel(upper))
        throw new RegistryError(
          ErrorCode.INVALID_COMPATIBILITY_LEVEL,
          'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
        );
      if (this.mode(subject) === 'READONLY') throw readOnly(subject);
      await this.write([encodeConfig(subject, upper)]);
      return upper;
    });
  }

  /** Removes a subject's (or the global) level; returns the level it had. */
  deleteCompatibility(subject: string | null): Promise<CompatibilityLevel> {
    return this.exclusive(async () => {
      const had = this.state.configs.get(subject);
      if (subject !== null && had === undefined)
        throw new RegistryError(
          ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
          `Subject '${subject}' does not have subject-level compatibility configured`,
        );
      if (had !== undefined) await this.write([encodeConfig(subject, null)]);
      return had ?? DEFAULT_COMPATIBILITY;
    });
  }

  setMode(subject: string | null, mode: unknown, force: boolean): Promise<Mode> {
    return this.exclusive(async () => {
      const upper = typeof mode === 'string' ? mode.toUpperCase() : mode;
      if (!isMode(upper))
        throw new RegistryError(
          ErrorCode.INVALID_MODE,
          'Invalid mode. Valid values are READWRITE, READONLY and IMPORT',
        );
      if (upper === 'IMPORT' && !force) {
        const nonEmpty =
          subject === null ? this.subjects(false).length > 0 : this.state.versions(subject, false).length > 0;
        if (nonEmpty)
          throw new RegistryError(
            ErrorCode.OPERATION_NOT_PERMITTED,
            'Cannot import since found existing subjects; use force=true to set IMPORT mode anyway',
          );
      }
      await this.write([encodeMode(subject, upper)]);
      return upper;
    });
  }

  deleteMode(subject: string): Promise<Mode> {
    return this.exclusive(async () => {
      const had = this.state.modes.get(subject);
      if (had === undefined)
        throw new RegistryError(
          ErrorCode.SUBJECT_MODE_NOT_CONFIGURED,
          `Subject '${subject}' does not have subject-level mode configured`,
        );
      await this.write([encodeMode(subject, null)]);
      return had;
    });
  }
}
