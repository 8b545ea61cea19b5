import { codeForUpstreamStatus, GatewayError, parseRetryAfter, type ErrorCode } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { sanitizeUpstreamMessage } from '../shared/sanitize-message.js';
import { asRecord, asString } from '../shared/json-read.js';

function readUpstreamMessage(body: string): { message: string | undefined; code: string | undefined } {
  try {
    const parsed = asRecord(JSON.parse(body));
    const error = asRecord(parsed.error);
    // Mistral puts the message at the top level ({"object":"error","message":...}, https://docs.mistral.ai/api/).
    const message = asString(error.message) ?? asString(parsed.error) ?? asString(parsed.message) ?? asString(parsed.detail);
    return { message, code: asString(error.code) ?? asString(error.type) ?? asString(parsed.code) ?? asString(parsed.type) };
  } catch {
    return { message: undefined, code: undefined };
  }
}

/** Classifies an OpenAI-style error (https://platform.openai.com/docs/guides/error-codes). */
export function classifyOpenAiError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const provider = endpoint.name;
  const { message, code: upstreamCode } = readUpstreamMessage(context.body);
  let code: ErrorCode = codeForUpstreamStatus(context.status);
  if (upstreamCode === 'context_length_exceeded' || (message !== undefined && /maximum context length|context window|too many tokens/i.test(message))) {
    code = 'context_length_exceeded';
  } else if (upstreamCode === 'model_not_found' || (message !== undefined && /model[^.]*\b(not exist|does not exist|not found)/i.test(message))) {
    code = 'model_not_found';
  } else if (upstreamCode === 'insufficient_quota') {
    code = 'upstream_authentication_failed';
  }
  const detail = message ? `: ${sanitizeUpstreamMessage(message, endpoint.apiKey)}` : '';
  const text = code === 'upstream_authentication_failed'
    ? `Provider "${provider}" rejected the gateway's credentials or quota (HTTP ${context.status})${detail}. Check the provider's apiKey in the Switchyard configuration.`
    : `Provider "${provider}" answered HTTP ${context.status}${detail}`;
  const options: { upstreamStatus: number; provider: string; retryAfterMs?: number; param?: string } = { upstreamStatus: context.status, provider };
  const retryAfterMs = parseRetryAfter(context.headers['retry-after']);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  return new GatewayError(code, text, options);
}
