import type { ErrorCode } from '../../src/core/errors.js';
import { errorTable } from '../../src/core/errors.js';

/** Who a request is sent as. */
export type Caller = 'client' | 'admin' | 'none';

/** One endpoint of the gateway, with a valid request to it; fuzzers mutate from here. */
export interface Endpoint {
  method: string;
  path: string;
  caller: Caller;
  /** A valid body for the model name given (undefined for requests without one). */
  body?: (model: string) => unknown;
  /** Whether a valid request reaches a provider and so leaves exactly one ledger record. */
  accounted: boolean;
}

const messages = [{ role: 'user', content: 'Say hello' }];

/** Every endpoint documented in the README, each with a valid request. `{id}` is replaced by an id the caller knows. */
export const endpoints: readonly Endpoint[] = [
  { method: 'GET', path: '/health', caller: 'none', accounted: false },
  { method: 'GET', path: '/v1/models', caller: 'client', accounted: false },
  { method: 'POST', path: '/v1/chat/completions', caller: 'client', body: (model) => ({ model, messages }), accounted: true },
  { method: 'POST', path: '/v1/chat/completions', caller: 'client', body: (model) => ({ model, messages, stream: true, stream_options: { include_usage: true } }), accounted: true },
  { method: 'POST', path: '/v1/chat/completions', caller: 'client', body: (model) => ({ model, messages, tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] }), accounted: true },
  { method: 'POST', path: '/v1/messages', caller: 'client', body: (model) => ({ model, max_tokens: 64, messages }), accounted: true },
  { method: 'POST', path: '/v1/messages', caller: 'client', body: (model) => ({ model, max_tokens: 64, messages, stream: true }), accounted: true },
  { method: 'POST', path: '/v1/messages/count_tokens', caller: 'client', body: (model) => ({ model, messages }), accounted: false },
  { method: 'POST', path: '/v1/responses', caller: 'client', body: (model) => ({ model, input: 'Say hello' }), accounted: true },
  { method: 'POST', path: '/v1/responses', caller: 'client', body: (model) => ({ model, input: [{ role: 'user', content: 'Say hello' }], stream: true }), accounted: true },
  { method: 'GET', path: '/v1/responses/{id}', caller: 'client', accounted: false },
  { method: 'GET', path: '/v1/responses/{id}/input_items', caller: 'client', accounted: false },
  { method: 'DELETE', path: '/v1/responses/{id}', caller: 'client', accounted: false },
  { method: 'POST', path: '/v1/embeddings', caller: 'client', body: (model) => ({ model, input: ['one', 'two'] }), accounted: true },
  { method: 'POST', path: '/v1/images/generations', caller: 'client', body: (model) => ({ model, prompt: 'a train' }), accounted: false },
  { method: 'POST', path: '/v1/feedback', caller: 'client', body: () => ({ requestId: '{id}', metric: 'rating', value: 4 }), accounted: false },
  { method: 'POST', path: '/admin/keys', caller: 'admin', body: () => ({ name: 'fuzzed', models: ['gpt-4o-mini'] }), accounted: false },
  { method: 'GET', path: '/admin/keys', caller: 'admin', accounted: false },
  { method: 'DELETE', path: '/admin/keys/{id}', caller: 'admin', accounted: false },
  { method: 'PUT', path: '/admin/customers/{id}', caller: 'admin', body: () => ({ name: 'Acme', budget: { usd: 100, period: 'month' } }), accounted: false },
  { method: 'GET', path: '/admin/customers', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/customers/{id}', caller: 'admin', accounted: false },
  { method: 'POST', path: '/admin/revenue', caller: 'admin', body: () => [{ customer: 'acme', period: '2026-11', usd: 120 }], accounted: false },
  { method: 'GET', path: '/admin/revenue', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/usage?groupBy=model&from=2026-01-01', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/reports/margin?period=2026-11', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/reports/spend?groupBy=provider', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/reports/graduation?model=gpt-4o-mini', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/requests?limit=5', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/requests/{id}', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/capture', caller: 'admin', accounted: false },
  { method: 'POST', path: '/admin/capture/sweep', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/health', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/ledger/stats', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/responses/stats', caller: 'admin', accounted: false },
  { method: 'POST', path: '/admin/datasets', caller: 'admin', body: () => ({ name: 'fuzzed', filter: { status: 'ok' } }), accounted: false },
  { method: 'GET', path: '/admin/datasets', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/datasets/{id}', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/datasets/{id}/items', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/datasets/{id}/export?format=openai', caller: 'admin', accounted: false },
  { method: 'DELETE', path: '/admin/datasets/{id}', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/evaluations', caller: 'admin', accounted: false },
  { method: 'GET', path: '/admin/evaluations/{id}', caller: 'admin', accounted: false },
];

/** The statuses the README documents; a healthy upstream never causes the 5xx among them. */
export const documentedStatuses = new Set([200, 201, 204, 400, 401, 403, 404, 413, 429, 431, 502, 503, 504, 529]);

const errorCodes = new Set(Object.keys(errorTable));
const stackTrace = /\bat .+\.(?:js|ts):\d+|node:internal/;

/** Whether a path answers in Anthropic's error envelope. */
export function anthropicDialect(path: string): boolean {
  const bare = path.split('?')[0];
  return bare === '/v1/messages' || bare === '/v1/messages/count_tokens';
}

/** What is wrong with an error answer's body, or undefined when it is a well-formed envelope of its dialect. */
export function envelopeProblem(path: string, status: number, text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${status} answer that is not JSON: ${text.slice(0, 200)}`;
  }
  const record = body as { type?: unknown; error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } };
  const error = record.error;
  if (typeof error !== 'object' || error === null) return `no error object: ${text.slice(0, 200)}`;
  if (typeof error.message !== 'string' || error.message === '') return 'no error message';
  if (stackTrace.test(error.message)) return `a stack trace in the message: ${error.message}`;
  if (typeof error.type !== 'string') return 'no error type';
  if (anthropicDialect(path)) return record.type === 'error' ? undefined : 'an Anthropic error without type "error"';
  if (typeof error.code !== 'string' || !errorCodes.has(error.code)) return `an unknown error code ${String(error.code)}`;
  if (!('param' in error)) return 'no param field';
  if (error.code in errorTable && errorTable[error.code as ErrorCode].status !== status) return `code ${error.code} with status ${status}`;
  return undefined;
}
