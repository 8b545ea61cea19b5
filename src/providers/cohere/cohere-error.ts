import { codeForUpstreamStatus, GatewayError, parseRetryAfter, type ErrorCode } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { asRecord, asString } from '../shared/json-read.js';
import { sanitizeUpstreamMessage } from '../shared/sanitize-message.js';
import { headerValue } from '../shared/header-value.js';

function readMessage(body: string): string | undefined {
  try {
    return asString(asRecord(JSON.parse(body)).message);
  } catch {
    return undefined;
  }
}

/** Status codes and example messages: https://docs.cohere.com/reference/errors */
function codeFor(status: number, message: string | undefined): ErrorCode {
  if (status === 400 && message !== undefined && /too many tokens|context (length|window)/i.test(message)) return 'context_length_exceeded';
  // 402 is the account's billing, 498 a blocked or invalid key: the gateway's configuration, not the client's request.
  if (status === 402 || status === 498) return 'upstream_authentication_failed';
  // 499 means Cohere cancelled the request; the docs say to try again.
  if (status === 499) return 'upstream_error';
  return codeForUpstreamStatus(status);
}

/** Classifies a Cohere error answer: HTTP status plus a `{message}` body. */
export function classifyCohereError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const message = readMessage(context.body);
  const code = codeFor(context.status, message);
  const detail = message ? `: ${sanitizeUpstreamMessage(message, endpoint.apiKey)}` : '';
  const text = code === 'upstream_authentication_failed'
    ? `The Cohere provider "${endpoint.name}" rejected the gateway's API key or account (HTTP ${context.status})${detail}. Check the provider's apiKey in the Switchyard configuration.`
    : `The Cohere provider "${endpoint.name}" answered HTTP ${context.status}${detail}`;
  const retryAfterMs = parseRetryAfter(headerValue(context.headers, 'retry-after'));
  return new GatewayError(code, text, {
    provider: endpoint.name,
    upstreamStatus: context.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
