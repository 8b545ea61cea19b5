import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from './errors.js';
import { redactSecrets, registerSecrets, secretConfigValues, secretEnvValues } from './secret-redaction.js';

test('a registered credential is removed as it is, URL-encoded and JSON-escaped', () => {
  const secret = 'Plain/Secret+Value"42';
  registerSecrets([secret]);
  const text = `one ${secret} two ${encodeURIComponent(secret)} three ${JSON.stringify(secret)}`;
  const redacted = redactSecrets(text);
  assert.ok(!redacted.includes('Plain/Secret'), redacted);
  assert.ok(!redacted.includes('Plain%2FSecret'), redacted);
  assert.equal(redacted.split('[redacted]').length - 1, 3);
});

test('credential shapes are removed without a registration; header names and schemes stay', () => {
  const text = [
    'key sy-abcdefghijklmnopqrstuvwxyz012345',
    'openai sk-proj-abcdefghijklmnopqrst',
    'aws AKIAABCDEFGHIJKLMNOP',
    'google AIzaSyA1234567890abcdefghijklmnop and ya29.a0AfH6SMBx-token',
    'Authorization: Bearer abc123def456ghi789',
    'x-api-key: Zq8x7c6v5b4n3m2l1k',
  ].join('\n');
  const redacted = redactSecrets(text);
  for (const gone of ['abcdefghijklmnopqrstuvwxyz012345', 'proj-abcdefghijklmnopqrst', 'ABCDEFGHIJKLMNOP', 'SyA1234567890', 'a0AfH6SMBx', 'abc123def456', 'Zq8x7c6v5b4n3m2l1k']) {
    assert.ok(!redacted.includes(gone), `${gone} survived in ${redacted}`);
  }
  assert.match(redacted, /Bearer \[redacted\]/);
  assert.match(redacted, /x-api-key: \[redacted\]/);
});

test('ordinary text, field paths and plain words are left alone', () => {
  registerSecrets(['environment', 'short1']);
  const text = 'providers.anthropic.apiKey: environment variable ANTHROPIC_API_KEY is not set; short1 stays';
  assert.equal(redactSecrets(text), text);
});

test('credentials are found in a configuration by field name, and in connection URLs', () => {
  const found = secretConfigValues({
    storage: 'postgres://switchyard:Db-pass-123@db:5432/switchyard',
    providers: { a: { type: 'openai', apiKey: 'k-1', headers: { 'x-org': 'org-2' }, options: { region: 'us-east-1', secretAccessKey: 's-3', sessionToken: 't-4' } } },
    capture: { keys: [{ tags: { team: 'support-team' } }] },
  });
  assert.deepEqual(found.sort(), ['Db-pass-123', 'k-1', 'org-2', 's-3', 't-4']);
  assert.deepEqual(secretEnvValues({ OPENAI_API_KEY: 'x', AWS_SESSION_TOKEN: 'y', HOME: '/root', PORT: '4000' }), ['x', 'y']);
});

test('a gateway error never carries a registered credential in its message', () => {
  registerSecrets(['Upstream-Credential-0042']);
  const error = new GatewayError('invalid_request', 'Provider "p" answered HTTP 400: Incorrect API key provided: Upstream-Credential-0042.');
  assert.ok(!error.message.includes('Upstream-Credential-0042'));
  assert.match(error.message, /answered HTTP 400/);
});
