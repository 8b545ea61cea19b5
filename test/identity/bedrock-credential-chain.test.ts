import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { resetAwsCredentialCache } from '../../src/providers/bedrock/aws-credentials.js';
import { startAwsIdentitySimulator, type AwsIdentitySimulator } from '../simulators/aws-identity-simulator.js';
import { startBedrockSimulator } from '../simulators/bedrock-simulator.js';
import type { ProviderSimulator } from '../simulators/loopback-server.js';
import { verifySigV4 } from '../support/sigv4-verify.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// The AWS credential chain reads process.env; each test sets only what it needs and restores the rest.
const awsVariables = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME',
  'AWS_ENDPOINT_URL_STS', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_STS_REGIONAL_ENDPOINTS',
];
const saved = new Map(awsVariables.map((name) => [name, process.env[name]]));
let scratch: string;

function useEnvironment(values: Record<string, string>): void {
  for (const name of awsVariables) delete process.env[name];
  // No shared files and no instance metadata unless a test asks for them: nothing may leave loopback.
  process.env.AWS_CONFIG_FILE = join(scratch, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  Object.assign(process.env, values);
  resetAwsCredentialCache();
}

const model = 'anthropic.claude-3-5-haiku-20241022-v1:0';

describe('Bedrock credentials found the way the AWS SDKs find them', () => {
  let bedrock: ProviderSimulator;
  let gateway: TestGateway | undefined;
  let identity: AwsIdentitySimulator | undefined;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'switchyard-aws-'));
    bedrock = await startBedrockSimulator();
  });
  afterEach(async () => {
    await gateway?.stop();
    await identity?.close();
    gateway = undefined;
    identity = undefined;
    bedrock.received.length = 0;
  });
  after(async () => {
    await bedrock.close();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetAwsCredentialCache();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function gatewayWithoutKeys(): Promise<TestGateway> {
    return startTestGateway({ providers: { bedrock: { type: 'bedrock', baseUrl: bedrock.url } }, models: { claude: { provider: 'bedrock', model } } });
  }

  async function ask(target: TestGateway): Promise<string | null | undefined> {
    const completion = await target.client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Hello' }] });
    return completion.choices[0]?.message.content;
  }

  test('only AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION in the environment: requests are signed with that key', async () => {
    useEnvironment({ AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENTKEY01', AWS_SECRET_ACCESS_KEY: 'environment-secret-key', AWS_REGION: 'eu-central-1' });
    gateway = await gatewayWithoutKeys();
    assert.equal(await ask(gateway), 'Hello from the simulator.');
    const [received] = bedrock.received;
    assert.ok(received);
    assert.deepEqual(verifySigV4(received, 'environment-secret-key'), { accessKeyId: 'AKIAENVIRONMENTKEY01', region: 'eu-central-1', sessionToken: undefined });
    assert.throws(() => verifySigV4(received, 'another-secret'), /signature mismatch/);
  });

  test('web identity token file and role: STS AssumeRoleWithWebIdentity credentials sign the request, with the session token', async () => {
    identity = await startAwsIdentitySimulator({ lifetimeMs: 3_600_000 });
    const tokenFile = join(scratch, 'web-identity-token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.simulated-service-account-token.sig');
    useEnvironment({
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/switchyard-bedrock',
      AWS_ROLE_SESSION_NAME: 'switchyard-test',
      AWS_ENDPOINT_URL_STS: identity.url,
      AWS_REGION: 'us-west-2',
    });
    gateway = await gatewayWithoutKeys();
    await Promise.all([ask(gateway), ask(gateway)]);
    await ask(gateway);
    assert.equal(identity.calls.length, 1, 'concurrent and later requests share one AssumeRoleWithWebIdentity');
    const form = new URLSearchParams(identity.calls[0]?.body);
    assert.equal(form.get('Action'), 'AssumeRoleWithWebIdentity');
    assert.equal(form.get('RoleArn'), 'arn:aws:iam::123456789012:role/switchyard-bedrock');
    assert.equal(form.get('WebIdentityToken'), 'eyJhbGciOiJSUzI1NiJ9.simulated-service-account-token.sig');
    const [issued] = identity.issued;
    assert.ok(issued);
    assert.equal(bedrock.received.length, 3);
    for (const received of bedrock.received) {
      assert.deepEqual(verifySigV4(received, issued.secretAccessKey), { accessKeyId: issued.accessKeyId, region: 'us-west-2', sessionToken: issued.sessionToken });
    }
  });

  test('web identity credentials about to expire are replaced before the next request', async () => {
    // Two minutes left is inside the five-minute margin, so every request fetches new credentials.
    identity = await startAwsIdentitySimulator({ lifetimeMs: 120_000 });
    const tokenFile = join(scratch, 'web-identity-token');
    writeFileSync(tokenFile, 'simulated-token');
    useEnvironment({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r', AWS_ENDPOINT_URL_STS: identity.url, AWS_REGION: 'us-west-2' });
    gateway = await gatewayWithoutKeys();
    await ask(gateway);
    await ask(gateway);
    const issued = identity.issued;
    const signers = bedrock.received.map((received) => {
      const match = issued.find((credentials) => credentials.accessKeyId === received.headers.authorization?.match(/Credential=([^/]+)/)?.[1]);
      assert.ok(match, 'signed with credentials the identity endpoint issued');
      return verifySigV4(received, match.secretAccessKey).accessKeyId;
    });
    assert.equal(issued.length, 2);
    assert.notEqual(signers[0], signers[1], 'the second request uses credentials fetched after the first ones neared expiry');
  });

  test('container credentials (ECS, EKS Pod Identity) from AWS_CONTAINER_CREDENTIALS_FULL_URI on loopback', async () => {
    identity = await startAwsIdentitySimulator({ lifetimeMs: 3_600_000 });
    useEnvironment({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${identity.url}/container-credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'simulated-pod-identity-token',
      AWS_REGION: 'ap-southeast-2',
    });
    gateway = await gatewayWithoutKeys();
    await ask(gateway);
    assert.equal(identity.calls[0]?.headers.authorization, 'simulated-pod-identity-token');
    const [issued] = identity.issued;
    assert.ok(issued);
    const [received] = bedrock.received;
    assert.ok(received);
    assert.deepEqual(verifySigV4(received, issued.secretAccessKey), { accessKeyId: issued.accessKeyId, region: 'ap-southeast-2', sessionToken: issued.sessionToken });
  });

  test('EC2 instance metadata (IMDSv2) at AWS_EC2_METADATA_SERVICE_ENDPOINT', async () => {
    identity = await startAwsIdentitySimulator({ lifetimeMs: 3_600_000 });
    useEnvironment({ AWS_REGION: 'us-east-2' });
    delete process.env.AWS_EC2_METADATA_DISABLED;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = identity.url;
    gateway = await gatewayWithoutKeys();
    await ask(gateway);
    assert.equal(identity.calls[0]?.method, 'PUT', 'IMDSv2 starts with a session token');
    const [issued] = identity.issued;
    assert.ok(issued);
    const [received] = bedrock.received;
    assert.ok(received);
    assert.equal(verifySigV4(received, issued.secretAccessKey).sessionToken, issued.sessionToken);
  });

  test('no credentials anywhere: a 502 that says the chain found none', async () => {
    useEnvironment({ AWS_REGION: 'us-east-1' });
    gateway = await gatewayWithoutKeys();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    assert.equal(response.status, 502);
    assert.equal(bedrock.received.length, 0);
  });
});
