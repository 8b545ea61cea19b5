import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../config/load-config.js';

test('an azure-openai options.auth is checked at startup, naming the field that is wrong', () => {
  const raw = (auth: unknown) => ({ providers: { azure: { type: 'azure-openai', baseUrl: 'https://example.openai.azure.com', options: { auth } } } });
  assert.throws(() => parseConfig(raw({ type: 'entra', tenantId: 't', clientId: 'c' }), {}), /providers\.azure\.options\.auth\.clientSecret/);
  assert.throws(() => parseConfig(raw({ type: 'password' }), {}), /providers\.azure\.options\.auth\.type/);
  const config = parseConfig(raw({ type: 'managed-identity', clientId: 'user-assigned-id' }), {});
  assert.deepEqual(config.providers.azure?.options?.auth, { type: 'managed-identity', clientId: 'user-assigned-id' });
});
