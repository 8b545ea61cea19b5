import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const config = (access: Record<string, unknown>) => ({
  providers: { sim: { type: 'openai', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' } },
  models: { house: { provider: 'sim' } },
  access,
});

function models(gateway: TestGateway, key: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}`, ...headers } });
}

async function createKey(gateway: TestGateway, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { id: string; key: string };
}

describe('failed authentications are throttled per client address', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway(config({ failedAuth: { burst: 5, perMinute: 6 }, trustedProxies: ['127.0.0.1/32'] }));
  });

  after(async () => {
    await gateway.stop();
  });

  test('after the burst a wrong key gets 429 with Retry-After, and a key in use from that address is still served', async () => {
    assert.equal((await models(gateway, gateway.clientKey, { 'x-forwarded-for': '198.51.100.1' })).status, 200);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) statuses.push((await models(gateway, `sy-guess-${attempt}`, { 'x-forwarded-for': '198.51.100.1' })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await models(gateway, 'sy-guess-again', { 'x-forwarded-for': '198.51.100.1' });
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 10, `Retry-After ${retryAfter}`);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limited');
    assert.match(body.error.message, /failed authentications/);
    assert.equal((await models(gateway, gateway.clientKey, { 'x-forwarded-for': '198.51.100.1' })).status, 200, 'the valid key is not slowed');
    assert.equal((await models(gateway, 'sy-guess-other', { 'x-forwarded-for': '198.51.100.2' })).status, 401, 'another address has its own allowance');
  });

  test('a request without any key is told to send one, and does not use up the allowance', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await fetch(`${gateway.url}/v1/models`, { headers: { 'x-forwarded-for': '198.51.100.3' } });
      assert.equal(response.status, 401);
    }
    assert.equal((await models(gateway, 'sy-first-guess', { 'x-forwarded-for': '198.51.100.3' })).status, 401);
  });
});

describe('X-Forwarded-For is ignored unless the proxy is trusted', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway(config({ failedAuth: { burst: 2, perMinute: 1 } }));
  });

  after(async () => {
    await gateway.stop();
  });

  test('a guesser cannot buy a fresh allowance by writing a new X-Forwarded-For each time', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await models(gateway, `sy-guess-${attempt}`, { 'x-forwarded-for': `203.0.113.${attempt}` })).status);
    assert.deepEqual(statuses, [401, 401, 429, 429]);
  });
});

describe('key rotation', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway(config({ rotation: { graceSeconds: 3600 } }));
  });

  after(async () => {
    await gateway.stop();
  });

  test('the new secret works at once and the old one through the grace period', async () => {
    const created = await createKey(gateway, { name: 'rotated' });
    const response = await gateway.admin(`/admin/keys/${created.id}/rotate`, { method: 'POST' });
    assert.equal(response.status, 200);
    const rotated = (await response.json()) as { id: string; key: string; prefix: string; previousValidUntil: string };
    assert.equal(rotated.id, created.id);
    assert.notEqual(rotated.key, created.key);
    assert.ok(rotated.key.startsWith(rotated.prefix));
    const graceMs = Date.parse(rotated.previousValidUntil) - Date.now();
    assert.ok(graceMs > 3_590_000 && graceMs <= 3_600_000, `grace ${graceMs} ms`);
    assert.equal((await models(gateway, rotated.key)).status, 200);
    assert.equal((await models(gateway, created.key)).status, 200);
  });

  test('after the grace period the old secret is refused and says why', async () => {
    const created = await createKey(gateway, { name: 'short grace' });
    assert.equal((await models(gateway, created.key)).status, 200);
    const rotated = (await (await gateway.admin(`/admin/keys/${created.id}/rotate`, { method: 'POST', body: JSON.stringify({ graceSeconds: 1 }) })).json()) as { key: string };
    assert.equal((await models(gateway, created.key)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await models(gateway, created.key);
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /rotated and its grace period has ended/);
    assert.equal((await models(gateway, rotated.key)).status, 200);
  });

  test('an admin key rotates too, keeping its role and its sy-admin- prefix', async () => {
    const created = await createKey(gateway, { name: 'ops', role: 'viewer' });
    const rotated = (await (await gateway.admin(`/admin/keys/${created.id}/rotate`, { method: 'POST', body: JSON.stringify({ graceSeconds: 0 }) })).json()) as { key: string; role: string };
    assert.match(rotated.key, /^sy-admin-/);
    assert.equal(rotated.role, 'viewer');
    const whoami = await fetch(`${gateway.url}/admin/whoami`, { headers: { authorization: `Bearer ${rotated.key}` } });
    assert.equal(((await whoami.json()) as { role: string }).role, 'viewer');
    assert.equal((await fetch(`${gateway.url}/admin/whoami`, { headers: { authorization: `Bearer ${created.key}` } })).status, 401, 'no grace: refused at once');
  });

  test('bad rotations get clear errors', async () => {
    assert.equal((await gateway.admin('/admin/keys/key_missing/rotate', { method: 'POST' })).status, 404);
    const created = await createKey(gateway, { name: 'revoked' });
    await gateway.admin(`/admin/keys/${created.id}`, { method: 'DELETE' });
    assert.equal((await gateway.admin(`/admin/keys/${created.id}/rotate`, { method: 'POST' })).status, 404);
    const active = await createKey(gateway, { name: 'active' });
    const negative = await gateway.admin(`/admin/keys/${active.id}/rotate`, { method: 'POST', body: JSON.stringify({ graceSeconds: -1 }) });
    assert.equal(negative.status, 400);
    assert.match(((await negative.json()) as { error: { param: string } }).error.param, /graceSeconds/);
  });
});

describe('keys bound to client networks', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway(config({ trustedProxies: ['127.0.0.1/32'] }));
  });

  after(async () => {
    await gateway.stop();
  });

  test('a key is served only from its networks, IPv4 and IPv6, and gets 403 elsewhere', async () => {
    const bound = await createKey(gateway, { name: 'office', allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] });
    assert.equal((await models(gateway, bound.key, { 'x-forwarded-for': '10.20.30.40' })).status, 200);
    assert.equal((await models(gateway, bound.key, { 'x-forwarded-for': '2001:db8::5' })).status, 200);
    const elsewhere = await models(gateway, bound.key, { 'x-forwarded-for': '198.51.100.7' });
    assert.equal(elsewhere.status, 403);
    assert.match(((await elsewhere.json()) as { error: { message: string } }).error.message, /may not be used from 198\.51\.100\.7/);
    assert.equal((await models(gateway, bound.key, { 'x-forwarded-for': '2001:db9::5' })).status, 403);
  });

  test('admin keys can be bound, and an admin changes a key\'s networks', async () => {
    const admin = await createKey(gateway, { name: 'remote admin', role: 'admin', allowedCidrs: ['::1/128'] });
    const whoami = (forwardedFor: string) => fetch(`${gateway.url}/admin/whoami`, { headers: { authorization: `Bearer ${admin.key}`, 'x-forwarded-for': forwardedFor } });
    assert.equal((await whoami('::1')).status, 200);
    assert.equal((await whoami('127.0.0.2')).status, 403);
    const patched = await gateway.admin(`/admin/keys/${admin.id}`, { method: 'PATCH', body: JSON.stringify({ allowedCidrs: ['127.0.0.0/8'] }) });
    assert.equal(patched.status, 200);
    assert.deepEqual(((await patched.json()) as { allowedCidrs: string[] }).allowedCidrs, ['127.0.0.0/8']);
    assert.equal((await whoami('127.0.0.2')).status, 200);
  });

  test('a malformed network is refused naming the entry, and nothing is created', async () => {
    const before = ((await (await gateway.admin('/admin/keys')).json()) as { data: unknown[] }).data.length;
    const response = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bad', allowedCidrs: ['10.0.0.0/8', '300.1.1.1/8'] }) });
    assert.equal(response.status, 400);
    const error = ((await response.json()) as { error: { param: string; message: string } }).error;
    assert.equal(error.param, 'allowedCidrs.1');
    assert.match(error.message, /300\.1\.1\.1/);
    assert.equal(((await (await gateway.admin('/admin/keys')).json()) as { data: unknown[] }).data.length, before);
  });
});
