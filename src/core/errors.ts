import { redactSecrets } from './secret-redaction.js';

/** The closed set of error codes every layer speaks. Adding a code forces its row in `errorTable`. */
export type ErrorCode =
  | 'invalid_request'
  | 'authentication_failed'
  | 'permission_denied'
  | 'not_found'
  | 'model_not_found'
  | 'request_too_large'
  | 'request_headers_too_large'
  | 'request_timeout'
  | 'context_length_exceeded'
  | 'content_filtered'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'upstream_overloaded'
  | 'upstream_error'
  | 'upstream_authentication_failed'
  | 'gateway_overloaded'
  | 'internal_error';

export interface ErrorRow {
  status: number;
  /** `error.type` in OpenAI's envelope. */
  openaiType: string;
  /** `error.type` in Anthropic's envelope. */
  anthropicType: string;
  /** Whether trying again (same or another target) may succeed. */
  retryable: boolean;
}

export const errorTable: Record<ErrorCode, ErrorRow> = {
  invalid_request: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  authentication_failed: { status: 401, openaiType: 'authentication_error', anthropicType: 'authentication_error', retryable: false },
  permission_denied: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error', retryable: false },
  not_found: { status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error', retryable: false },
  model_not_found: { status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error', retryable: false },
  request_too_large: { status: 413, openaiType: 'invalid_request_error', anthropicType: 'request_too_large', retryable: false },
  request_headers_too_large: { status: 431, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  request_timeout: { status: 408, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  context_length_exceeded: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  content_filtered: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', retryable: false },
  rate_limited: { status: 429, openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error', retryable: true },
  budget_exceeded: { status: 429, openaiType: 'insufficient_quota', anthropicType: 'rate_limit_error', retryable: false },
  upstream_timeout: { status: 504, openaiType: 'api_error', anthropicType: 'timeout_error', retryable: true },
  upstream_unavailable: { status: 503, openaiType: 'api_error', anthropicType: 'api_error', retryable: true },
  upstream_overloaded: { status: 529, openaiType: 'api_error', anthropicType: 'overloaded_error', retryable: true },
  upstream_error: { status: 502, openaiType: 'api_error', anthropicType: 'api_error', retryable: true },
  upstream_authentication_failed: { status: 502, openaiType: 'api_error', anthropicType: 'api_error', retryable: true },
  gateway_overloaded: { status: 503, openaiType: 'api_error', anthropicType: 'overloaded_error', retryable: false },
  internal_error: { status: 500, openaiType: 'api_error', anthropicType: 'api_error', retryable: false },
};

export interface GatewayErrorOptions {
  param?: string;
  /** Overrides the table's retryability (for example a 4xx upstream answer that is really transient). */
  retryable?: boolean;
  retryAfterMs?: number;
  /** Upstream HTTP status, kept for the ledger and logs only. */
  upstreamStatus?: number;
  provider?: string;
  cause?: unknown;
}

/** The one error type of the gateway. Its message is safe to show to clients: credentials are redacted from it. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly param: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly provider: string | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.param = options.param;
    this.retryable = options.retryable ?? errorTable[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamStatus = options.upstreamStatus;
    this.provider = options.provider;
  }

  get status(): number {
    return errorTable[this.code].status;
  }
}

/** Anything thrown becomes a GatewayError; unknown failures become `internal_error` with the cause kept for logs. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'The gateway failed to handle this request. It has been logged; retrying may help.', { cause: error });
}

/** Maps an upstream HTTP status to a code; adapters refine this with the provider's own error body. */
export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'upstream_authentication_failed';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'model_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 529) return 'upstream_overloaded';
  if (status === 503) return 'upstream_unavailable';
  if (status === 504) return 'upstream_timeout';
  return 'upstream_error';
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
