import { codeForUpstreamStatus, GatewayError, parseRetryAfter, type ErrorCode } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { asArray, asRecord, asString } from '../shared/json-read.js';
import { sanitizeUpstreamMessage } from '../shared/sanitize-message.js';
import { headerValue } from '../shared/header-value.js';

interface StabilityErrorBody {
  name: string | undefined;
  errors: string[];
}

/** Stability's error body: `{id, name, errors: [...]}` (https://platform.stability.ai/docs/api-reference). */
function readBody(body: string): StabilityErrorBody {
  try {
    const parsed = asRecord(JSON.parse(body));
    return { name: asString(parsed.name), errors: asArray(parsed.errors).filter((item): item is string => typeof item === 'string') };
  } catch {
    return { name: undefined, errors: [] };
  }
}

function codeFor(status: number, name: string | undefined): ErrorCode {
  if (name === 'content_moderation') return 'content_filtered';
  // 402 means the account is out of credits: the gateway's configuration, not the client's request.
  if (status === 402 || status === 401) return 'upstream_authentication_failed';
  return codeForUpstreamStatus(status);
}

export function classifyStabilityError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const { name, errors } = readBody(context.body);
  const code = codeFor(context.status, name);
  const said = errors.length > 0 ? errors.join('; ') : name;
  const detail = said ? `: ${sanitizeUpstreamMessage(said, endpoint.apiKey)}` : '';
  const text = code === 'upstream_authentication_failed'
    ? `The Stability AI provider "${endpoint.name}" rejected the gateway's API key or account (HTTP ${context.status})${detail}. Check the provider's apiKey and credits.`
    : `The Stability AI provider "${endpoint.name}" answered HTTP ${context.status}${detail}`;
  const retryAfterMs = parseRetryAfter(headerValue(context.headers, 'retry-after'));
  return new GatewayError(code, text, {
    provider: endpoint.name,
    upstreamStatus: context.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
