import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyFor } from './proxy-settings.js';

test('https origins use HTTPS_PROXY and http ones HTTP_PROXY, either case, with credentials as Basic', () => {
  const env = { HTTPS_PROXY: 'http://user:p%40ss@proxy.corp:3128', http_proxy: 'plain.corp:8080' };
  assert.deepEqual(proxyFor(true, 'api.openai.com', 443, env), { host: 'proxy.corp', port: 3128, authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}` });
  assert.deepEqual(proxyFor(false, 'vllm.internal', 8000, env), { host: 'plain.corp', port: 8080, authorization: undefined });
  assert.equal(proxyFor(true, 'api.openai.com', 443, {}), undefined);
});

test('NO_PROXY exempts hosts, domains with their subdomains, host:port pairs and everything with *', () => {
  const env = (noProxy: string) => ({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy });
  assert.equal(proxyFor(true, 'api.internal', 443, env('localhost, api.internal')), undefined);
  assert.equal(proxyFor(true, 'eu.models.corp.example', 443, env('.corp.example')), undefined);
  assert.equal(proxyFor(true, 'corp.example', 443, env('.corp.example')), undefined);
  assert.equal(proxyFor(true, 'models.corp.example', 443, env('corp.example')), undefined);
  assert.ok(proxyFor(true, 'notcorp.example', 443, env('corp.example')), 'a suffix that is not a subdomain does not match');
  assert.equal(proxyFor(true, 'gpu.local', 8443, env('gpu.local:8443')), undefined);
  assert.ok(proxyFor(true, 'gpu.local', 443, env('gpu.local:8443')), 'another port is still proxied');
  assert.equal(proxyFor(true, 'anything', 443, env('*')), undefined);
  for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.8.9.10', '::1']) assert.equal(proxyFor(true, host, 443, env('')), undefined, `${host} is loopback`);
});

test('a proxy setting that cannot be used is an error that names it', () => {
  assert.throws(() => proxyFor(true, 'a', 443, { HTTPS_PROXY: 'https://proxy:443' }), /Only http:\/\/ proxies/);
  assert.throws(() => proxyFor(true, 'a', 443, { HTTPS_PROXY: 'http://[bad' }), /not a URL/);
});
