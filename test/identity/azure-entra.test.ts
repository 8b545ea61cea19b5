import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEntraTokenSimulator, type EntraTokenSimulator } from '../simulators/entra-token-simulator.js';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { spawnGateway, type SpawnedGateway } from '../support/spawn-gateway.js';

// Microsoft's client library insists on https authorities, so the token endpoint runs with a self-signed
// certificate that the gateway, a child process, trusts through NODE_EXTRA_CA_CERTS.
describe('Azure OpenAI with a Microsoft Entra ID client secret', () => {
  let folder: string;
  let entra: EntraTokenSimulator;
  let azure: OpenAiSimulator;
  let gateway: SpawnedGateway;
  const adminKey = 'entra-admin';

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'switchyard-entra-'));
    entra = await startEntraTokenSimulator(folder, 'simulated-client-secret', 3600);
    azure = await startOpenAiSimulator();
    writeFileSync(join(folder, 'switchyard.yaml'), JSON.stringify({
      providers: {
        azure: {
          type: 'azure-openai',
          baseUrl: azure.url,
          options: {
            auth: { type: 'entra', tenantId: '72f988bf-0000-0000-0000-2d7cd011db47', clientId: 'switchyard-app', clientSecret: 'simulated-client-secret', authorityHost: entra.authorityHost },
          },
        },
      },
      models: { gpt: { provider: 'azure', model: 'gpt-4o-mini' } },
    }));
    gateway = await spawnGateway([], { SWITCHYARD_ADMIN_KEY: adminKey, NODE_EXTRA_CA_CERTS: entra.certificateFile }, folder);
  });
  after(async () => {
    gateway.process.kill('SIGTERM');
    await gateway.exited;
    await Promise.all([entra.close(), azure.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  test('requests carry Authorization: Bearer <Entra token> instead of api-key, one token for many requests', async () => {
    const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app' }) });
    const { key } = (await created.json()) as { key: string };
    const ask = () =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'Hello' }] }),
      });
    const responses = await Promise.all([ask(), ask()]);
    assert.deepEqual(responses.map((response) => response.status), [200, 200], gateway.output());
    assert.equal(entra.issued.length, 1);
    assert.equal(entra.grants[0]?.get('scope'), 'https://cognitiveservices.azure.com/.default');
    assert.equal(entra.grants[0]?.get('client_id'), 'switchyard-app');
    const upstream = azure.received.filter((received) => received.path.includes('/chat/completions'));
    assert.equal(upstream.length, 2);
    for (const received of upstream) {
      assert.equal(received.headers.authorization, `Bearer ${entra.issued[0]}`);
      assert.equal(received.headers['api-key'], undefined);
      assert.match(received.path, /\/openai\/deployments\/gpt-4o-mini\/chat\/completions\?api-version=/);
    }
  });
});
