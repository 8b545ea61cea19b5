import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { test } from 'node:test';
import { outboundSchema } from './outbound-config.js';
import { OutboundPolicy } from './outbound-policy.js';

const policyOf = (settings: unknown) => new OutboundPolicy(outboundSchema.parse(settings));

test('configured URLs may reach private and loopback addresses, never metadata or link-local ones', () => {
  const policy = policyOf({});
  assert.equal(policy.refuseHost('127.0.0.1', 'configured'), undefined);
  assert.equal(policy.refuseHost('10.0.0.7', 'configured'), undefined);
  assert.equal(policy.refuseHost('api.openai.com', 'configured'), undefined, 'names are decided by the addresses they resolve to');
  assert.match(policy.refuseHost('169.254.169.254', 'configured') ?? '', /cloud metadata address/);
  assert.match(policy.refuseHost('fd00:ec2::254', 'configured') ?? '', /cloud metadata address/);
  assert.match(policy.refuseHost('169.254.10.1', 'configured') ?? '', /link-local/);
  assert.match(policy.refuseHost('metadata.google.internal', 'configured') ?? '', /metadata service/);
});

test('client URLs may reach only public addresses, unless private ones are allowed', () => {
  const strict = policyOf({});
  assert.match(strict.refuseAddress('images.example', '192.168.0.5', 'client') ?? '', /images\.example \(192\.168\.0\.5\) is a private or loopback address.*outbound\.allowPrivate/);
  assert.match(strict.refuseHost('::1', 'client') ?? '', /private or loopback/);
  assert.equal(strict.refuseAddress('images.example', '93.184.215.14', 'client'), undefined);
  const relaxed = policyOf({ allowPrivate: true });
  assert.equal(relaxed.refuseAddress('images.example', '192.168.0.5', 'client'), undefined);
  assert.match(relaxed.refuseAddress('images.example', '169.254.169.254', 'client') ?? '', /metadata/, 'allowPrivate does not open metadata addresses');
});

test('outbound.allow opens CIDR blocks, single addresses, host names and name suffixes', () => {
  const policy = policyOf({ allow: ['10.1.0.0/16', '169.254.169.254', 'metadata.google.internal', '.corp.example'] });
  assert.equal(policy.refuseAddress('x', '10.1.2.3', 'client'), undefined);
  assert.match(policy.refuseAddress('x', '10.2.0.1', 'client') ?? '', /private/);
  assert.equal(policy.refuseHost('169.254.169.254', 'client'), undefined);
  assert.equal(policy.refuseHost('metadata.google.internal', 'configured'), undefined);
  assert.equal(policy.refuseAddress('images.corp.example', '10.9.9.9', 'client'), undefined);
  assert.match(policy.refuseAddress('corp.example.org', '10.9.9.9', 'client') ?? '', /private/);
});

test('allow entries that are neither addresses, blocks nor names are refused when the config loads', () => {
  for (const entry of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/x', 'http://host', 'a b']) {
    assert.equal(outboundSchema.safeParse({ allow: [entry] }).success, false, entry);
  }
});

function lookUp(policy: OutboundPolicy, host: string, source: 'configured' | 'client', all: boolean): Promise<{ error: Error | null; result: string | LookupAddress[] }> {
  return new Promise((resolve) => policy.lookupFor(source)(host, all ? { all: true } : {}, (error, result) => resolve({ error, result })));
}

test('the lookup used for connecting refuses a name whose addresses are refused, after resolving it', async () => {
  const policy = policyOf({});
  const client = await lookUp(policy, 'localhost', 'client', true);
  assert.equal((client.error as Error & { code?: string })?.code, 'UPSTREAM_ADDRESS_DENIED');
  assert.match(client.error?.message ?? '', /^localhost \((127\.0\.0\.1|::1)\) is a private or loopback address/);
  const configured = await lookUp(policy, 'localhost', 'configured', false);
  assert.equal(configured.error, null);
  assert.match(String(configured.result), /^(127\.0\.0\.1|::1)$/);
  const all = await lookUp(policy, 'localhost', 'configured', true);
  assert.ok(Array.isArray(all.result) && all.result.length > 0);
});

test('URLs are checked by their host, and only http and https URLs pass', async () => {
  const policy = policyOf({});
  assert.match(policy.refuseUrl('http://[fd00:ec2::254]/latest/meta-data', 'configured') ?? '', /fd00:ec2::254 is a cloud metadata address/);
  assert.equal(policy.refuseUrl('https://10.0.0.5:4318/v1/traces', 'configured'), undefined);
  assert.match(policy.refuseUrl('file:///etc/passwd', 'configured') ?? '', /not an http or https URL/);
  assert.match(policy.refuseUrl('not a url', 'client') ?? '', /not an http or https URL/);
  assert.match((await policy.refuseResolvedUrl('http://localhost:4318/v1/traces', 'client')) ?? '', /^localhost \((127\.0\.0\.1|::1)\) is a private or loopback address/);
  assert.equal(await policy.refuseResolvedUrl('http://localhost:4318/v1/traces', 'configured'), undefined);
});
