import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminPermissions, type AdminRoutePermission } from '../../src/server/admin/admin-permissions.js';
import type { AdminRole } from '../../src/core/admin-role.js';
import { adminKey, startTestGateway, type TestGateway } from '../support/test-gateway.js';

type Caller = { label: string; key: string | undefined; role: AdminRole | undefined };

function concretePath(permission: AdminRoutePermission): string {
  return permission.path.replace(/:[a-z]+/g, 'absent-target');
}

async function call(gateway: TestGateway, permission: AdminRoutePermission, key: string | undefined): Promise<{ status: number; message: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${gateway.url}${concretePath(permission)}`, { method: permission.method, headers, ...(permission.method === 'GET' || permission.method === 'DELETE' ? {} : { body: '{}' }) });
  const text = await response.text();
  let message = '';
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
  } catch {
    message = '';
  }
  return { status: response.status, message };
}

describe('admin roles', () => {
  let gateway: TestGateway;
  const callers: Caller[] = [];

  async function createRoleKey(role: AdminRole): Promise<string> {
    const response = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: `${role} key`, role }) });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { key: string; role: string; prefix: string };
    assert.equal(body.role, role);
    assert.match(body.key, /^sy-admin-/);
    assert.ok(body.key.startsWith(body.prefix));
    return body.key;
  }

  before(async () => {
    gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' } }, models: { house: { provider: 'sim' } } });
    callers.push(
      { label: 'bootstrap admin', key: adminKey, role: 'admin' },
      { label: 'admin key', key: await createRoleKey('admin'), role: 'admin' },
      { label: 'finance key', key: await createRoleKey('finance'), role: 'finance' },
      { label: 'viewer key', key: await createRoleKey('viewer'), role: 'viewer' },
      { label: 'client key', key: gateway.clientKey, role: undefined },
      { label: 'no key', key: undefined, role: undefined },
    );
  });

  after(async () => {
    await gateway.stop();
  });

  test('every admin route in the permission table answers each caller as the table says', async () => {
    assert.ok(adminPermissions.length >= 30, `only ${adminPermissions.length} routes in the table`);
    const problems: string[] = [];
    for (const permission of adminPermissions) {
      for (const caller of callers) {
        const { status, message } = await call(gateway, permission, caller.key);
        const where = `${permission.method} ${permission.path} as ${caller.label}: ${status} ${message}`;
        if (caller.key === undefined) {
          if (status !== 401) problems.push(`${where} (expected 401)`);
        } else if (caller.role === undefined) {
          if (status !== 403) problems.push(`${where} (expected 403)`);
        } else if (permission.roles.includes(caller.role)) {
          if (status === 401 || status === 403 || status >= 500) problems.push(`${where} (expected 2xx or 4xx other than 401/403)`);
          if (/^No admin endpoint/.test(message)) problems.push(`${where} (the table lists a route the router does not serve)`);
        } else if (status !== 403 || !message.includes(`this key has the ${caller.role} role`)) {
          problems.push(`${where} (expected 403 naming the ${caller.role} role)`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test('a refused role is told which role it has and which it needs', async () => {
    const finance = callers.find((caller) => caller.role === 'finance')?.key as string;
    const response = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    assert.equal(response.status, 403);
    const body = (await response.json()) as { error: { code: string; message: string; type: string } };
    assert.equal(body.error.code, 'permission_denied');
    assert.equal(body.error.message, 'This needs the admin role; this key has the finance role.');
  });

  test('a route that is not in the table answers 404 even to the admin role', async () => {
    const response = await gateway.admin('/admin/keys', { method: 'PUT', body: '{}' });
    assert.equal(response.status, 404);
  });

  test('whoami names each admin key and its role', async () => {
    for (const caller of callers.filter((item) => item.role !== undefined)) {
      const response = await fetch(`${gateway.url}/admin/whoami`, { headers: { authorization: `Bearer ${caller.key as string}` } });
      const body = (await response.json()) as { id: string; name: string; role: string };
      assert.equal(body.role, caller.role, caller.label);
      assert.equal(typeof body.id, 'string');
    }
  });

  test('the key list shows roles, null for client keys, and revoking an admin key refuses it', async () => {
    const viewer = callers.find((caller) => caller.role === 'viewer')?.key as string;
    const list = (await (await gateway.admin('/admin/keys')).json()) as { data: Array<{ id: string; role: string | null; prefix: string }> };
    assert.deepEqual(list.data.map((key) => key.role).sort(), ['admin', 'finance', 'viewer', null].sort());
    const viewerEntry = list.data.find((key) => key.role === 'viewer') as { id: string };
    assert.equal((await gateway.admin(`/admin/keys/${viewerEntry.id}`, { method: 'DELETE' })).status, 200);
    const refused = await fetch(`${gateway.url}/admin/whoami`, { headers: { authorization: `Bearer ${viewer}` } });
    assert.equal(refused.status, 401);
  });

  test('an unknown role is refused with the roles that exist', async () => {
    const response = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'x', role: 'owner' }) });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /admin, finance, viewer/);
  });

  test('finance sets a budget on an existing key, and the key list shows it', async () => {
    const finance = callers.find((caller) => caller.role === 'finance')?.key as string;
    const list = (await (await gateway.admin('/admin/keys')).json()) as { data: Array<{ id: string; role: string | null }> };
    const client = list.data.find((key) => key.role === null) as { id: string };
    const budget = { usd: 5, period: 'monthly', hard: true };
    const response = await fetch(`${gateway.url}/admin/keys/${client.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/json' }, body: JSON.stringify({ budget }) });
    assert.equal(response.status, 200);
    const relisted = (await (await gateway.admin('/admin/keys')).json()) as { data: Array<{ id: string; budget: { usd: number } | null }> };
    assert.equal(relisted.data.find((key) => key.id === client.id)?.budget?.usd, 5);
    const bad = await fetch(`${gateway.url}/admin/keys/${client.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${finance}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'renamed' }) });
    assert.equal(bad.status, 400);
  });
});
