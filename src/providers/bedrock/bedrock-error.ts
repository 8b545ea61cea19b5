import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { codeForUpstreamStatus, GatewayError, parseRetryAfter, type ErrorCode } from '../../core/errors.js';
import { headerValue } from '../shared/header-value.js';

/**
 * Bedrock names its errors in the `x-amzn-errortype` header (`ValidationException:http://...`) and puts
 * `{"message": ...}` in the body; streams carry the same names as exception events.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 */

const codesByErrorType: Record<string, ErrorCode> = {
  validationexception: 'invalid_request',
  throttlingexception: 'rate_limited',
  servicequotaexceededexception: 'rate_limited',
  accessdeniedexception: 'permission_denied',
  resourcenotfoundexception: 'model_not_found',
  modeltimeoutexception: 'upstream_timeout',
  serviceunavailableexception: 'upstream_unavailable',
  modelnotreadyexception: 'upstream_unavailable',
  internalserverexception: 'upstream_error',
  modelerrorexception: 'upstream_error',
  modelstreamerrorexception: 'upstream_error',
  unrecognizedclientexception: 'upstream_authentication_failed',
  expiredtokenexception: 'upstream_authentication_failed',
  invalidsignatureexception: 'upstream_authentication_failed',
  incompletesignatureexception: 'upstream_authentication_failed',
  missingauthenticationtokenexception: 'upstream_authentication_failed',
  signaturedoesnotmatchexception: 'upstream_authentication_failed',
};

const contextLengthPattern = /too long|input length|too many (input )?tokens|context (length|window)|maximum context/i;

/** `ValidationException:http://internal.amazon.com/...` and `ValidationException` both give `validationexception`. */
export function normaliseErrorType(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const name = value.split(':')[0]?.trim().toLowerCase();
  return name ? name : undefined;
}

export function codeForBedrockError(errorType: string | undefined, message: string, status?: number): ErrorCode {
  const known = errorType ? codesByErrorType[errorType] : undefined;
  const code = known ?? (status === undefined ? 'upstream_error' : codeForUpstreamStatus(status));
  if (code === 'invalid_request' && contextLengthPattern.test(message)) return 'context_length_exceeded';
  if (code === 'invalid_request' && /model identifier is invalid/i.test(message)) return 'model_not_found';
  return code;
}

/** Upstream text may name the account (ARNs, account ids); it is shown only for request errors, redacted. */
function redact(message: string): string {
  const cleaned = message.replace(/arn:aws[\w-]*:[^\s"',]*/g, '[arn]').replace(/\b\d{12}\b/g, '[account]');
  return cleaned.length > 400 ? `${cleaned.slice(0, 400)}...` : cleaned;
}

export function bedrockErrorMessage(code: ErrorCode, upstreamMessage: string, providerName?: string): string {
  const who = providerName ? `Bedrock (provider '${providerName}')` : 'Bedrock';
  switch (code) {
    case 'invalid_request':
      return `${who} rejected the request: ${redact(upstreamMessage) || 'validation failed'}`;
    case 'context_length_exceeded':
      return `${who} says the input is longer than the model's context: ${redact(upstreamMessage)}`;
    case 'rate_limited':
      return `${who} is throttling requests; retry later.`;
    case 'permission_denied':
      return `${who} denied access to the model with the configured AWS credentials (is model access enabled in this region?).`;
    case 'model_not_found':
      return `${who} does not know this model in the configured region.`;
    case 'upstream_authentication_failed':
      return `${who} rejected the configured AWS credentials or API key.`;
    case 'upstream_timeout':
      return `${who} timed out while the model was working.`;
    case 'upstream_unavailable':
      return `${who} is temporarily unavailable.`;
    default:
      return `${who} failed to answer the request.`;
  }
}

/** Reads `message` (or `Message`) and, when the header is missing, the `__type` some AWS JSON errors carry. */
function parseBody(body: string): { message: string; type: string | undefined } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.message ?? record.Message;
      const type = record.__type;
      return { message: typeof message === 'string' ? message : '', type: typeof type === 'string' ? type.split('#').pop() : undefined };
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): classify by status alone.
  }
  return { message: '', type: undefined };
}

export function classifyBedrockError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const { message, type } = parseBody(context.body);
  const errorType = normaliseErrorType(headerValue(context.headers, 'x-amzn-errortype') ?? type);
  const code = codeForBedrockError(errorType, message, context.status);
  return new GatewayError(code, bedrockErrorMessage(code, message, endpoint.name), {
    upstreamStatus: context.status,
    provider: endpoint.name,
    retryAfterMs: parseRetryAfter(headerValue(context.headers, 'retry-after')),
    // Access to a model is granted per account and region, so another deployment may well succeed.
    ...(code === 'permission_denied' ? { retryable: true } : {}),
  });
}

/** An exception event inside a stream (`throttlingException`, `modelStreamErrorException`, ...). */
export function bedrockStreamError(exceptionType: string, payload: string): GatewayError {
  const { message } = parseBody(payload);
  const code = codeForBedrockError(normaliseErrorType(exceptionType), message);
  return new GatewayError(code, bedrockErrorMessage(code, message));
}
