import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

describe('every bad input gets a clear error in the OpenAI envelope', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', ...headers }, body });

  async function expectError(response: Response, status: number, code: string, messagePart?: RegExp): Promise<ErrorBody> {
    assert.equal(response.status, status);
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.type, 'string');
    assert.ok(!/\bat .+\.js:\d+/.test(body.error.message), 'no stack trace in the message');
    if (messagePart) assert.match(body.error.message, messagePart);
    assert.ok(response.headers.get('x-request-id'), 'errors carry a request id');
    return body;
  }

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      server: { bodyLimitBytes: 2048 },
      providers: {
        sim: { type: 'openai', baseUrl: simulator.url, apiKey: 'upstream-secret-value', timeouts: { firstByteMs: 300 } },
        down: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'x' },
      },
      models: { 'gpt-4o-mini': { provider: 'sim' }, other: { provider: 'sim' }, offline: { provider: 'down' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('invalid JSON is a 400 that says the body is not JSON', async () => {
    await expectError(await post('{"model": '), 400, 'invalid_request', /not valid JSON/);
  });

  test('a missing or wrongly typed field is a 400 naming the field', async () => {
    const missing = await expectError(await post(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] })), 400, 'invalid_request', /model/);
    assert.equal(missing.error.param, 'model');
    const typed = await expectError(await post(JSON.stringify({ model: 'gpt-4o-mini', messages: 'hi' })), 400, 'invalid_request', /expected an array/);
    assert.equal(typed.error.param, 'messages');
    const role = await expectError(await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] })), 400, 'invalid_request');
    assert.equal(role.error.param, 'messages[0].role');
    const temperature = await expectError(await post(JSON.stringify({ model: 'gpt-4o-mini', temperature: 5, messages: [{ role: 'user', content: 'x' }] })), 400, 'invalid_request', /at most 2/);
    assert.equal(temperature.error.param, 'temperature');
  });

  test('an unknown model is a 404 listing what exists', async () => {
    await expectError(await post(JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })), 404, 'model_not_found', /gpt-4o-mini/);
  });

  test('a body over the limit is a 413 naming the limit', async () => {
    const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    await expectError(await post(big), 413, 'request_too_large', /2048 bytes/);
  });

  test('missing, unknown, revoked and expired keys are 401; a key limited to other models is 403', async () => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await expectError(await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body }), 401, 'authentication_failed', /Missing API key/);
    await expectError(await post(body, { authorization: 'Bearer sy-not-a-real-key' }), 401, 'authentication_failed', /Invalid API key/);

    const revoked = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'revoked' }) })).json()) as { id: string; key: string };
    assert.equal((await post(body, { authorization: `Bearer ${revoked.key}` })).status, 200);
    assert.equal((await gateway.admin(`/admin/keys/${revoked.id}`, { method: 'DELETE' })).status, 200);
    await expectError(await post(body, { authorization: `Bearer ${revoked.key}` }), 401, 'authentication_failed', /revoked/);

    const expired = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'old', expiresAt: '2020-01-01T00:00:00Z' }) })).json()) as { key: string };
    await expectError(await post(body, { authorization: `Bearer ${expired.key}` }), 401, 'authentication_failed', /expired/);

    const limited = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'limited', models: ['other'] }) })).json()) as { key: string };
    await expectError(await post(body, { authorization: `Bearer ${limited.key}` }), 403, 'permission_denied', /may not use model "gpt-4o-mini"/);
    assert.equal((await post(JSON.stringify({ model: 'other', messages: [{ role: 'user', content: 'hi' }] }), { authorization: `Bearer ${limited.key}` })).status, 200);
  });

  test('client keys cannot reach the admin API', async () => {
    const response = await fetch(`${gateway.url}/admin/keys`, { headers: { authorization: `Bearer ${gateway.clientKey}` } });
    await expectError(response, 403, 'permission_denied', /admin key/);
  });

  test('upstream failures map to 429, 502, 503 and 504 without leaking the upstream credential', async () => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    simulator.behave({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const limited = await post(body);
    assert.equal(limited.headers.get('retry-after'), '7');
    await expectError(limited, 429, 'rate_limited');

    simulator.behave({ kind: 'status', status: 500 });
    await expectError(await post(body), 502, 'upstream_error', /HTTP 500/);

    simulator.behave({ kind: 'status', status: 401, body: { error: { message: 'Incorrect API key provided: upstream-secret-value', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const auth = await expectError(await post(body), 502, 'upstream_authentication_failed', /apiKey/);
    assert.ok(!auth.error.message.includes('upstream-secret-value'), 'the upstream key never reaches the client');

    simulator.behave({ kind: 'hang' });
    const started = performance.now();
    await expectError(await post(body), 504, 'upstream_timeout');
    assert.ok(performance.now() - started < 5_000, 'answers within the configured first-byte timeout');

    simulator.behave({ kind: 'malformed' });
    await expectError(await post(body), 502, 'upstream_error', /not JSON/);

    simulator.behave({ kind: 'ok' });
    await expectError(await post(JSON.stringify({ model: 'offline', messages: [{ role: 'user', content: 'hi' }] })), 503, 'upstream_unavailable', /unreachable/);
  });

  test('the official client surfaces these as typed errors', async () => {
    simulator.behave({ kind: 'ok' });
    await assert.rejects(gateway.client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => error instanceof OpenAI.NotFoundError && /nope/.test(error.message));
    const anonymous = new OpenAI({ apiKey: 'wrong', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await assert.rejects(anonymous.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }), OpenAI.AuthenticationError);
  });

  test('an unknown path is a 404 in the same envelope', async () => {
    await expectError(await fetch(`${gateway.url}/v1/nothing`, { headers: { authorization: `Bearer ${gateway.clientKey}` } }), 404, 'not_found');
  });
});
