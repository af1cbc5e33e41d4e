// Authorization against the ACL store, as Kafka's StandardAuthorizer decides, configured with
// allow.everyone.if.no.acl.found=true: enforced only when SASL is on (without authentication every
// client is anonymous and everything is allowed, as in a Kafka without an authorizer).
// - Principals are "User:<sasl user>"; the in-process transport and opts.superUsers are super users.
// - A resource no ACL applies to (literal name, "*" wildcard, or a prefix) is open to everyone, so
//   turning SASL on changes nothing until the first ACL is added for a resource.
// - Otherwise a DENY that matches wins; then an ALLOW for the operation, ALL, or an operation that
//   implies it (READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS).
// - Principal "User:*" and host "*" match everyone.

import type { RequestContext } from '../api/context.ts';
import {
  type AclBinding,
  CLUSTER_NAME,
  Operation,
  PatternType,
  Permission,
  ResourceType,
  WILDCARD,
} from './acl-store.ts';

export { Operation, ResourceType } from './acl-store.ts';

const IN_PROCESS = 'in-process';

function applies(b: AclBinding, resourceType: number, name: string): boolean {
  if (b.resourceType !== resourceType) return false;
  if (b.patternType === PatternType.LITERAL) return b.resourceName === name || b.resourceName === WILDCARD;
  return b.patternType === PatternType.PREFIXED && name.startsWith(b.resourceName);
}

function implies(granted: number, wanted: number): boolean {
  if (granted === wanted || granted === Operation.ALL) return true;
  if (wanted === Operation.DESCRIBE) {
    return (
      granted === Operation.READ ||
      granted === Operation.WRITE ||
      granted === Operation.DELETE ||
      granted === Operation.ALTER
    );
  }
  return wanted === Operation.DESCRIBE_CONFIGS && granted === Operation.ALTER_CONFIGS;
}

/** True when the connection's principal may perform `operation` on the resource. */
export function authorize(ctx: RequestContext, operation: number, resourceType: number, name: string): boolean {
  const { opts, acls } = ctx.broker;
  if (!opts.sasl) return true;
  const user = ctx.connection.principal;
  if (user === IN_PROCESS) return true;
  const principal = `User:${user ?? 'ANONYMOUS'}`;
  if (opts.superUsers.includes(principal)) return true;
  if (acls.size === 0) return true;
  const host = ctx.connection.remote.slice(0, ctx.connection.remote.lastIndexOf(':'));
  let any = false;
  let allowed = false;
  for (const b of acls.bindings()) {
    if (!applies(b, resourceType, name)) continue;
    any = true;
    if (b.principal !== principal && b.principal !== 'User:*') continue;
    if (b.host !== host && b.host !== WILDCARD) continue;
    if (!implies(b.operation, operation)) continue;
    if (b.permissionType === Permission.DENY) return false;
    allowed = true;
  }
  return !any || allowed;
}

export function authorizeCluster(ctx: RequestContext, operation: number): boolean {
  return authorize(ctx, operation, ResourceType.CLUSTER, CLUSTER_NAME);
}

export function authorizeTopic(ctx: RequestContext, operation: number, topic: string): boolean {
  return authorize(ctx, operation, ResourceType.TOPIC, topic);
}

export function authorizeGroup(ctx: RequestContext, operation: number, group: string): boolean {
  return authorize(ctx, operation, ResourceType.GROUP, group);
}
