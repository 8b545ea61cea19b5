import type { AdminRole } from '../../core/admin-role.js';
import { GatewayError } from '../../core/errors.js';
import type { Principal } from '../auth/key-service.js';

/** One admin endpoint and the roles that may call it. `:name` in a path stands for one URL segment. */
export interface AdminRoutePermission {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  roles: readonly AdminRole[];
}

const everyRole: readonly AdminRole[] = ['admin', 'finance', 'viewer'];
const money: readonly AdminRole[] = ['admin', 'finance'];
const operations: readonly AdminRole[] = ['admin', 'viewer'];
const adminOnly: readonly AdminRole[] = ['admin'];

/**
 * Every admin endpoint. A route missing here answers 404 to every role, so a new endpoint is reachable only once it has
 * its row. Viewers read everything but captured bodies; finance reads money and the request log and changes revenue,
 * customers and limits, but sees no provider or deployment details and creates or revokes no key.
 */
export const adminPermissions: readonly AdminRoutePermission[] = [
  { method: 'GET', path: '/admin/whoami', roles: everyRole },
  { method: 'GET', path: '/admin/keys', roles: everyRole },
  { method: 'POST', path: '/admin/keys', roles: adminOnly },
  { method: 'PATCH', path: '/admin/keys/:id', roles: money },
  { method: 'DELETE', path: '/admin/keys/:id', roles: adminOnly },
  { method: 'POST', path: '/admin/keys/:id/rotate', roles: adminOnly },
  { method: 'GET', path: '/admin/usage', roles: everyRole },
  { method: 'GET', path: '/admin/audit', roles: everyRole },
  { method: 'GET', path: '/admin/overview', roles: everyRole },
  { method: 'GET', path: '/admin/requests', roles: everyRole },
  // Finance and viewers get the record without its captured bodies (see mayReadBodies).
  { method: 'GET', path: '/admin/requests/:id', roles: everyRole },
  { method: 'GET', path: '/admin/capture', roles: operations },
  { method: 'POST', path: '/admin/capture/sweep', roles: adminOnly },
  { method: 'GET', path: '/admin/health', roles: operations },
  // Deployments with their providers, upstream models, prices and health; routes with their targets.
  { method: 'GET', path: '/admin/deployments', roles: operations },
  { method: 'GET', path: '/admin/ledger/stats', roles: everyRole },
  { method: 'GET', path: '/admin/responses/stats', roles: operations },
  { method: 'GET', path: '/admin/revenue', roles: everyRole },
  { method: 'POST', path: '/admin/revenue', roles: money },
  { method: 'GET', path: '/admin/customers', roles: everyRole },
  { method: 'GET', path: '/admin/customers/:id', roles: everyRole },
  { method: 'PUT', path: '/admin/customers/:id', roles: money },
  { method: 'GET', path: '/admin/reports/margin', roles: everyRole },
  { method: 'GET', path: '/admin/reports/spend', roles: everyRole },
  { method: 'GET', path: '/admin/reports/graduation', roles: everyRole },
  { method: 'GET', path: '/admin/datasets', roles: everyRole },
  { method: 'POST', path: '/admin/datasets', roles: adminOnly },
  { method: 'GET', path: '/admin/datasets/:name', roles: everyRole },
  { method: 'DELETE', path: '/admin/datasets/:name', roles: adminOnly },
  // Dataset items are captured prompts and answers.
  { method: 'GET', path: '/admin/datasets/:name/items', roles: adminOnly },
  { method: 'GET', path: '/admin/datasets/:name/export', roles: adminOnly },
  { method: 'GET', path: '/admin/evaluations', roles: everyRole },
  { method: 'POST', path: '/admin/evaluations', roles: adminOnly },
  { method: 'GET', path: '/admin/evaluations/:id', roles: everyRole },
  { method: 'GET', path: '/admin/evaluations/:id/results.csv', roles: everyRole },
  { method: 'GET', path: '/admin/evaluations/:id/router-data', roles: adminOnly },
  { method: 'POST', path: '/admin/evaluations/:id/resume', roles: adminOnly },
  { method: 'POST', path: '/admin/evaluations/:id/stop', roles: adminOnly },
];

function patternOf(path: string): RegExp {
  const source = path.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${source}$`);
}

const compiled = adminPermissions.map((permission) => ({ permission, pattern: patternOf(permission.path) }));

/** The table row for a request, or undefined when no admin endpoint has this method and path. */
export function findAdminPermission(method: string, path: string): AdminRoutePermission | undefined {
  return compiled.find((entry) => entry.permission.method === method && entry.pattern.test(path))?.permission;
}

function listRoles(roles: readonly AdminRole[]): string {
  return roles.length === 1 ? `the ${roles[0]} role` : `the ${roles.slice(0, -1).join(', ')} or ${roles.at(-1)} role`;
}

/**
 * Checks that the caller may call this admin endpoint: 403 for client keys and for a role the table does not list,
 * 404 for an endpoint that does not exist. Returns the admin principal.
 */
export function authorizeAdmin(principal: Principal, method: string, path: string): Extract<Principal, { kind: 'admin' }> {
  if (principal.kind !== 'admin') throw new GatewayError('permission_denied', 'This endpoint needs an admin key (sy-admin-...); this is a client key.');
  const permission = findAdminPermission(method, path);
  if (!permission) throw new GatewayError('not_found', `No admin endpoint ${method} ${path.slice(0, 200)}.`);
  if (!permission.roles.includes(principal.role)) {
    throw new GatewayError('permission_denied', `This needs ${listRoles(permission.roles.filter((role) => role !== principal.role))}; this key has the ${principal.role} role.`);
  }
  return principal;
}

/** Whether a role sees captured request and answer bodies. */
export function mayReadBodies(role: AdminRole): boolean {
  return role === 'admin';
}
