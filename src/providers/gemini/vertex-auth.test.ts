import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { AccessTokenCache, buildServiceAccountJwt, getVertexAccessToken, parseServiceAccount } from './vertex-auth.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccount = {
  type: 'service_account',
  project_id: 'demo-project',
  private_key_id: 'key-id-1',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'gateway@demo-project.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.example.test/token',
};

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface RecordedCall {
  url: string;
  body: URLSearchParams;
}

function fakeTokenEndpoint(calls: RecordedCall[], reply: () => Response): typeof fetch {
  return async (input, init) => {
    calls.push({ url: String(input), body: new URLSearchParams(String(init?.body)) });
    return reply();
  };
}

test('the JWT is RS256-signed by the service account and claims the cloud-platform scope', () => {
  const key = parseServiceAccount(JSON.stringify(serviceAccount));
  const jwt = buildServiceAccountJwt(key, 1_700_000_000_500);
  const [header, claims, signature] = jwt.split('.') as [string, string, string];
  assert.deepEqual(decodeSegment(header), { alg: 'RS256', typ: 'JWT', kid: 'key-id-1' });
  assert.deepEqual(decodeSegment(claims), {
    iss: 'gateway@demo-project.iam.gserviceaccount.com',
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    aud: 'https://oauth2.example.test/token',
    iat: 1_700_000_000,
    exp: 1_700_003_600,
  });
  assert.ok(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url')));
});

test('the token exchange posts the jwt-bearer grant and the token is cached until five minutes before expiry', async () => {
  const calls: RecordedCall[] = [];
  let now = 1_700_000_000_000;
  let issued = 0;
  const options = {
    cache: new AccessTokenCache(),
    now: () => now,
    fetch: fakeTokenEndpoint(calls, () => Response.json({ access_token: `ya29.token-${++issued}`, expires_in: 3599, token_type: 'Bearer' })),
  };
  const key = parseServiceAccount(serviceAccount);
  assert.equal(await getVertexAccessToken(key, options), 'ya29.token-1');
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.url, 'https://oauth2.example.test/token');
  assert.equal(calls[0]?.body.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
  const assertion = calls[0]?.body.get('assertion') ?? '';
  const [header, claims, signature] = assertion.split('.') as [string, string, string];
  assert.ok(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url')));

  now += 3_200_000;
  assert.equal(await getVertexAccessToken(key, options), 'ya29.token-1');
  assert.equal(calls.length, 1);
  now += 120_000;
  assert.equal(await getVertexAccessToken(key, options), 'ya29.token-2');
  assert.equal(calls.length, 2);
});

test('concurrent requests share one exchange', async () => {
  const calls: RecordedCall[] = [];
  const options = { cache: new AccessTokenCache(), fetch: fakeTokenEndpoint(calls, () => Response.json({ access_token: 'ya29.shared', expires_in: 3600 })) };
  const key = parseServiceAccount(serviceAccount);
  const tokens = await Promise.all([getVertexAccessToken(key, options), getVertexAccessToken(key, options), getVertexAccessToken(key, options)]);
  assert.deepEqual(tokens, ['ya29.shared', 'ya29.shared', 'ya29.shared']);
  assert.equal(calls.length, 1);
});

test('a rejected exchange is an upstream authentication failure and is not cached', async () => {
  const calls: RecordedCall[] = [];
  const options = {
    cache: new AccessTokenCache(),
    fetch: fakeTokenEndpoint(calls, () => Response.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 })),
  };
  const key = parseServiceAccount(serviceAccount);
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(getVertexAccessToken(key, options), (error: unknown) =>
      error instanceof GatewayError && error.code === 'upstream_authentication_failed' && error.message.includes('invalid_grant'));
  }
  assert.equal(calls.length, 2);
});

test('a service account without a private key, or not JSON, is rejected', () => {
  assert.throws(() => parseServiceAccount({ client_email: 'a@b.c' }), GatewayError);
  assert.throws(() => parseServiceAccount('{not json'), GatewayError);
  assert.equal(parseServiceAccount({ client_email: 'a@b.c', private_key: 'k' }).tokenUri, 'https://oauth2.googleapis.com/token');
});
