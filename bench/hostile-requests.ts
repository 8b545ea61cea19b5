import { seededRandom } from '../src/routing/router/linear-model.js';

/**
 * Generated requests for the hostile long run: valid ones (which must all be served and accounted), valid ones
 * mutated as a confused client would, and hostile ones an attacker would send. Seeded, so a run can be repeated.
 */

export type RequestKind = 'valid' | 'mutated' | 'hostile';

export interface GeneratedRequest {
  kind: RequestKind;
  /** What the generator did, for the report's breakdown. */
  variant: string;
  method: string;
  path: string;
  /** Header values are strings an HTTP client accepts; raw requests carry their own bytes instead. */
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** Bytes written to a socket as they are, for what no HTTP client would send (broken framing, huge headers). */
  raw?: Buffer;
}

export interface GeneratorOptions {
  model: string;
  clientKey: string;
  /** Share of valid and mutated requests; the rest are hostile. */
  validShare: number;
  mutatedShare: number;
  bodyLimitBytes: number;
}

const messages = [{ role: 'user', content: 'Say hello to the benchmark in five words or fewer, please.' }];

/** The valid requests: every chat-speaking ingress, streamed and not. */
function validRequests(model: string): Array<{ variant: string; path: string; body: Record<string, unknown> }> {
  return [
    { variant: 'chat', path: '/v1/chat/completions', body: { model, messages } },
    { variant: 'chat stream', path: '/v1/chat/completions', body: { model, messages, stream: true, stream_options: { include_usage: true } } },
    { variant: 'messages', path: '/v1/messages', body: { model, max_tokens: 64, messages } },
    { variant: 'messages stream', path: '/v1/messages', body: { model, max_tokens: 64, messages, stream: true } },
    { variant: 'responses', path: '/v1/responses', body: { model, input: 'Say hello to the benchmark.' } },
  ];
}

const strangeValues: unknown[] = [null, true, -1, 0, 1e308, -0.5, '', 'x'.repeat(300), [], [[[]]], {}, { nested: { deeper: [1, 'two'] } }, '\u0000\uffff\ud800', 'NaN', '__proto__'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function mutate(random: () => number, base: { path: string; body: Record<string, unknown> }, key: string): GeneratedRequest {
  const fields = Object.keys(base.body);
  const field = pick(random, fields);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const choice = Math.floor(random() * 7);
  const request = (variant: string, body: string, extra: Partial<GeneratedRequest> = {}): GeneratedRequest => ({ kind: 'mutated', variant, method: 'POST', path: base.path, headers, body, ...extra });
  switch (choice) {
    case 0:
      return request('field replaced', JSON.stringify({ ...base.body, [field]: pick(random, strangeValues) }));
    case 1:
      return request('field removed', JSON.stringify(Object.fromEntries(Object.entries(base.body).filter(([name]) => name !== field))));
    case 2:
      return request('unknown field', JSON.stringify({ ...base.body, [`extra_${Math.floor(random() * 1000)}`]: pick(random, strangeValues) }));
    case 3: {
      const text = JSON.stringify(base.body);
      return request('truncated JSON', text.slice(0, Math.floor(random() * text.length)));
    }
    case 4:
      return request('unknown model', JSON.stringify({ ...base.body, model: `no-such-model-${Math.floor(random() * 100)}` }));
    case 5:
      return request('wrong method', '', { method: pick(random, ['GET', 'PUT', 'DELETE', 'PATCH']), body: undefined });
    default:
      return request('message content mutated', JSON.stringify({ ...base.body, messages: [{ role: pick(random, ['user', 'system', 'robot', '']), content: pick(random, strangeValues) }] }));
  }
}

function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Requests an attacker sends: bad keys, huge or deep bodies, odd paths, smuggling attempts, broken framing. */
function hostile(random: () => number, options: GeneratorOptions): GeneratedRequest {
  const json = { 'content-type': 'application/json' };
  const auth = { authorization: `Bearer ${options.clientKey}`, ...json };
  const valid = JSON.stringify({ model: options.model, messages });
  const choice = Math.floor(random() * 14);
  const request = (variant: string, fields: Partial<GeneratedRequest>): GeneratedRequest => ({ kind: 'hostile', variant, method: 'POST', path: '/v1/chat/completions', headers: auth, body: valid, ...fields });
  switch (choice) {
    case 0:
      return request('guessed key', { headers: { authorization: `Bearer sy-${Math.floor(random() * 1e15).toString(36)}`, ...json } });
    case 1:
      return request('client key on the admin API', { method: 'GET', path: pick(random, ['/admin/keys', '/admin/usage?groupBy=key', '/admin/requests']), body: undefined });
    case 2:
      return request('body over the limit', { body: JSON.stringify({ model: options.model, messages: [{ role: 'user', content: 'x'.repeat(options.bodyLimitBytes + Math.floor(random() * 4096)) }] }) });
    case 3:
      return request('deeply nested JSON', { body: `{"model":"${options.model}","messages":${deepJson(500 + Math.floor(random() * 5000))}}` });
    case 4:
      return request('prototype pollution', { body: `{"model":"${options.model}","messages":[{"role":"user","content":"hi"}],"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":1}}}` });
    case 5:
      return request('path traversal', { method: 'GET', path: pick(random, ['/v1/../admin/keys', '/%2e%2e/admin/keys', '/admin/keys/../../etc/passwd', '//admin//keys', '/v1/models?x=' + '%00'.repeat(20)]), body: undefined });
    case 6:
      return request('binary body', { body: Buffer.from(Array.from({ length: 64 + Math.floor(random() * 512) }, () => Math.floor(random() * 256))) });
    case 7:
      return request('huge numbers and lone surrogates', { body: `{"model":"${options.model}","max_tokens":1e999,"temperature":-1e-999,"messages":[{"role":"user","content":"\\ud800\\udc00\\ud800"}]}` });
    case 8:
      return request('many headers', { headers: { ...auth, ...Object.fromEntries(Array.from({ length: 80 }, (_, index) => [`x-filler-${index}`, 'y'.repeat(64)])) } });
    case 9:
      return request('hostile tags and customer', { headers: { ...auth, 'x-switchyard-tags': 'a=b,'.repeat(200), 'x-switchyard-customer': 'c'.repeat(2000), 'x-switchyard-cache': 'exact;drop table' } });
    case 10:
      return request('header block over the limit', { raw: Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${options.clientKey}\r\nx-big: ${'z'.repeat(20_000)}\r\ncontent-length: 2\r\n\r\n{}`) });
    case 11:
      return request('malformed request line', { raw: Buffer.from(pick(random, ['GET /v1/models HTTP/9.9\r\n\r\n', 'BREW /\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\nzz\r\n'])) });
    case 12:
      return request('wrong content type', { headers: { ...auth, 'content-type': pick(random, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz']) }, body: pick(random, ['model=x&messages=y', valid, '--zz\r\n\r\n--zz--']) });
    default:
      return request('anthropic ingress with an OpenAI key header', { path: '/v1/messages', headers: { 'x-api-key': `sk-ant-${Math.floor(random() * 1e12)}`, 'anthropic-version': '2023-06-01', ...json }, body: JSON.stringify({ model: options.model, max_tokens: 8, messages }) });
  }
}

/** The next request of the mix. */
export function createGenerator(seed: number, options: GeneratorOptions): () => GeneratedRequest {
  const random = seededRandom(seed);
  const valid = validRequests(options.model);
  return () => {
    const roll = random();
    const base = pick(random, valid);
    if (roll < options.validShare) {
      return { kind: 'valid', variant: base.variant, method: 'POST', path: base.path, headers: { authorization: `Bearer ${options.clientKey}`, 'content-type': 'application/json' }, body: JSON.stringify(base.body) };
    }
    if (roll < options.validShare + options.mutatedShare) return mutate(random, base, options.clientKey);
    return hostile(random, options);
  };
}
