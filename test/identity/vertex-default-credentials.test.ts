import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { resetVertexDefaultCredentials } from '../../src/providers/gemini/vertex-auth.js';
import { startGeminiSimulator } from '../simulators/gemini-simulator.js';
import { startGoogleTokenSimulator, type GoogleTokenSimulator } from '../simulators/google-token-simulator.js';
import type { ProviderSimulator } from '../simulators/loopback-server.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const savedPath = process.env.GOOGLE_APPLICATION_CREDENTIALS;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('Vertex AI with Application Default Credentials', () => {
  let scratch: string;
  let vertex: ProviderSimulator;
  let tokens: GoogleTokenSimulator | undefined;
  let gateway: TestGateway | undefined;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'switchyard-gcp-'));
    vertex = await startGeminiSimulator();
  });
  afterEach(async () => {
    await gateway?.stop();
    await tokens?.close();
    gateway = undefined;
    tokens = undefined;
    vertex.received.length = 0;
  });
  after(async () => {
    await vertex.close();
    if (savedPath === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    else process.env.GOOGLE_APPLICATION_CREDENTIALS = savedPath;
    resetVertexDefaultCredentials();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function start(expiresInSeconds: number): Promise<TestGateway> {
    tokens = await startGoogleTokenSimulator(publicKey, expiresInSeconds);
    const file = join(scratch, 'service-account.json');
    writeFileSync(file, JSON.stringify({
      type: 'service_account',
      project_id: 'demo-project',
      private_key_id: 'simulated-key-id',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'switchyard@demo-project.iam.gserviceaccount.com',
      client_id: '100000000000000000001',
      token_uri: tokens.tokenUri,
    }));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    resetVertexDefaultCredentials();
    return startTestGateway({
      providers: { vertex: { type: 'vertex', baseUrl: vertex.url, options: { project: 'demo-project', location: 'europe-west4' } } },
      models: { flash: { provider: 'vertex', model: 'gemini-2.0-flash' } },
    });
  }

  async function ask(target: TestGateway): Promise<string | null | undefined> {
    const completion = await target.client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'Hello' }] });
    return completion.choices[0]?.message.content;
  }

  test('a service-account key named by GOOGLE_APPLICATION_CREDENTIALS: its token_uri issues the bearer token, shared by concurrent requests', async () => {
    gateway = await start(3600);
    const replies = await Promise.all([ask(gateway), ask(gateway)]);
    assert.deepEqual(replies, ['Hello from the simulator.', 'Hello from the simulator.']);
    assert.deepEqual(tokens?.issued, ['ya29.simulated-1']);
    assert.equal(tokens?.claims[0]?.iss, 'switchyard@demo-project.iam.gserviceaccount.com');
    assert.equal(tokens?.claims[0]?.scope, 'https://www.googleapis.com/auth/cloud-platform');
    assert.deepEqual(vertex.received.map((received) => received.headers.authorization), ['Bearer ya29.simulated-1', 'Bearer ya29.simulated-1']);
    assert.match(vertex.received[0]?.path ?? '', /^\/v1\/projects\/demo-project\/locations\/europe-west4\/publishers\/google\/models\/gemini-2\.0-flash:generateContent/);
  });

  test('a token within five minutes of expiry is exchanged again before the next request', async () => {
    gateway = await start(240);
    await ask(gateway);
    await ask(gateway);
    assert.deepEqual(tokens?.issued, ['ya29.simulated-1', 'ya29.simulated-2']);
    assert.deepEqual(vertex.received.map((received) => received.headers.authorization), ['Bearer ya29.simulated-1', 'Bearer ya29.simulated-2']);
  });
});
