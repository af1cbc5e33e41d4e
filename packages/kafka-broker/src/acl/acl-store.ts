// The ACL store: access control entries as Kafka's CreateAcls/DescribeAcls/DeleteAcls carry them
// (resource type + name + pattern type, principal, host, operation, permission), with the filter
// matching those APIs define. Persisted as <dataDir>/acls.json (written to a temporary file, then
// renamed, after every change); in memory without a dataDir. One writer: the broker's API handlers,
// which run one request per connection at a time; saves are chained so the file ends up with the last state.
// Codes are Kafka's (org.apache.kafka.common.acl / resource enums): see the constants below.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError, BrokerErrorCode } from '../errors.ts';

export const ResourceType = {
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export const PatternType = { ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export const Operation = {
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export const Permission = { ANY: 1, DENY: 2, ALLOW: 3 } as const;
/** The literal name "*" matches every resource of its type; "User:*" every principal; "*" every host. */
export const WILDCARD = '*';
export const CLUSTER_NAME = 'kafka-cluster';

export interface AclBinding {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly patternType: number;
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permissionType: number;
}

/** A DescribeAcls / DeleteAcls filter: null strings and the ANY codes match everything. */
export interface AclFilter {
  readonly resourceTypeFilter: number;
  readonly resourceNameFilter: string | null;
  readonly patternTypeFilter: number;
  readonly principalFilter: string | null;
  readonly hostFilter: string | null;
  readonly operation: number;
  readonly permissionType: number;
}

function patternMatches(b: AclBinding, f: AclFilter): boolean {
  const name = f.resourceNameFilter;
  switch (f.patternTypeFilter) {
    case PatternType.ANY:
      return name === null || b.resourceName === name;
    case PatternType.MATCH:
      // every binding that would apply to a resource literally named `name`
      if (name === null) return true;
      if (b.patternType === PatternType.LITERAL) return b.resourceName === name || b.resourceName === WILDCARD;
      return b.patternType === PatternType.PREFIXED && name.startsWith(b.resourceName);
    default:
      return b.patternType === f.patternTypeFilter && (name === null || b.resourceName === name);
  }
}

export function filterMatches(b: AclBinding, f: AclFilter): boolean {
  return (
    (f.resourceTypeFilter === ResourceType.ANY || b.resourceType === f.resourceTypeFilter) &&
    patternMatches(b, f) &&
    (f.principalFilter === null || b.principal === f.principalFilter) &&
    (f.hostFilter === null || b.host === f.hostFilter) &&
    (f.operation === Operation.ANY || b.operation === f.operation) &&
    (f.permissionType === Permission.ANY || b.permissionType === f.permissionType)
  );
}

/** Why a binding cannot be stored (CreateAcls answers INVALID_REQUEST with it), or null when it is valid. */
export function invalidBinding(b: AclBinding): string | null {
  if (b.resourceType <= ResourceType.ANY || b.resourceType > ResourceType.USER) return 'Invalid resource type';
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) {
    return 'Invalid pattern type: ACLs must be LITERAL or PREFIXED';
  }
  if (b.operation <= Operation.ANY || b.operation > Operation.DESCRIBE_TOKENS) return 'Invalid operation';
  if (b.permissionType !== Permission.ALLOW && b.permissionType !== Permission.DENY) return 'Invalid permission type';
  if (b.resourceName === '') return 'Resource name must not be empty';
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`;
  }
  if (!/^[^:]+:.+$/.test(b.principal)) return `Invalid principal ${b.principal}: expected Type:name, e.g. User:alice`;
  if (b.host === '') return 'Host must not be empty';
  return null;
}

const key = (b: AclBinding) =>
  [b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permissionType].join('\u0000');

export class AclStore {
  readonly #bindings = new Map<string, AclBinding>();
  readonly #file: string | null;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string | null) {
    this.#file = file;
  }

  static async open(dataDir: string | null): Promise<AclStore> {
    const store = new AclStore(dataDir === null ? null : join(dataDir, 'acls.json'));
    if (store.#file !== null) {
      let text: string | null = null;
      try {
        text = await readFile(store.#file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      if (text !== null) {
        let parsed: { acls?: AclBinding[] };
        try {
          parsed = JSON.parse(text) as { acls?: AclBinding[] };
        } catch (e) {
          throw new BrokerError(
            BrokerErrorCode.BAD_ACLS,
            `${store.#file} is not valid JSON (${(e as Error).message}); restore it or remove it (all ACLs are lost)`,
          );
        }
        for (const b of parsed.acls ?? []) store.#bindings.set(key(b), b);
      }
    }
    return store;
  }

  get size(): number {
    return this.#bindings.size;
  }

  /** Bindings on resources of this type, for the authorizer. */
  *bindings(): IterableIterator<AclBinding> {
    yield* this.#bindings.values();
  }

  list(filter: AclFilter): AclBinding[] {
    return [...this.#bindings.values()].filter((b) => filterMatches(b, filter));
  }

  /** Adds bindings (an existing identical binding is kept, as Kafka does) and saves. */
  async add(bindings: readonly AclBinding[]): Promise<void> {
    for (const b of bindings) this.#bindings.set(key(b), { ...b });
    await this.#save();
  }

  /** Removes every binding matching each filter; returns the removed bindings per filter. */
  async delete(filters: readonly AclFilter[]): Promise<AclBinding[][]> {
    const removed = filters.map((f) => this.list(f));
    for (const group of removed) for (const b of group) this.#bindings.delete(key(b));
    if (removed.some((g) => g.length > 0)) await this.#save();
    return removed;
  }

  #save(): Promise<void> {
    const file = this.#file;
    if (file === null) return Promise.resolve();
    const text = `${JSON.stringify({ version: 1, acls: [...this.#bindings.values()] }, null, 1)}\n`;
    this.#saving = this.#saving.then(async () => {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    return this.#saving;
  }
}
