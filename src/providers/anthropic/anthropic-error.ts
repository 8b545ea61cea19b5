import { GatewayError, codeForUpstreamStatus, parseRetryAfter } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { asRecord, stringField } from './anthropic-response.js';
import { headerValue } from '../shared/header-value.js';

/** Error types: https://docs.anthropic.com/en/api/errors */
const codeByErrorType: Record<string, ErrorCode> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'upstream_authentication_failed',
  permission_error: 'permission_denied',
  not_found_error: 'model_not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limited',
  api_error: 'upstream_error',
  overloaded_error: 'upstream_overloaded',
  timeout_error: 'upstream_timeout',
};

const whatHappened: Partial<Record<ErrorCode, string>> = {
  invalid_request: 'rejected the request as invalid',
  context_length_exceeded: "rejected the request because the prompt does not fit the model's context window",
  upstream_authentication_failed: 'rejected the API key configured for it',
  permission_denied: 'refused permission for this request',
  model_not_found: 'could not find the requested model or resource',
  request_too_large: 'rejected the request body as too large',
  rate_limited: 'is rate limiting requests',
  upstream_overloaded: 'is overloaded',
  upstream_timeout: 'timed out',
  upstream_unavailable: 'is unavailable',
  upstream_error: 'failed with an internal error',
};

const maxProviderMessageLength = 300;

export interface AnthropicErrorDetails {
  /** Anthropic's `error.type`, when the body was its error envelope. */
  errorType: string | undefined;
  /** Anthropic's `error.message`, shown to clients after redaction. */
  message: string | undefined;
  status?: number;
  retryAfterMs?: number;
  endpoint?: ProviderEndpoint;
}

function redact(text: string, apiKey: string | undefined): string {
  let safe = apiKey ? text.split(apiKey).join('[redacted]') : text;
  safe = safe.replace(/sk-ant-[A-Za-z0-9_-]+/g, '[redacted]');
  return safe.length > maxProviderMessageLength ? `${safe.slice(0, maxProviderMessageLength)}…` : safe;
}

function codeFor(errorType: string | undefined, message: string | undefined, status: number | undefined): ErrorCode {
  const code = (errorType === undefined ? undefined : codeByErrorType[errorType]) ?? (status === undefined ? 'upstream_error' : codeForUpstreamStatus(status));
  if (code === 'invalid_request' && message !== undefined && /prompt is too long|context (window|length|limit)/i.test(message)) return 'context_length_exceeded';
  return code;
}

/** Builds the gateway error for an Anthropic error, from an HTTP error body or an `error` stream event. */
export function anthropicGatewayError(details: AnthropicErrorDetails): GatewayError {
  const code = codeFor(details.errorType, details.message, details.status);
  const who = details.endpoint ? `The Anthropic provider "${details.endpoint.name}"` : 'The Anthropic provider';
  const said = details.message ? `: ${redact(details.message, details.endpoint?.apiKey)}` : '.';
  return new GatewayError(code, `${who} ${whatHappened[code] ?? 'failed'}${said}`, {
    provider: details.endpoint?.name,
    upstreamStatus: details.status,
    retryAfterMs: details.retryAfterMs,
  });
}

/** Reads Anthropic's envelope `{type: 'error', error: {type, message}}`; anything else is not echoed. */
export function readAnthropicErrorEnvelope(value: unknown): { errorType: string | undefined; message: string | undefined } {
  const error = asRecord(asRecord(value)?.error);
  return { errorType: stringField(error, 'type'), message: stringField(error, 'message') };
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function classifyAnthropicError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const envelope = readAnthropicErrorEnvelope(parseBody(context.body));
  return anthropicGatewayError({
    ...envelope,
    status: context.status,
    retryAfterMs: parseRetryAfter(headerValue(context.headers, 'retry-after')),
    endpoint,
  });
}
