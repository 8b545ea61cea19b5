import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { anthropicDialect, documentedStatuses, endpoints, envelopeProblem, type Endpoint } from './support/endpoint-catalog.js';
import { adminKey, startTestGateway, type TestGateway } from './support/test-gateway.js';

/** One generated request: an endpoint, who sends it, and a body and headers that may be anything. */
interface FuzzedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
}

const runs = 1_000;
const bodyLimitBytes = 16_384;

const printable = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:%&?,;{}[]"\' '), maxLength: 40 });
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(null), fc.double(), fc.string({ maxLength: 30 }), fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }));

/** A valid body with one field replaced, removed or added, or wrapped in arrays: what a confused client sends. */
function mutatedBody(valid: unknown): fc.Arbitrary<unknown> {
  if (typeof valid !== 'object' || valid === null || Array.isArray(valid)) return anyValue;
  const fields = Object.keys(valid);
  return fc.oneof(
    fc.record({ field: fc.constantFrom(...fields), value: anyValue }).map(({ field, value }) => ({ ...valid, [field]: value })),
    fc.constantFrom(...fields).map((field) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field))),
    fc.record({ field: printable, value: anyValue }).map(({ field, value }) => ({ ...valid, [field]: value })),
    fc.nat({ max: 400 }).map((depth) => ({ ...valid, messages: Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 'deep') })),
  );
}

/** Body text: valid, mutated, any JSON, any string, bytes that are not UTF-8, or nothing. */
function bodyFor(endpoint: Endpoint): fc.Arbitrary<string | undefined> {
  const valid = endpoint.body?.(endpoint.path.startsWith('/admin') ? 'fuzzed' : 'gpt-4o-mini');
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(valid === undefined ? undefined : JSON.stringify(valid)) },
    { weight: 5, arbitrary: mutatedBody(valid).map((body) => JSON.stringify(body) ?? 'undefined') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
    { weight: 1, arbitrary: fc.nat({ max: 3 * bodyLimitBytes }).map((size) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(size) }] })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function pathFor(endpoint: Endpoint, ids: () => Record<string, string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...Object.values(ids())).map((id) => endpoint.path.replace('{id}', encodeURIComponent(id))) },
    { weight: 2, arbitrary: printable.map((id) => endpoint.path.replace('{id}', encodeURIComponent(id))) },
    { weight: 1, arbitrary: printable.map((tail) => `${endpoint.path.replace('{id}', 'x')}${tail.startsWith('/') ? tail : `?${encodeURIComponent(tail)}=${tail.length}`}`) },
    { weight: 1, arbitrary: fc.array(printable.map(encodeURIComponent), { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`) },
  );
}

function requestFor(gateway: () => TestGateway, ids: () => Record<string, string>): fc.Arbitrary<FuzzedRequest> {
  return fc.constantFrom(...endpoints).chain((endpoint) =>
    fc.record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant(endpoint.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }),
      path: pathFor(endpoint, ids),
      authorization: fc.oneof(
        { weight: 6, arbitrary: fc.constant(endpoint.caller === 'admin' ? `Bearer ${adminKey}` : endpoint.caller === 'client' ? `Bearer ${gateway().clientKey}` : undefined) },
        { weight: 1, arbitrary: fc.constantFrom(`Bearer ${adminKey}`, `Bearer ${gateway().clientKey}`, `bearer  ${gateway().clientKey} `, 'Bearer', 'Basic dXNlcjpwYXNz', '') },
        { weight: 1, arbitrary: printable.map((text) => `Bearer ${text}`) },
      ),
      headers: fc.record(
        {
          'content-type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'),
          'anthropic-version': fc.constantFrom('2023-06-01', 'not-a-date'),
          'x-switchyard-customer': printable,
          'x-switchyard-tags': printable,
          'x-switchyard-cache': fc.constantFrom('exact', 'semantic', 'off', 'sideways'),
          'x-api-key': printable,
        },
        { requiredKeys: [] },
      ),
      body: bodyFor(endpoint),
    }),
  );
}

/** fast-check's report with the failed assertion's own message, which the test runner would otherwise not show. */
async function assertProperty<T>(property: fc.IAsyncProperty<T>, parameters: fc.Parameters<T>): Promise<void> {
  try {
    await fc.assert(property, parameters);
  } catch (error) {
    const cause = (error as Error).cause;
    throw new Error(`${(error as Error).message}\n${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

describe('fuzzing every endpoint', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  const known: Record<string, string> = {};
  const seen = new Map<number, number>();

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      server: { bodyLimitBytes },
      providers: { sim: { type: 'openai', baseUrl: simulator.url, apiKey: 'sim-key-0123456789' } },
      models: { 'gpt-4o-mini': { provider: 'sim' }, 'text-embedding-3-small': { provider: 'sim' } },
      metrics: { rating: { type: 'float', min: 1, max: 5 } },
    });
    const chat = await gateway.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const stored = (await (await fetch(`${gateway.url}/v1/responses`, { method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', input: 'hi', store: true }) })).json()) as { id: string };
    const key = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'spare' }) })).json()) as { id: string };
    // The first token count loads the tokenizer (seconds on a busy machine); load it before the timed part.
    await fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    await gateway.admin('/admin/datasets', { method: 'POST', body: JSON.stringify({ name: 'fuzzed', jsonl: '{"messages":[{"role":"user","content":"hi"}]}' }) });
    Object.assign(known, { request: chat.id, response: stored.id, key: key.id, dataset: 'fuzzed', customer: 'acme' });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test(`${runs} generated requests get documented statuses, no 5xx, and well-formed error envelopes`, async () => {
    await assertProperty(
      fc.asyncProperty(requestFor(() => gateway, () => known), async (fuzzed) => {
        const headers: Record<string, string> = { ...fuzzed.headers };
        if (fuzzed.authorization !== undefined) headers.authorization = fuzzed.authorization;
        const hasBody = fuzzed.body !== undefined && fuzzed.method !== 'GET' && fuzzed.method !== 'HEAD';
        const response = await fetch(`${gateway.url}${fuzzed.path}`, { method: fuzzed.method, headers, ...(hasBody ? { body: fuzzed.body } : {}) });
        const text = await response.text();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        assert.ok(documentedStatuses.has(response.status), `undocumented status ${response.status}: ${text.slice(0, 300)}`);
        assert.ok(response.status < 500, `a ${response.status} with a healthy upstream: ${text.slice(0, 300)}`);
        assert.ok(response.headers.get('x-request-id'), 'every answer carries a request id');
        if (response.status >= 400 && fuzzed.method !== 'HEAD') {
          const problem = envelopeProblem(fuzzed.path, response.status, text);
          assert.equal(problem, undefined, `${fuzzed.method} ${fuzzed.path} (${anthropicDialect(fuzzed.path) ? 'anthropic' : 'openai'} envelope): ${problem}`);
        }
      }),
      { numRuns: runs, endOnFailure: true },
    );
    const health = await fetch(`${gateway.url}/health`);
    assert.equal(health.status, 200, 'the gateway still answers after the run');
    assert.ok((seen.get(200) ?? 0) > runs / 20, `valid requests were among them: ${JSON.stringify([...seen])}`);
    assert.ok((seen.get(400) ?? 0) > runs / 20, `invalid ones too: ${JSON.stringify([...seen])}`);
  });
});
